package plot

import (
	"fmt"
	"image/color"
	"io"
	"slices"
	"strconv"

	"github.com/wgml/wgml/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// LatentScatter writes a PNG scatter plot of 2-D points (latent codes, or
// their PCA2 projection) to path. Point i is coloured by labels[i], with a
// legend entry per class to the right of the plot naming it
// classNames[label] (or the label's number where classNames has no entry).
// Colours repeat after 20 classes. With labels nil every point has one colour
// and there is no legend.
//
// Points are drawn in the order given, so no class hides another wholesale;
// glyphs are small so that tens of thousands of points stay readable.
func LatentScatter(path, title string, points [][2]float64, labels []int, classNames []string) error {
	if len(points) == 0 {
		return fmt.Errorf("%s: no points to plot", path)
	}
	if labels != nil && len(labels) != len(points) {
		return fmt.Errorf("%s: %d labels for %d points", path, len(labels), len(points))
	}
	xys := make(plotter.XYs, len(points))
	for i, pt := range points {
		if !finite(pt[0]) || !finite(pt[1]) {
			return fmt.Errorf("%s: point %d is (%g, %g), want finite values", path, i, pt[0], pt[1])
		}
		if labels != nil && labels[i] < 0 {
			return fmt.Errorf("%s: point %d has label %d, want >= 0", path, i, labels[i])
		}
		xys[i] = plotter.XY{X: pt[0], Y: pt[1]}
	}

	p := plot.New()
	p.Title.Text = title
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: palette[0], Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
	legend := plot.NewLegend()
	legend.Top, legend.Left = true, true
	if labels != nil {
		sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			sty := sc.GlyphStyle
			sty.Color = palette[labels[i]%len(palette)]
			return sty
		}
		classes := slices.Clone(labels)
		slices.Sort(classes)
		for _, k := range slices.Compact(classes) {
			name := strconv.Itoa(k)
			if k < len(classNames) {
				name = classNames[k]
			}
			legend.Add(name, swatch{palette[k%len(palette)]})
		}
	}
	p.Add(sc)

	c := vgimg.New(8*vg.Inch, 7*vg.Inch)
	dc := draw.New(c)
	if labels != nil {
		// The legend takes what it needs, up to a third of the width;
		// longer names run off the right edge.
		r := legend.Rectangle(dc)
		split := dc.Max.X - min(r.Max.X-r.Min.X, dc.Size().X/3) - vg.Points(20)
		legendArea := dc
		legendArea.Min.X = split + vg.Points(10)
		legendArea.Max.Y -= vg.Points(30)
		legend.Draw(legendArea)
		dc.Max.X = split
	}
	p.Draw(dc)
	return atomicfile.Write(path, func(f io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(f)
		return err
	})
}

// swatch is a legend thumbnail: a dot large enough to show its colour.
type swatch struct{ color color.Color }

// Thumbnail draws the swatch, implementing plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: s.color, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, c.Center())
}
