package plot

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/wgml/wgml/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// markMax is the most points a series may have for LossCurve to mark each
// point with a dot; sparse series such as a per-epoch validation loss get
// dots, so that even a single point shows.
const markMax = 50

// Series is one named curve: Y[i] at X[i].
type Series struct {
	Name string
	X, Y []float64
}

// LossCurve writes a PNG line chart of the series to path, with "epoch" on
// the x axis, "loss" on the y axis and a legend naming each series, e.g.
// training loss per step (X in fractional epochs) beside validation loss per
// epoch. Series with at most 50 points get a dot on each point. Every series must have as many X as Y values, at least one point,
// and only finite values.
func LossCurve(path, title string, series []Series) error {
	if len(series) == 0 {
		return fmt.Errorf("%s: no series to plot", path)
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "loss"
	p.Legend.Top = true // losses fall, so the top right is usually empty
	p.Legend.XOffs = -vg.Points(8)
	p.Add(plotter.NewGrid())
	for i, s := range series {
		xys, err := seriesXYs(s)
		if err != nil {
			return fmt.Errorf("%s: series %q: %w", path, s.Name, err)
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("%s: series %q: %w", path, s.Name, err)
		}
		line.Color = palette[i%len(palette)]
		line.Width = vg.Points(1.5)
		p.Add(line)
		if len(xys) > markMax {
			p.Legend.Add(s.Name, line)
			continue
		}
		marks, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("%s: series %q: %w", path, s.Name, err)
		}
		marks.Color = line.Color
		marks.Shape = draw.CircleGlyph{}
		marks.Radius = vg.Points(2.5)
		p.Add(marks)
		p.Legend.Add(s.Name, line, marks)
	}
	w, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, func(f io.Writer) error {
		_, err := w.WriteTo(f)
		return err
	})
}

// seriesXYs checks s and returns its points.
func seriesXYs(s Series) (plotter.XYs, error) {
	if len(s.X) != len(s.Y) {
		return nil, fmt.Errorf("%d x values but %d y values", len(s.X), len(s.Y))
	}
	if len(s.X) == 0 {
		return nil, errors.New("no points")
	}
	xys := make(plotter.XYs, len(s.X))
	for i := range s.X {
		if !finite(s.X[i]) || !finite(s.Y[i]) {
			return nil, fmt.Errorf("point %d is (%g, %g), want finite values", i, s.X[i], s.Y[i])
		}
		xys[i] = plotter.XY{X: s.X[i], Y: s.Y[i]}
	}
	return xys, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// KeepFinite returns the series with their non-finite points left out (a
// validation or test loss an epoch did not have), dropping series left
// with none, so LossCurve draws what there is.
func KeepFinite(series []Series) []Series {
	var out []Series
	for _, s := range series {
		k := Series{Name: s.Name}
		for i := range min(len(s.X), len(s.Y)) {
			if finite(s.X[i]) && finite(s.Y[i]) {
				k.X, k.Y = append(k.X, s.X[i]), append(k.Y, s.Y[i])
			}
		}
		if len(k.X) > 0 {
			out = append(out, k)
		}
	}
	return out
}
