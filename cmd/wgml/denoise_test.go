package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDenoiseAsIs de-noises rows as they are (--noise none): for images a
// two-row grid of inputs and outputs; for a table, the reconstructed rows.
func TestDenoiseAsIs(t *testing.T) {
	mn := smallMNIST(t)
	dir := t.TempDir()
	ck := filepath.Join(dir, "model.safetensors")
	outlierCLI(t, 0, "train", "--data", mn, "--limit", "200", "--test-limit", "50", "--layers", "784,32,4", "--epochs", "1", "--batch", "50", "--backend", "cpu", "--out", dir)
	out := outlierCLI(t, 0, "denoise", "--model", ck, "--test-limit", "50", "--backend", "cpu", "--show", "3", "--scale", "1")
	if !strings.Contains(out, "rows: input / de-noised") || !strings.Contains(out, "against the input over 50 images") {
		t.Errorf("denoise --noise none:\n%s", out)
	}
	f, err := os.Open(filepath.Join(dir, "denoise.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 2+3*30 || b.Dy() != 2+2*30 {
		t.Errorf("grid %dx%d, want 3 columns and 2 rows of 28x28 tiles", b.Dx(), b.Dy())
	}
	outlierCLI(t, 2, "denoise", "--model", ck, "--show", "0")
}
