package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"
	"github.com/wgml/wgml/plot"
)

// TestCompareCommand: wgml compare draws the fixtures' AE and VAE (6×6
// images) into one PNG of two panels and prints both codes' ranges; bad
// flags and a missing checkpoint write nothing.
func TestCompareCommand(t *testing.T) {
	dir := t.TempDir()
	ae, vae := filepath.Join(fixDir, "ae", "model.safetensors"), filepath.Join(fixDir, "vae", "model.safetensors")
	args := []string{"compare", "--backend", "cpu", "--ae", ae, "--vae", vae, "--data", filepath.Join(fixDir, "idx"), "--from", "index:0", "--to", "index:1", "--grid", "5"}
	stdout, stderr, code := wgmlRunEnv(t, dir, nil, append(args, "--out", "cmp.png")...)
	if code != 0 || !strings.Contains(stdout, "AE: codes of") || !strings.Contains(stdout, "VAE: codes of") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	b := pngtest.Read(t, filepath.Join(dir, "cmp.png")).Bounds()
	if w, h := plot.ComparisonSize(2); b.Dx() != w || b.Dy() != h {
		t.Errorf("cmp.png is %dx%d, want %dx%d (two panels)", b.Dx(), b.Dy(), w, h)
	}
	for _, c := range []struct {
		extra []string
		code  int
		want  string
	}{
		{[]string{"--grid", "1"}, 2, "grid 1, steps 10, points 5000: want at least 2, 2 and 1"},
		{[]string{"--vae", filepath.Join(dir, "none.safetensors")}, 1, "none.safetensors: no such file"},
		{[]string{"--from", "label:99"}, 2, "no row of idx test has label 99"},
	} {
		_, stderr, code := wgmlRunEnv(t, dir, nil, append(append(args, "--out", "bad.png"), c.extra...)...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.extra, code, stderr, c.code, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "bad.png")); err == nil {
			t.Errorf("%v: bad.png written", c.extra)
		}
	}
}

// TestSampleAE: an AE's samples come from a Gaussian fitted to its
// training codes and its plane spans them, each said in one line.
func TestSampleAE(t *testing.T) {
	dir := t.TempDir()
	ae := filepath.Join(fixDir, "ae", "model.safetensors")
	stdout, stderr, code := wgmlRunEnv(t, dir, nil, "sample", "--backend", "cpu", "--model", ae, "--data", filepath.Join(fixDir, "idx"), "--n", "4", "--manifold", "3", "--out", "s.png")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"(an AE has no prior: drawn from N(μ, Σ) fitted to its ", "(the codes' plane: latent dims 1-2, evenly spaced over the middle 98% of "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, p := range []string{"s.png", "manifold.png"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Error(err)
		}
	}
}
