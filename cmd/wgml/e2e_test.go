package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"
)

// wgml runs one command line in-process and returns stdout; it fails the
// test unless the exit status is want.
func wgml(t *testing.T, want int, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(args, &out, &errOut); code != want {
		t.Fatalf("wgml %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out.String(), errOut.String())
	}
	return out.String()
}

// TestVAEPictures trains a small 2-D VAE on a slice of MNIST and makes every
// picture from its checkpoint.
func TestVAEPictures(t *testing.T) {
	dir := t.TempDir()
	ck := filepath.Join(dir, "model.safetensors")
	out := wgml(t, 0, "train", "--model", "vae", "--layers", "784,64,2", "--epochs", "2", "--batch", "50",
		"--limit", "600", "--test-limit", "200", "--backend", "cpu", "--out", dir)
	if !strings.Contains(out, "test loss:") || !strings.Contains(out, "kl") {
		t.Errorf("train output lacks the test loss or the KL term:\n%s", out)
	}
	wgml(t, 0, "encode", "--model", ck, "--with-labels", "--backend", "cpu", "--test-limit", "300")
	csv, err := os.ReadFile(filepath.Join(dir, "latents.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if lines[0] != "index,z0,z1,label" || len(lines) != 301 || !strings.HasPrefix(lines[300], "299,") {
		t.Errorf("latents.csv: header %q and %d rows, want index,z0,z1,label and 300 rows indexed from 0", lines[0], len(lines)-1)
	}
	wgml(t, 0, "sample", "--model", ck, "--n", "16", "--manifold", "5", "--backend", "cpu")
	wgml(t, 0, "interpolate", "--model", ck, "--steps", "6", "--backend", "cpu", "--test-limit", "300")
	wgml(t, 0, "reconstruct", "--model", ck, "--n", "8", "--backend", "cpu", "--test-limit", "300")
	for _, p := range []string{"loss.png", "latent.png", "samples.png", "manifold.png", "interpolate.png", "reconstructions.png"} {
		pngtest.Read(t, filepath.Join(dir, p))
	}
	wgml(t, 2, "interpolate", "--model", ck, "--from", "label:11", "--backend", "cpu", "--test-limit", "300")
	wgml(t, 2, "sample", "--model", ck, "--n", "0")
}
