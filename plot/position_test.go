package plot

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"
)

// pixelsOf returns the coordinates of img's pixels that are exactly c.
func pixelsOf(img image.Image, c color.RGBA) []image.Point {
	var ps []image.Point
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) == c {
				ps = append(ps, image.Point{X: x, Y: y})
			}
		}
	}
	return ps
}

// extremes returns the leftmost, rightmost, topmost and bottommost of ps
// (the first found on ties).
func extremes(ps []image.Point) (left, right, top, bottom image.Point) {
	left, right, top, bottom = ps[0], ps[0], ps[0], ps[0]
	for _, p := range ps {
		if p.X < left.X {
			left = p
		}
		if p.X > right.X {
			right = p
		}
		if p.Y < top.Y {
			top = p
		}
		if p.Y > bottom.Y {
			bottom = p
		}
	}
	return
}

// TestLatentScatterPositions plots one point of each of four classes at the
// corners of the unit square and checks where each colour lands: class k's
// leftmost pixel is its point (the legend lies to the right of the plot),
// left or right and up or down as its coordinates say.
func TestLatentScatterPositions(t *testing.T) {
	corners := [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}}
	path := filepath.Join(t.TempDir(), "corners.png")
	if err := LatentScatter(path, "", corners, []int{0, 1, 2, 3}, nil); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	var at [4]image.Point
	for k := range at {
		ps := pixelsOf(img, palette[k])
		if len(ps) == 0 {
			t.Fatalf("class %d: no pixel of its colour %v", k, palette[k])
		}
		at[k], _, _, _ = extremes(ps)
	}
	t.Logf("leftmost pixels of classes 0-3: %v", at)
	const slack = 3 // pixels: a glyph's antialiased edge
	near := func(a, b int) bool { return a-b <= slack && b-a <= slack }
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if !near(at[0].X, at[2].X) || !near(at[1].X, at[3].X) || !(at[1].X-at[0].X > w/3) {
		t.Errorf("x = 0 points at pixel columns %d, %d; x = 1 points at %d, %d: want two columns far apart, x = 1 to the right",
			at[0].X, at[2].X, at[1].X, at[3].X)
	}
	if !near(at[0].Y, at[1].Y) || !near(at[2].Y, at[3].Y) || !(at[0].Y-at[2].Y > h/3) {
		t.Errorf("y = 0 points at pixel rows %d, %d; y = 1 points at %d, %d: want two rows far apart, y = 1 above",
			at[0].Y, at[1].Y, at[2].Y, at[3].Y)
	}
}

// TestLossCurvePositions checks where TestLossCurve's falling curves are
// drawn: the training loss highest at its first point (left) and lowest at
// its last (right), the validation loss starting one epoch in, to the right
// of the training curve's start and below it, and ending above it.
func TestLossCurvePositions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.png")
	if err := LossCurve(path, "", fallingCurves()); err != nil {
		t.Fatal(err)
	}
	img := readPNG(t, path)
	w := img.Bounds().Dx()
	tl, _, tt, tb := extremes(pixelsOf(img, palette[0]))
	vl, _, _, vb := extremes(pixelsOf(img, palette[1]))
	t.Logf("train: leftmost %v, topmost %v, bottommost %v; validation: leftmost %v, bottommost %v", tl, tt, tb, vl, vb)
	if !(tt.X < w/4) {
		t.Errorf("training loss peaks at pixel %v, want its first point, in the left quarter of %d", tt, w)
	}
	if !(tb.X > 3*w/4 && vb.X > 3*w/4) {
		t.Errorf("lowest pixels at %v (train) and %v (validation), want their last points, in the right quarter of %d", tb, vb, w)
	}
	// One epoch of ten is about a tenth of the plot's width (w less axes).
	if d := vl.X - tl.X; !(d > w/20 && d < w/6) {
		t.Errorf("validation starts %d pixels right of the training curve, want about a tenth of %d", d, w)
	}
	// Validation starts at 0.73, below training's 1, and ends at 0.18,
	// above training's 0.05.
	if !(vl.Y > tl.Y) || !(vb.Y < tb.Y) {
		t.Errorf("validation from %v to %v, training from %v to %v: want validation below at the start, above at the end", vl, vb, tl, tb)
	}
}
