package plot

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
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

// ImageGrid writes images (each width×height×channels row-major values in
// [0,1], clamped; NaN counts as 0; channels 1 for grayscale, 3 for RGB with
// a pixel's R, G, B together) to path as a PNG grid with cols images per
// row, filled row by row. Each pixel becomes a scale×scale block, and a
// 2-pixel mid-gray border runs around and between the tiles.
func ImageGrid(path string, images [][]float32, width, height, channels, cols, scale int) error {
	if cols < 1 {
		return fmt.Errorf("%s: %d columns, want at least 1", path, cols)
	}
	var rows [][][]float32
	for i := 0; i < len(images); i += cols {
		rows = append(rows, images[i:min(i+cols, len(images))])
	}
	return ImageRows(path, rows, width, height, channels, scale)
}

// ImageRows writes rows of images to path as a PNG grid, one row of
// images per inner slice: e.g. inputs above their reconstructions, or noisy
// inputs, de-noised outputs and clean targets. Images are as for ImageGrid;
// rows may differ in length, and missing tiles are left in the gap colour.
func ImageRows(path string, rows [][][]float32, width, height, channels, scale int) error {
	img, err := tiles(rows, width, height, channels, scale)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, func(f io.Writer) error { return png.Encode(f, img) })
}

// tiles lays rows of images out as ImageRows draws them.
func tiles(rows [][][]float32, width, height, channels, scale int) (image.Image, error) {
	if width < 1 || height < 1 || scale < 1 {
		return nil, fmt.Errorf("image size %dx%d at scale %d, want all at least 1", width, height, scale)
	}
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("%d channels, want 1 (grayscale) or 3 (RGB)", channels)
	}
	cols := 0
	for r, row := range rows {
		cols = max(cols, len(row))
		for c, im := range row {
			if len(im) != width*height*channels {
				return nil, fmt.Errorf("image %d of row %d has %d values, want %dx%dx%d = %d",
					c, r, len(im), width, height, channels, width*height*channels)
			}
		}
	}
	if cols == 0 {
		return nil, fmt.Errorf("no images")
	}

	tw, th := width*scale, height*scale
	bounds := image.Rect(0, 0, gap+cols*(tw+gap), gap+len(rows)*(th+gap))
	var img draw.Image = image.NewGray(bounds)
	if channels == 3 {
		img = image.NewRGBA(bounds)
	}
	draw.Draw(img, bounds, image.NewUniform(color.Gray{Y: gapGray}), image.Point{}, draw.Src)
	for r, row := range rows {
		for c, im := range row {
			x0, y0 := gap+c*(tw+gap), gap+r*(th+gap)
			for y := range th {
				for x := range tw {
					p := ((y/scale)*width + x/scale) * channels
					if channels == 1 {
						img.Set(x0+x, y0+y, color.Gray{Y: gray(im[p])})
					} else {
						img.Set(x0+x, y0+y, color.RGBA{R: gray(im[p]), G: gray(im[p+1]), B: gray(im[p+2]), A: 255})
					}
				}
			}
		}
	}
	return img, nil
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
