package plot

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fallingCurves returns a training loss 1/(1+step/10) over 200 steps, 20
// to an epoch, and a validation loss 1.1/(1+epoch/2) at epochs 1..10.
func fallingCurves() []Series {
	var train, val Series
	train.Name, val.Name = "train", "validation"
	for step := range 200 {
		train.X = append(train.X, float64(step)/20)
		train.Y = append(train.Y, 1/(1+float64(step)/10))
	}
	for epoch := 1; epoch <= 10; epoch++ {
		val.X = append(val.X, float64(epoch))
		val.Y = append(val.Y, 1.1/(1+float64(epoch)/2))
	}
	return []Series{train, val}
}

func TestLossCurve(t *testing.T) {
	series := fallingCurves()
	path := filepath.Join(t.TempDir(), "loss.png")
	if err := LossCurve(path, "VAE on MNIST", series); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	if got := img.Bounds().Size(); got != (image.Point{X: 768, Y: 480}) {
		t.Errorf("size %v, want 768x480 (8x5 in at 96 dpi)", got)
	}
	if got := color.RGBAModel.Convert(img.At(0, 0)); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("corner pixel %v, want white", got)
	}
	for i, s := range series {
		if n := countColor(img, palette[i]); n < 50 {
			t.Errorf("series %q: %d pixels of its colour %v, want a drawn curve", s.Name, n, palette[i])
		}
	}
}

func TestLossCurveSinglePoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.png")
	if err := LossCurve(path, "", []Series{{Name: "val", X: []float64{1}, Y: []float64{0.5}}}); err != nil {
		t.Fatal(err)
	}
	if n := countColor(readPNG(t, path), palette[0]); n == 0 {
		t.Error("a single point left no mark")
	}
}

func TestLossCurveErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loss.png")
	for name, series := range map[string][]Series{
		"no series":  nil,
		"no points":  {{Name: "a"}},
		"ragged":     {{Name: "a", X: []float64{0, 1}, Y: []float64{1}}},
		"NaN":        {{Name: "a", X: []float64{0, 1}, Y: []float64{1, math.NaN()}}},
		"infinite x": {{Name: "a", X: []float64{math.Inf(1)}, Y: []float64{1}}},
	} {
		if err := LossCurve(path, "", series); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("failed writes left %s behind (stat: %v)", path, err)
	}
	noTempFiles(t, dir)
}
