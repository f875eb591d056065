package wgml

import (
	"cmp"
	"fmt"
	"math"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/plot"
)

// CompareModel is one model of Compare's picture and the name its row
// goes by (e.g. "AE").
type CompareModel struct {
	Name  string
	Model *Model
}

// CompareOptions shape Compare's picture; zero fields take the defaults.
type CompareOptions struct {
	// From and To are the ends of the path: "label:K" (the first row
	// labelled K) or "index:I". Default label:1 and label:7.
	From, To string
	// Grid is the number of decoded points on each side of the plane
	// (default 15); Steps the decoded points of the path, ends included
	// (default 10).
	Grid, Steps int
	// Points is the most codes drawn in each scatter, the first rows of
	// the data (default 5000); the plane spans all of them.
	Points int
}

func (o *CompareOptions) defaults() {
	o.From, o.To = cmp.Or(o.From, "label:1"), cmp.Or(o.To, "label:7")
	o.Grid, o.Steps, o.Points = cmp.Or(o.Grid, 15), cmp.Or(o.Steps, 10), cmp.Or(o.Points, 5000)
}

// Check refuses options that draw no picture: Grid or Steps under 2,
// Points under 1 (zero fields included: Compare gives them their defaults
// first).
func (o CompareOptions) Check() error {
	if o.Grid < 2 || o.Steps < 2 || o.Points < 1 {
		return optionErr("grid %d, steps %d, points %d: want at least 2, 2 and 1", o.Grid, o.Steps, o.Points)
	}
	return nil
}

// LatentSummary is what Compare drew for one model: the plane, the codes'
// extremes on it, and the rows at the path's ends.
type LatentSummary struct {
	Name     string
	Plane    Plane
	Min, Max [2]float64 // the codes' extremes in plane coordinates (u, v)
	From, To int
}

// Line says in one line where the codes of the rows of d lie on the
// summary's plane, and which plane it is.
func (s LatentSummary) Line(d *data.Dataset) string {
	return fmt.Sprintf("%s: codes of %d rows of %s span u %.2f..%.2f, v %.2f..%.2f; plane u %.2f..%.2f, v %.2f..%.2f (%s)", s.Name, d.Rows, d.Name,
		s.Min[0], s.Max[0], s.Min[1], s.Max[1], s.Plane.U[0], s.Plane.U[len(s.Plane.U)-1], s.Plane.V[0], s.Plane.V[len(s.Plane.V)-1], s.Plane.How)
}

// Compare writes one PNG (plot.Comparison) with a row per model of the
// images d: its codes of d coloured by label, the latent plane those codes
// fill (CodesPlane, for every model alike, so that the picture shows
// where each model put the data and what lies between) decoded on the
// same axes, and the straight latent path between rows From and To
// decoded, drawn on both and in a strip below. An AE's plane blurs where
// its classes meet and its path passes through blobs; a VAE's morphs from
// digit to digit.
func Compare(path string, d *data.Dataset, models []CompareModel, opt CompareOptions) ([]LatentSummary, error) {
	opt.defaults()
	if d.Width <= 0 || d.Height <= 0 {
		return nil, optionErr("compare: data %s is a table, not images", d.Name)
	}
	if err := opt.Check(); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	a, err := FindRow(d, opt.From, "from")
	if err != nil {
		return nil, err
	}
	b, err := FindRow(d, opt.To, "to")
	if err != nil {
		return nil, err
	}
	var panels []plot.LatentPanel
	var out []LatentSummary
	for _, cm := range models {
		if cm.Model.Net.Config.Input() != d.Cols {
			return nil, optionErr("compare: %s expects %d columns, data %s has %d", cm.Name, cm.Model.Net.Config.Input(), d.Name, d.Cols)
		}
		p, s, err := cm.panel(d, a, b, opt)
		if err != nil {
			return nil, fmt.Errorf("compare: %s: %w", cm.Name, err)
		}
		panels, out = append(panels, p), append(out, s)
	}
	return out, plot.Comparison(path, panels)
}

// panel encodes d, decodes the codes' plane and the path from row a to
// row b, and lays them out as the model's row of the picture.
func (cm CompareModel) panel(d *data.Dataset, a, b int, opt CompareOptions) (plot.LatentPanel, LatentSummary, error) {
	m, L := cm.Model, cm.Model.Net.Config.Latent()
	codes, err := m.Codes(d)
	if err != nil {
		return plot.LatentPanel{}, LatentSummary{}, err
	}
	plane, err := CodesPlane(codes, L, opt.Grid)
	if err != nil {
		return plot.LatentPanel{}, LatentSummary{}, err
	}
	grid, err := m.DecodeCodes(plane.Codes(), opt.Grid*opt.Grid)
	if err != nil {
		return plot.LatentPanel{}, LatentSummary{}, err
	}
	z := LatentPath(codes[a*L:(a+1)*L], codes[b*L:(b+1)*L], opt.Steps)
	path, err := m.DecodeCodes(z, opt.Steps)
	if err != nil {
		return plot.LatentPanel{}, LatentSummary{}, err
	}
	uv := plane.Project(codes)
	s := LatentSummary{Name: cm.Name, Plane: plane, From: a, To: b}
	s.Min, s.Max = extremes(uv)
	n := min(opt.Points, d.Rows)
	var labels []int
	if d.Labels != nil {
		labels = d.Labels[:n]
	}
	return plot.LatentPanel{
		Title:  fmt.Sprintf("%s %v%s: the middle %.0f%% of its codes; path %s -> %s", cm.Name, m.Net.Config.Layers, testLoss(m), 100*(1-2*PlaneSpan), opt.From, opt.To),
		Axes:   planeAxes(L),
		Points: uv[:n], Labels: labels, Classes: d.Classes,
		U: plane.U, V: plane.V, Plane: split32(grid, d.Cols),
		Path: plane.Project(z), PathImages: PathStrip(d, path, a, b),
		Width: d.Width, Height: d.Height, Channels: d.Channels,
	}, s, nil
}

// planeAxes names the axes of a CodesPlane of codes of width L.
func planeAxes(L int) [2]string {
	if L > 2 {
		return [2]string{"PC1 of the codes", "PC2 of the codes"}
	}
	return [2]string{"z1", "z2"}
}

// extremes are the smallest and largest coordinates of uv on each axis.
func extremes(uv [][2]float64) (lo, hi [2]float64) {
	lo, hi = [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, p := range uv {
		for a := range 2 {
			lo[a], hi[a] = min(lo[a], p[a]), max(hi[a], p[a])
		}
	}
	return lo, hi
}

// testLoss is ", test loss X" from the model's last epoch, or "" where it
// has none.
func testLoss(m *Model) string {
	if len(m.History) == 0 {
		return ""
	}
	l := m.History[len(m.History)-1].TestLoss
	if l == 0 || math.IsNaN(l) || math.IsInf(l, 0) {
		return ""
	}
	return fmt.Sprintf(", test loss %.1f", l)
}

// split32 cuts a row-major table into rows of width values (views).
func split32(v []float32, width int) [][]float32 {
	out := make([][]float32, len(v)/width)
	for i := range out {
		out[i] = v[i*width : (i+1)*width]
	}
	return out
}
