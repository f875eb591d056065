package plot

import (
	"cmp"
	"fmt"
	"image"
	"image/color"
	imgpalette "image/color/palette"
	stddraw "image/draw"
	"image/png"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/wgml/wgml/internal/atomicfile"
	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// LatentPanel is one model's row of Comparison: its codes on a latent
// plane, that plane decoded, and a path decoded.
type LatentPanel struct {
	// Title heads the row, e.g. the model and its test loss.
	Title string
	// Points are codes in plane coordinates (u, v), Labels their classes
	// (nil: one colour), Classes the class names (nil: numbers).
	Points  [][2]float64
	Labels  []int
	Classes []string
	// U and V are the plane's grid positions (increasing); Plane their
	// decoded images, len(V) rows of len(U), the top row at the largest V.
	U, V  []float64
	Plane [][]float32
	// Path is the path's points in plane coordinates and PathImages the
	// images along it (e.g. an input, the decoded points, an input).
	Path       [][2]float64
	PathImages [][]float32
	// Axes names the two axes, e.g. "z1", "z2" (default "u", "v").
	Axes [2]string
	// Width, Height and Channels are the images' shape as for ImageGrid.
	Width, Height, Channels int
}

// The layout of Comparison, per panel row: a title line, the scatter and
// the decoded plane side by side (each panelSide square), the path strip.
const (
	compareDPI   = 72
	panelSide    = 5 * vg.Inch
	titleHeight  = 0.4 * vg.Inch
	stripHeight  = 0.9 * vg.Inch
	compareWidth = 2 * panelSide
	panelHeight  = titleHeight + panelSide + stripHeight
)

// ComparisonSize is the size in pixels of Comparison's PNG of n panels.
func ComparisonSize(n int) (width, height int) {
	px := func(l vg.Length) int { return int(math.Ceil(l.Dots(compareDPI))) }
	return px(compareWidth), px(vg.Length(n) * panelHeight)
}

// Comparison writes one PNG with a row per panel: on the left the codes
// coloured by class (each class's number at its median code) with the
// path drawn through them, on the right the decoded plane on the same
// axes with the path over it, and below both the path's images left to
// right. The axes of both span the plane's grid (half a tile past its
// outer points); codes outside are left out.
func Comparison(path string, panels []LatentPanel) error {
	if len(panels) == 0 {
		return fmt.Errorf("%s: no panels", path)
	}
	w, h := ComparisonSize(len(panels))
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(w)/compareDPI*vg.Inch, vg.Length(h)/compareDPI*vg.Inch), vgimg.UseDPI(compareDPI))
	dc := draw.New(c)
	for i, p := range panels {
		top := dc.Max.Y - vg.Length(i)*panelHeight
		if err := p.draw(dc, top); err != nil {
			return fmt.Errorf("%s: panel %d (%s): %w", path, i, p.Title, err)
		}
	}
	return atomicfile.Write(path, func(f io.Writer) error { return png.Encode(f, paletted(c.Image())) })
}

// paletted maps img to the nearest of 256 colours (the class palette,
// 216 web-safe colours, the rest grays), without dithering: the PNG is a
// fraction of the RGBA one's size and looks the same.
func paletted(img image.Image) *image.Paletted {
	pal := color.Palette{}
	for _, c := range palette {
		pal = append(pal, c)
	}
	pal = append(pal, imgpalette.WebSafe...)
	for g := 0; len(pal) < 256; g++ {
		pal = append(pal, color.Gray{Y: uint8(g * 255 / (255 - len(palette) - len(imgpalette.WebSafe)))})
	}
	out := image.NewPaletted(img.Bounds(), pal)
	stddraw.Draw(out, out.Rect, img, img.Bounds().Min, stddraw.Src)
	return out
}

// draw draws the panel's row with its top edge at top.
func (p LatentPanel) draw(dc draw.Canvas, top vg.Length) error {
	if len(p.U) < 1 || len(p.V) < 1 || len(p.Plane) != len(p.U)*len(p.V) {
		return fmt.Errorf("%d plane images for a %dx%d grid", len(p.Plane), len(p.U), len(p.V))
	}
	sty := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 14), Handler: plot.DefaultTextHandler, XAlign: text.XCenter, YAlign: text.YTop}
	dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top - vg.Points(6)}, p.Title)
	y0 := top - titleHeight - panelSide
	area := func(x0 vg.Length) draw.Canvas {
		return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + panelSide, Y: y0 + panelSide}}}
	}
	scatter, err := p.scatter()
	if err != nil {
		return err
	}
	scatter.Draw(area(dc.Min.X))
	plane, err := p.plane()
	if err != nil {
		return err
	}
	plane.Draw(area(dc.Min.X + panelSide))
	return p.strip(dc, y0)
}

// axes returns a plot whose axes span the grid, half a tile past its
// outer points, titled title.
func (p LatentPanel) axes(title string) *plot.Plot {
	pl := plot.New()
	pl.Title.Text = title
	pl.X.Min, pl.X.Max = span(p.U)
	pl.Y.Min, pl.Y.Max = span(p.V)
	pl.X.Label.Text, pl.Y.Label.Text = cmp.Or(p.Axes[0], "u"), cmp.Or(p.Axes[1], "v")
	return pl
}

// span is the range of the grid positions x, half a step past each end.
func span(x []float64) (lo, hi float64) {
	half := 0.5
	if len(x) > 1 {
		half = (x[len(x)-1] - x[0]) / float64(len(x)-1) / 2
	}
	return x[0] - half, x[len(x)-1] + half
}

// scatter plots the codes inside the axes, coloured by class, with the
// class numbers at their median codes and the path over them.
func (p LatentPanel) scatter() (*plot.Plot, error) {
	if p.Labels != nil && len(p.Labels) != len(p.Points) {
		return nil, fmt.Errorf("%d labels for %d points", len(p.Labels), len(p.Points))
	}
	pl := p.axes("codes, coloured by label")
	var xys plotter.XYs
	var labels []int
	byClass := map[int][][2]float64{}
	for i, pt := range p.Points {
		if pt[0] < pl.X.Min || pt[0] > pl.X.Max || pt[1] < pl.Y.Min || pt[1] > pl.Y.Max {
			continue
		}
		k := 0
		if p.Labels != nil {
			k = p.Labels[i]
		}
		xys, labels = append(xys, plotter.XY{X: pt[0], Y: pt[1]}), append(labels, k)
		byClass[k] = append(byClass[k], pt)
	}
	if len(xys) == 0 {
		return nil, fmt.Errorf("no codes inside the plane's range")
	}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
		return draw.GlyphStyle{Color: palette[labels[i]%len(palette)], Radius: vg.Points(1), Shape: draw.CircleGlyph{}}
	}
	pl.Add(sc)
	if p.Labels != nil {
		names, err := p.classNames(byClass)
		if err != nil {
			return nil, err
		}
		pl.Add(names)
	}
	return pl, p.addPath(pl, color.Black)
}

// classNames labels each class at its median code, in bold black.
func (p LatentPanel) classNames(byClass map[int][][2]float64) (*plotter.Labels, error) {
	var at plotter.XYLabels
	for k, pts := range byClass {
		name := strconv.Itoa(k)
		if k >= 0 && k < len(p.Classes) {
			name = p.Classes[k]
		}
		at.XYs = append(at.XYs, plotter.XY{X: median(pts, 0), Y: median(pts, 1)})
		at.Labels = append(at.Labels, name)
	}
	l, err := plotter.NewLabels(at)
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(16)
		l.TextStyle[i].Font.Weight = xfont.WeightBold
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = text.XCenter, text.YCenter
	}
	return l, nil
}

// median is the median of coordinate a of pts.
func median(pts [][2]float64, a int) float64 {
	x := make([]float64, len(pts))
	for i, pt := range pts {
		x[i] = pt[a]
	}
	sort.Float64s(x)
	return x[len(x)/2]
}

// plane plots the decoded grid on the axes with the path over it.
func (p LatentPanel) plane() (*plot.Plot, error) {
	pl := p.axes("the same plane, decoded")
	rows := make([][][]float32, len(p.V))
	for i := range rows {
		rows[i] = p.Plane[i*len(p.U) : (i+1)*len(p.U)]
	}
	img, err := tiles(rows, p.Width, p.Height, max(p.Channels, 1), 1)
	if err != nil {
		return nil, err
	}
	xlo, xhi := span(p.U)
	ylo, yhi := span(p.V)
	pl.Add(plotter.NewImage(img, xlo, ylo, xhi, yhi))
	return pl, p.addPath(pl, color.RGBA{R: 0xff, G: 0x30, B: 0x30, A: 0xff})
}

// addPath draws the path as a line of colour c with its ends marked.
func (p LatentPanel) addPath(pl *plot.Plot, c color.Color) error {
	if len(p.Path) == 0 {
		return nil
	}
	xys := make(plotter.XYs, len(p.Path))
	for i, pt := range p.Path {
		xys[i] = plotter.XY{X: pt[0], Y: pt[1]}
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	line.LineStyle.Color, line.LineStyle.Width = c, vg.Points(2)
	points.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	pl.Add(line, points)
	return nil
}

// strip draws the path's images in one row, centred below y.
func (p LatentPanel) strip(dc draw.Canvas, y vg.Length) error {
	if len(p.PathImages) == 0 {
		return nil
	}
	img, err := tiles([][][]float32{p.PathImages}, p.Width, p.Height, max(p.Channels, 1), 1)
	if err != nil {
		return err
	}
	b := img.Bounds()
	hgt := stripHeight - vg.Points(8)
	wid := hgt * vg.Length(b.Dx()) / vg.Length(b.Dy())
	if wid > compareWidth { // a long path: fit the width instead
		wid, hgt = compareWidth, compareWidth*vg.Length(b.Dy())/vg.Length(b.Dx())
	}
	x0 := (dc.Min.X+dc.Max.X)/2 - wid/2
	dc.DrawImage(vg.Rectangle{Min: vg.Point{X: x0, Y: y - vg.Points(4) - hgt}, Max: vg.Point{X: x0 + wid, Y: y - vg.Points(4)}}, img)
	return nil
}
