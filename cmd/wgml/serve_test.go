package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestServeSignals runs the wgml binary's serve: it answers a score
// request; after the checkpoint is replaced by garbage, SIGHUP keeps the
// old model (it says so and answers as before); SIGTERM ends it with
// status 0.
func TestServeSignals(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "model.safetensors")
	good, err := os.ReadFile(filepath.Join(fixDir, "csvae", "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ckpt, good, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(wgmlBin, "serve", "--model", ckpt, "--addr", "127.0.0.1:0", "--backend", "cpu")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	_, addr, ok := strings.Cut(line, "http://")
	if !ok {
		t.Fatalf("wgml serve said %q, want its address", line)
	}
	url := "http://" + strings.Fields(addr)[0] + "/v1/score"
	before := postScore(t, url)
	if err := os.WriteFile(ckpt, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	logs := bufio.NewReader(stderr)
	if l, _ := logs.ReadString('\n'); !strings.Contains(l, "keeping the model loaded before") {
		t.Fatalf("after SIGHUP with garbage: %q, want the reload's error", l)
	}
	if after := postScore(t, url); after != before {
		t.Errorf("after a failed reload: %s, want %s", after, before)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	go io.Copy(io.Discard, logs)
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v, want status 0", err)
	}
}

// postScore posts one row of the csvae fixture's width (3) and returns the
// answer.
func postScore(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(`{"rows": [[0.5, 1, 2]]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, body)
	}
	return string(body)
}

// TestServeUsage: bad flags are usage errors; a checkpoint that does not
// load stops serve before it listens.
func TestServeUsage(t *testing.T) {
	wgml(t, 2, "serve", "--max-batch", "0")
	wgml(t, 2, "serve", "--max-wait", "-1s")
	wgml(t, 2, "serve", "--max-body", "0")
	wgml(t, 1, "serve", "--model", filepath.Join(t.TempDir(), "nope.safetensors"), "--backend", "cpu")
}
