package plot

import (
	"math"
	"path/filepath"
	"testing"
)

func TestErrorHeatmap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.png")
	im := []float32{0, 0.5, 1, 0.25, 0.75, 1}
	errs := []float32{0, 1, 2, 3, 4, 8}
	rows := []HeatmapRow{{im, im, errs}, {im, im, make([]float32, 6)}}
	if err := ErrorHeatmap(path, rows, 3, 2, 2); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	if b := img.Bounds(); b.Dx() != 2+3*(6+2) || b.Dy() != 2+2*(4+2) {
		t.Fatalf("size %v", b)
	}
	// The error tile of row 0: its largest error (8, bottom right) is
	// white, a zero error black.
	x0 := 2 + 2*(6+2)
	at := func(x, y int) [3]uint32 {
		r, g, b, _ := img.At(x, y).RGBA()
		return [3]uint32{r >> 8, g >> 8, b >> 8}
	}
	if c := at(x0+5, 2+3); c != [3]uint32{255, 255, 255} {
		t.Errorf("largest error pixel %v, want white", c)
	}
	if c := at(x0, 2); c != [3]uint32{0, 0, 0} {
		t.Errorf("zero error pixel %v, want black", c)
	}
	for _, bad := range [][]HeatmapRow{nil, {{im, im, errs[:5]}}, {{im, im, []float32{0, 0, 0, 0, 0, float32(math.NaN())}}}, {{im, im, []float32{-1, 0, 0, 0, 0, 0}}}} {
		if err := ErrorHeatmap(path, bad, 3, 2, 2); err == nil {
			t.Errorf("rows %v: no error", bad)
		}
	}
}

func TestKeepFinite(t *testing.T) {
	nan := math.NaN()
	got := KeepFinite([]Series{
		{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1, nan, 3}},
		{Name: "none", X: []float64{1, 2}, Y: []float64{nan, nan}},
	})
	if len(got) != 1 || got[0].Name != "a" || len(got[0].X) != 2 || got[0].Y[1] != 3 {
		t.Errorf("KeepFinite: %+v", got)
	}
}
