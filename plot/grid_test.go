package plot

import (
	"image"
	"math"
	"path/filepath"
	"testing"
)

func TestImageGridPixels(t *testing.T) {
	// Three 2x3 (width x height) images at scale 2, two per row.
	a := []float32{0, 1, 0.5, -3, 2, float32(math.NaN())}
	b := []float32{1, 1, 1, 1, 1, 1}
	c := []float32{0.2, 0, 0, 0, 0, 0}
	path := filepath.Join(t.TempDir(), "grid.png")
	if err := ImageGrid(path, [][]float32{a, b, c}, 2, 3, 1, 2, 2); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path).(*image.Gray)
	// 2 columns of 4 px and 2 rows of 6 px, with 2-px gaps around and between.
	if got := img.Bounds().Size(); got != (image.Point{X: 2 + 2*(4+2), Y: 2 + 2*(6+2)}) {
		t.Fatalf("size %v, want 14x18", got)
	}
	want := map[[2]int]uint8{
		{0, 0}: gapGray, {1, 5}: gapGray, {6, 2}: gapGray, {7, 2}: gapGray, {2, 8}: gapGray,
		// image a, top-left tile at (2,2); each pixel a 2x2 block
		{2, 2}: 0, {3, 3}: 0, {4, 2}: 255, {5, 3}: 255,
		{2, 4}: 128, {3, 5}: 128, {4, 4}: 0, // 0.5 rounds to 128; -3 clamps to 0
		{2, 6}: 255, {4, 7}: 0, // 2 clamps to 255; NaN becomes 0
		// image b, tile at (8,2)
		{8, 2}: 255, {11, 7}: 255,
		// image c, tile at (2,10); 0.2*255 = 51
		{2, 10}: 51, {3, 11}: 51, {4, 10}: 0,
		// the empty fourth tile stays gap-coloured
		{8, 10}: gapGray, {11, 15}: gapGray,
	}
	for p, w := range want {
		if got := img.GrayAt(p[0], p[1]).Y; got != w {
			t.Errorf("pixel (%d,%d) = %d, want %d", p[0], p[1], got, w)
		}
	}
}

func TestImageRows(t *testing.T) {
	one := []float32{1}
	zero := []float32{0}
	path := filepath.Join(t.TempDir(), "rows.png")
	if err := ImageRows(path, [][][]float32{{one, zero, one}, {zero}}, 1, 1, 1, 3); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path).(*image.Gray)
	if got := img.Bounds().Size(); got != (image.Point{X: 2 + 3*5, Y: 2 + 2*5}) {
		t.Fatalf("size %v, want 17x12", got)
	}
	for _, c := range []struct {
		x, y int
		want uint8
	}{
		{2, 2, 255}, {4, 4, 255}, {7, 2, 0}, {12, 4, 255}, // row 0: one, zero, one
		{2, 7, 0}, {4, 9, 0}, {7, 7, gapGray}, {12, 9, gapGray}, // row 1: zero, then gaps
	} {
		if got := img.GrayAt(c.x, c.y).Y; got != c.want {
			t.Errorf("pixel (%d,%d) = %d, want %d", c.x, c.y, got, c.want)
		}
	}
}

// TestImageGridRGB: an RGB image's pixels keep their three channels, in
// order, and the gaps stay mid gray.
func TestImageGridRGB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rgb.png")
	im := []float32{1, 0, 0, 0, 1, 0.5} // 2x1: red, then green with half blue
	if err := ImageGrid(path, [][]float32{im}, 2, 1, 3, 1, 1); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	for _, c := range []struct {
		x, y       int
		r, g, b, a uint8
	}{{2, 2, 255, 0, 0, 255}, {3, 2, 0, 255, 128, 255}, {0, 0, gapGray, gapGray, gapGray, 255}} {
		r, g, b, a := img.At(c.x, c.y).RGBA()
		if got := [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}; got != [4]uint8{c.r, c.g, c.b, c.a} {
			t.Errorf("pixel (%d,%d) = %v, want %v", c.x, c.y, got, [4]uint8{c.r, c.g, c.b, c.a})
		}
	}
	if err := ImageGrid(path, [][]float32{im[:3]}, 2, 1, 3, 1, 1); err == nil {
		t.Error("an RGB image of 3 values for 2x1 pixels: no error")
	}
}

func TestImageGridErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.png")
	im := make([]float32, 4)
	for name, err := range map[string]error{
		"no images":   ImageGrid(path, nil, 2, 2, 1, 1, 1),
		"zero cols":   ImageGrid(path, [][]float32{im}, 2, 2, 1, 0, 1),
		"zero scale":  ImageGrid(path, [][]float32{im}, 2, 2, 1, 1, 0),
		"zero width":  ImageGrid(path, [][]float32{im}, 0, 2, 1, 1, 1),
		"wrong size":  ImageGrid(path, [][]float32{im, im[:3]}, 2, 2, 1, 2, 1),
		"empty rows":  ImageRows(path, [][][]float32{{}, {}}, 2, 2, 1, 1),
		"missing dir": ImageGrid(filepath.Join(dir, "no", "such.png"), [][]float32{im}, 2, 2, 1, 1, 1),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	noTempFiles(t, dir)
}
