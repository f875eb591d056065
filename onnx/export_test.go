package onnx_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/advancedclimatesystems/gonnx"
	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"gorgonia.org/tensor"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/onnx"
)

// tol is the largest relative difference allowed between the ONNX graph
// run by gonnx and wgml's own outputs, row by row (see maxRel).
const tol = 1e-5

// correlatedRows returns n rows of width 6 driven by two hidden factors
// (so an AE has structure to learn), in units far from z-scored.
func correlatedRows(n int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	rows := make([][]float64, n)
	for i := range rows {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		rows[i] = []float64{10 + 3*a, 5 - b, a + b, 100 * a, 0.01 * b, a - 2*b + 0.1*rng.NormFloat64()}
	}
	return rows
}

// pixelRows returns n rows of 12 values in [0,1].
func pixelRows(n int, seed uint64) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 2))
	rows := make([][]float64, n)
	for i := range rows {
		a := rng.Float64()
		rows[i] = make([]float64, 12)
		for j := range rows[i] {
			rows[i][j] = math.Min(1, math.Max(0, a*float64(j%3)/2+0.1*rng.NormFloat64()))
		}
	}
	return rows
}

// runnable returns mp with only the nodes the outputs need, each Identity
// node giving one of them folded into its input (gonnx v1.1.0 has no
// Identity operator; the others are dropped), and
// the graph outputs cut to outputs.
func runnable(t *testing.T, mp *pb.ModelProto, outputs ...string) *pb.ModelProto {
	t.Helper()
	g := mp.Graph
	alias := map[string]string{}
	var nodes []*pb.NodeProto
	for _, n := range g.Node {
		if n.OpType == "Identity" {
			if slices.Contains(outputs, n.Output[0]) {
				alias[n.Input[0]] = n.Output[0]
			}
			continue
		}
		nodes = append(nodes, n)
	}
	for _, n := range nodes { // producers of aliased values write the output name
		for i, o := range n.Output {
			if a, ok := alias[o]; ok {
				n.Output[i] = a
				for _, m := range nodes {
					for j, in := range m.Input {
						if in == o {
							m.Input[j] = a
						}
					}
				}
			}
		}
	}
	need := map[string]bool{}
	for _, o := range outputs {
		need[o] = true
	}
	var kept []*pb.NodeProto
	for i := len(nodes) - 1; i >= 0; i-- {
		if need[nodes[i].Output[0]] {
			kept = append(kept, nodes[i])
			for _, in := range nodes[i].Input {
				need[in] = true
			}
		}
	}
	slices.Reverse(kept)
	g.Node = kept
	g.Output = slices.DeleteFunc(g.Output, func(v *pb.ValueInfoProto) bool { return !slices.Contains(outputs, v.Name) })
	return mp
}

// maxRel returns the largest max_j |got-want| / max_j |want| over rows of
// width values (a score is a row of one value): row-wise, since a value
// near 0 carries the float32 rounding of its row's larger terms. NaN
// anywhere gives NaN.
func maxRel(got []float32, want []float64, width int) float64 {
	var worst float64
	for i := 0; i < len(want); i += width {
		var diff, scale float64
		for j := i; j < i+width; j++ {
			diff = math.Max(diff, math.Abs(float64(got[j])-want[j]))
			scale = math.Max(scale, math.Abs(want[j]))
			if math.IsNaN(float64(got[j])) {
				return math.NaN()
			}
		}
		if diff > 0 {
			worst = math.Max(worst, diff/scale)
		}
	}
	return worst
}

func flat(rows [][]float64) []float64 { return slices.Concat(rows...) }

// checkGonnx exports m, runs the outputs gonnx can on rows and compares them
// with m's Denoise, Encode and Score. It returns the exported model.
func checkGonnx(t *testing.T, m *wgml.Model, rows [][]float64, outputs ...string) *pb.ModelProto {
	t.Helper()
	var buf bytes.Buffer
	if err := m.ExportONNX(&buf); err != nil {
		t.Fatal(err)
	}
	mp, err := gonnx.ModelProtoFromBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if v := mp.OpsetImport[0].Version; v < 13 {
		t.Fatalf("opset %d, want 13 or later", v)
	}
	model, err := gonnx.NewModel(runnable(t, mp, outputs...))
	if err != nil {
		t.Fatal(err)
	}
	in := make([]float32, 0, len(rows)*len(rows[0]))
	for _, v := range flat(rows) {
		in = append(in, float32(v))
	}
	got, err := model.Run(gonnx.Tensors{onnx.Input: tensor.New(tensor.WithShape(len(rows), len(rows[0])), tensor.WithBacking(in))})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]func() ([]float64, error){
		onnx.Reconstruction: func() ([]float64, error) { r, err := m.Denoise(rows); return flat(r), err },
		onnx.Latent:         func() ([]float64, error) { r, err := m.Encode(rows); return flat(r), err },
		onnx.Score:          func() ([]float64, error) { return m.Score(rows) },
		onnx.ScoreRecon:     func() ([]float64, error) { return m.Score(rows) },
	}
	for _, o := range outputs {
		w, err := want[o]()
		if err != nil {
			t.Fatal(err)
		}
		g := got[o].Data().([]float32)
		if len(g) != len(w) {
			t.Fatalf("%s: %d values, want %d", o, len(g), len(w))
		}
		rel := maxRel(g, w, len(w)/len(rows))
		t.Logf("%s: max rel diff %.3g over %d values", o, rel, len(w))
		if !(rel <= tol) {
			t.Errorf("%s: max rel diff %.3g > %g", o, rel, tol)
		}
	}
	return mp
}

func TestExportAE(t *testing.T) {
	rows := correlatedRows(300, 1)
	m, err := wgml.Fit(rows, wgml.Options{Layers: []int{5, 2}, Epochs: 30, HiddenAct: "leakyrelu", Batch: 32})
	if err != nil {
		t.Fatal(err)
	}
	checkGonnx(t, m, correlatedRows(50, 2), onnx.Reconstruction, onnx.Latent, onnx.Score)
}

func TestExportImageAE(t *testing.T) {
	rows := pixelRows(300, 3)
	m, err := wgml.Fit(rows, wgml.Options{Layers: []int{8, 3}, Epochs: 20, Images: true, Batch: 32})
	if err != nil {
		t.Fatal(err)
	}
	checkGonnx(t, m, pixelRows(40, 4), onnx.Reconstruction, onnx.Latent, onnx.Score)
}

// TestExportVAE checks a tanh VAE's outputs at z = mean; its elbo score
// (exp of logvar: no Exp in gonnx) is checked by scripts/onnx-check.sh.
func TestExportVAE(t *testing.T) {
	rows := correlatedRows(300, 5)
	m, err := wgml.Fit(rows, wgml.Options{Model: "vae", Layers: []int{8, 2}, Epochs: 30, HiddenAct: "tanh", Batch: 32, Beta: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	checkGonnx(t, m, correlatedRows(50, 6), onnx.Reconstruction, onnx.Latent, onnx.ScoreRecon)
}

// TestExportRefuses: a model that cannot be exported is one line of error
// naming what, and nothing is written.
func TestExportRefuses(t *testing.T) {
	m, err := wgml.Fit(correlatedRows(100, 7), wgml.Options{Layers: []int{3}, Epochs: 1})
	if err != nil {
		t.Fatal(err)
	}
	m.Net.Dec.Layers[0].Act = nn.Activation(42)
	var buf bytes.Buffer
	err = m.ExportONNX(&buf)
	if err == nil || !strings.Contains(err.Error(), "Activation(42) is not exportable") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v, want a one-line refusal naming Activation(42)", err)
	}
	m.Net.Dec.Layers[0].Act = nn.Identity
	m.ScoreKind = "elbo"
	if err = m.ExportONNX(&buf); err == nil || !strings.Contains(err.Error(), "elbo") {
		t.Fatalf("elbo score of an AE: got %v, want a refusal", err)
	}
	if buf.Len() != 0 {
		t.Fatalf("%d bytes written by refused exports", buf.Len())
	}
}

// TestExportTable exports a table with a categorical column (table loss):
// gonnx runs its reconstruction (the group's logits in data units) and
// latent code; its score (softmax cross-entropy: Exp, Log, ReduceMax, none
// in gonnx) and the missing-value path are checked against onnxruntime by
// scripts/onnx-check.sh on the messy iris table.
func TestExportTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 3))
	var csv strings.Builder
	csv.WriteString("a,b,colour\n")
	for range 200 {
		k := rng.IntN(3)
		fmt.Fprintf(&csv, "%.4f,%.4f,%s\n", float64(k)+0.3*rng.NormFloat64(), 10*rng.NormFloat64(), []string{"red", "green", "blue"}[k])
	}
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m, d, err := wgml.FitFile(path, data.OpenOptions{}, wgml.Options{Layers: []int{4, 2}, Epochs: 30, Batch: 32})
	if err != nil {
		t.Fatal(err)
	}
	if m.Net.Config.Loss != nn.LossTable {
		t.Fatalf("loss %s, want table", m.Net.Config.Loss)
	}
	rows := make([][]float64, 40)
	for i := range rows {
		r := make([]float32, d.Cols)
		d.Row(i, r)
		rows[i] = make([]float64, d.Cols)
		for j, v := range r {
			rows[i][j] = float64(v)
		}
	}
	mp := checkGonnx(t, m, rows, onnx.Reconstruction, onnx.Latent)
	meta := map[string]string{}
	for _, p := range mp.MetadataProps {
		meta[p.Key] = p.Value
	}
	if want := fmt.Sprint(m.Threshold); meta["wgml.threshold"] != want || meta["wgml.columns"] != "a,b,colour=blue,colour=green,colour=red" || meta["wgml.score"] != "recon" {
		t.Errorf("metadata %v, want threshold %s, columns a,b,colour=blue,colour=green,colour=red, score recon", meta, want)
	}
}

// TestExportChecker runs the ONNX checker (Debian's python3-onnx, full_check
// with shape inference) on the graphs gonnx cannot run whole: an image VAE
// (BCE, KL, elbo score) and a table with a categorical column and gaps
// (--missing mask: imputation, mask, cross-entropy). Skipped where
// python3-onnx is not installed.
func TestExportChecker(t *testing.T) {
	py := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} { // Debian's, where another python3 comes first
		if exec.Command(p, "-I", "-c", "import onnx").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		t.Skip("no ONNX checker (apt-get install python3-onnx)")
	}
	vae, err := wgml.Fit(pixelRows(100, 10), wgml.Options{Model: "vae", Layers: []int{6, 2}, Epochs: 2, Images: true, Score: "elbo"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csv := "a;b;colour\n1;2;red\n;3;blue\n2;NA;green\n3;1;?\n1.5;2.5;red\n2;2;blue\n"
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	table, _, err := wgml.FitFile(filepath.Join(dir, "t.csv"), data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}, wgml.Options{Layers: []int{3}, Epochs: 2})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for name, m := range map[string]*wgml.Model{"vae.onnx": vae, "table.onnx": table} {
		var buf bytes.Buffer
		if err := m.ExportONNX(&buf); err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Join(dir, name))
		if err := os.WriteFile(files[len(files)-1], buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := "import onnx, sys\nfor f in sys.argv[1:]: onnx.checker.check_model(onnx.load(f), full_check=True)"
	if out, err := exec.Command(py, append([]string{"-I", "-c", check}, files...)...).CombinedOutput(); err != nil {
		t.Fatalf("ONNX checker: %v\n%s", err, out)
	}
}
