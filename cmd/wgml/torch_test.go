package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
)

// torchPython returns a python with torch, or "" where there is none.
func torchPython() string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import torch").Run() == nil {
			return p
		}
	}
	return ""
}

// TestTorchLoadsCheckpoint runs the README's PyTorch block on a freshly
// trained checkpoint: it must load into the plain module with strict=True,
// and the module's latent codes of the test images must match wgml encode's.
func TestTorchLoadsCheckpoint(t *testing.T) {
	py := torchPython()
	if py == "" {
		t.Skip("no python3 with torch (Debian: apt-get install python3-torch)")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?ms)^```python\n(.*?)^```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README has no python block")
	}
	dir := t.TempDir()
	idx := filepath.Join(fixDir, "idx")
	for _, args := range [][]string{
		{"train", "--backend", "cpu", "--data", idx, "--layers", "36,16,8,3", "--epochs", "3", "--batch", "10", "--out", "runs/ae-mnist"},
		{"encode", "--backend", "cpu", "--model", "runs/ae-mnist/model.safetensors", "--out", "latents.csv", "--plot", "none"},
	} {
		if _, stderr, code := wgmlRun(t, dir, args...); code != 0 {
			t.Fatalf("wgml %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	_, test, err := data.Open(idx, data.OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var x strings.Builder
	for i := range test.Rows {
		for j, v := range test.Bytes[i*test.Cols : (i+1)*test.Cols] {
			if j > 0 {
				x.WriteByte(',')
			}
			x.WriteString(strconv.FormatFloat(float64(v)/255, 'g', -1, 64))
		}
		x.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join(dir, "x.csv"), []byte(x.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	script := string(m[1]) + `
import csv
x = torch.tensor([[float(v) for v in r] for r in csv.reader(open("x.csv"))])
want = torch.tensor([[float(v) for v in r[1:]] for r in list(csv.reader(open("latents.csv")))[1:]])
with torch.no_grad():
    got = model.encode(x)
d = (got - want).abs()
print("rows", got.shape[0], "maxdiff", d.max().item(), "bad", int((d > 1e-5 + 1e-4 * want.abs()).sum()))
`
	cmd := exec.Command(py, "-")
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	f := strings.Fields(string(out))
	if len(f) != 6 || f[1] != strconv.Itoa(test.Rows) || f[5] != "0" {
		t.Errorf("torch's latent codes of %d test rows differ from wgml encode's: %s", test.Rows, out)
	}
}
