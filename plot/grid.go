package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"

	"github.com/wgml/wgml/internal/atomicfile"
)

// gap is the width in pixels of the border around and between the tiles of
// ImageGrid and ImageRows, and gapGray its gray level: mid gray, set off
// from both black and white backgrounds.
const (
	gap     = 2
	gapGray = 128
)

// ImageGrid writes grayscale images (each width×height row-major values in
// [0,1], clamped; NaN counts as 0) to path as a PNG grid with cols images per
// row, filled row by row. Each pixel becomes a scale×scale block, and a
// 2-pixel mid-gray border runs around and between the tiles.
func ImageGrid(path string, images [][]float32, width, height, cols, scale int) error {
	if cols < 1 {
		return fmt.Errorf("%s: %d columns, want at least 1", path, cols)
	}
	var rows [][][]float32
	for i := 0; i < len(images); i += cols {
		rows = append(rows, images[i:min(i+cols, len(images))])
	}
	return ImageRows(path, rows, width, height, scale)
}

// ImageRows writes rows of grayscale images to path as a PNG grid, one row of
// images per inner slice: e.g. inputs above their reconstructions, or noisy
// inputs, de-noised outputs and clean targets. Images are as for ImageGrid;
// rows may differ in length, and missing tiles are left in the gap colour.
func ImageRows(path string, rows [][][]float32, width, height, scale int) error {
	if width < 1 || height < 1 || scale < 1 {
		return fmt.Errorf("%s: image size %dx%d at scale %d, want all at least 1", path, width, height, scale)
	}
	cols := 0
	for r, row := range rows {
		cols = max(cols, len(row))
		for c, im := range row {
			if len(im) != width*height {
				return fmt.Errorf("%s: image %d of row %d has %d values, want %dx%d = %d",
					path, c, r, len(im), width, height, width*height)
			}
		}
	}
	if cols == 0 {
		return fmt.Errorf("%s: no images", path)
	}

	tw, th := width*scale, height*scale
	img := image.NewGray(image.Rect(0, 0, gap+cols*(tw+gap), gap+len(rows)*(th+gap)))
	for i := range img.Pix {
		img.Pix[i] = gapGray
	}
	for r, row := range rows {
		for c, im := range row {
			x0, y0 := gap+c*(tw+gap), gap+r*(th+gap)
			for y := range th {
				for x := range tw {
					img.SetGray(x0+x, y0+y, color.Gray{Y: gray(im[(y/scale)*width+x/scale])})
				}
			}
		}
	}
	return atomicfile.Write(path, func(f io.Writer) error { return png.Encode(f, img) })
}

// gray maps v in [0,1] to a gray level, clamping values outside and NaN.
func gray(v float32) uint8 {
	switch {
	case !(v > 0):
		return 0
	case v >= 1:
		return 255
	}
	return uint8(v*255 + 0.5)
}
