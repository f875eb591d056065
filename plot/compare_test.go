package plot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// panelOf is a LatentPanel of 2×2 images on a k×k plane, with three
// points and a two-point path.
func panelOf(k int) LatentPanel {
	img := func(v float32) []float32 { return []float32{v, 1 - v, v, 1 - v} }
	p := LatentPanel{Title: "tiny", Points: [][2]float64{{0, 0}, {1, 1}, {0.5, 0.2}}, Labels: []int{0, 1, 1},
		Path: [][2]float64{{0, 0}, {1, 1}}, PathImages: [][]float32{img(0), img(1)}, Width: 2, Height: 2}
	for j := range k {
		p.U, p.V = append(p.U, float64(j)/float64(k-1)), append(p.V, float64(j)/float64(k-1))
	}
	for i := range k * k {
		p.Plane = append(p.Plane, img(float32(i)/float32(k*k)))
	}
	return p
}

func TestComparisonLayout(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cmp.png")
	if err := Comparison(path, []LatentPanel{panelOf(3), panelOf(4), panelOf(2)}); err != nil {
		t.Fatal(err)
	}
	b := readPNG(t, path).Bounds()
	w, h := ComparisonSize(3)
	if w1, h1 := ComparisonSize(1); b.Dx() != w || b.Dy() != h || w1 != w || h1*3 < h-3 || h1*3 > h+3 {
		t.Errorf("picture %dx%d, want %dx%d (three rows of %dx%d)", b.Dx(), b.Dy(), w, h, w1, h1)
	}
	bad := panelOf(3)
	bad.Plane = bad.Plane[1:]
	err := Comparison(filepath.Join(dir, "bad.png"), []LatentPanel{panelOf(3), bad})
	if err == nil || !strings.Contains(err.Error(), "panel 1 (tiny): 8 plane images for a 3x3 grid") {
		t.Errorf("a short plane: error %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.png")); err == nil {
		t.Error("bad.png written")
	}
}
