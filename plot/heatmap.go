package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/wgml/wgml/internal/atomicfile"
)

// HeatmapRow is one image of ErrorHeatmap: its input and reconstruction
// (width×height values in [0,1]) and its per-pixel errors (>= 0).
type HeatmapRow struct {
	Input, Output, Errors []float32
}

// ErrorHeatmap writes a PNG with one row per image: the input and the
// reconstruction in gray, then the error map in the "hot" colour map
// (black, red, yellow, white) with e/emax, emax the largest error of all
// the rows, so the maps compare across rows. Each pixel becomes a
// scale×scale block; tiles are set apart as in ImageRows.
func ErrorHeatmap(path string, rows []HeatmapRow, width, height, scale int) error {
	if width < 1 || height < 1 || scale < 1 {
		return fmt.Errorf("%s: image size %dx%d at scale %d, want all at least 1", path, width, height, scale)
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: no images", path)
	}
	emax := 0.0
	for r, row := range rows {
		for _, im := range [][]float32{row.Input, row.Output, row.Errors} {
			if len(im) != width*height {
				return fmt.Errorf("%s: row %d has an image of %d values, want %dx%d = %d", path, r, len(im), width, height, width*height)
			}
		}
		for _, e := range row.Errors {
			if !(e >= 0) || math.IsInf(float64(e), 0) {
				return fmt.Errorf("%s: row %d has a pixel error %v, want finite values >= 0", path, r, e)
			}
			emax = max(emax, float64(e))
		}
	}
	if emax == 0 {
		emax = 1
	}
	tw, th := width*scale, height*scale
	img := image.NewRGBA(image.Rect(0, 0, gap+3*(tw+gap), gap+len(rows)*(th+gap)))
	for i := range img.Pix {
		img.Pix[i] = gapGray
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	for r, row := range rows {
		for c, im := range [][]float32{row.Input, row.Output, row.Errors} {
			x0, y0 := gap+c*(tw+gap), gap+r*(th+gap)
			for y := range th {
				for x := range tw {
					v := im[(y/scale)*width+x/scale]
					var px color.RGBA
					if c == 2 {
						px = hot(float64(v) / emax)
					} else {
						g := gray(v)
						px = color.RGBA{g, g, g, 255}
					}
					img.SetRGBA(x0+x, y0+y, px)
				}
			}
		}
	}
	return atomicfile.Write(path, func(f io.Writer) error { return png.Encode(f, img) })
}

// hot is matplotlib's "hot" colour map at t in [0,1]: red rises over the
// first 3/8, green over the next 3/8, blue over the last 1/4.
func hot(t float64) color.RGBA {
	t = min(max(t, 0), 1)
	ramp := func(lo, hi float64) uint8 { return uint8(255*min(max((t-lo)/(hi-lo), 0), 1) + 0.5) }
	return color.RGBA{ramp(0, 3.0/8), ramp(3.0/8, 6.0/8), ramp(6.0/8, 1), 255}
}
