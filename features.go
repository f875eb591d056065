package wgml

import (
	"math"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
	"github.com/wgml/wgml/plot"
)

// Explanation is what a scoring pass explains of each row: per-feature
// errors (with the features that contribute most) and, for images, the
// reconstructions and per-pixel errors of a heatmap.
type Explanation struct {
	PerFeature, Heatmap bool
	// Names are the features PerFeature reports: a table's original
	// columns where the model has its schema (a categorical column's
	// one-hot group is one feature), else the model columns.
	Names  []string
	schema *data.Schema
	in     int
}

// Explain returns the explanation of m's scores that ask asks for (its
// PerFeature and Heatmap), refusing a heatmap of a table and per-feature
// errors of a model whose columns are unknown (path names the model in
// errors).
func (m *Model) Explain(ask Explanation, path string) (*Explanation, error) {
	x := &Explanation{PerFeature: ask.PerFeature, Heatmap: ask.Heatmap, in: m.Net.Config.Input()}
	image := m.card.Data.Width > 0
	if ask.Heatmap && !image {
		return nil, optionErr("heatmap: %s was trained on a table, not images; use --per-feature for its columns' errors", path)
	}
	if !x.PerFeature {
		return x, nil
	}
	if s := m.card.Data.Schema; s != nil && s.Width() == x.in {
		x.schema, x.Names = s, s.Names()
		return x, nil
	}
	if x.Names = m.card.Data.Columns; len(x.Names) != x.in {
		why := "it records no column names"
		if image {
			why = "it was trained on images (use --heatmap for per-pixel errors)"
		}
		return nil, optionErr("per-feature: the %d input columns of %s are unknown: %s", x.in, path, why)
	}
	return x, nil
}

// Want is what the scoring pass must return for the explanation.
func (x *Explanation) Want() nn.Want {
	w := nn.Want{Losses: true, Errors: x.Heatmap || x.PerFeature && x.schema == nil, Output: x.Heatmap}
	w.Raw, w.Input = x.schema != nil, x.schema != nil
	return w
}

// Columns are the CSV columns per-feature errors add: err_NAME per
// feature and top_features.
func (x *Explanation) Columns() []string {
	if !x.PerFeature {
		return nil
	}
	cols := make([]string, 0, len(x.Names)+1)
	for _, n := range x.Names {
		cols = append(cols, "err_"+n)
	}
	return append(cols, "top_features")
}

// RowErrors are row i's per-feature errors: data.Schema.Errors of the
// decoder's output (logits for a categorical group) against the row, per
// original column (NaN for a missing value), or the model columns' terms
// of the score.
func (x *Explanation) RowErrors(src nn.Source, res *nn.Results, i int) []float64 {
	In := x.in
	if x.schema != nil {
		var mask []uint8
		if src.Mask != nil {
			mask = src.Mask[i*In : (i+1)*In]
		}
		return x.schema.Errors(res.Raw[i*In:(i+1)*In], res.Input[i*In:(i+1)*In], mask)
	}
	errs := make([]float64, In)
	for j, v := range res.Errors[i*In : (i+1)*In] {
		errs[j] = float64(v)
	}
	return errs
}

// Fields are a row's per-feature errors as CSV fields (empty for a
// missing value) and its top_features (the outlier.TopFeatures largest,
// names joined by ";", missing values left out).
func (x *Explanation) Fields(errs []float64) ([]string, error) {
	ranked := make([]float64, len(errs))
	rec := make([]string, 0, len(errs)+1)
	present := 0
	for j, v := range errs {
		ranked[j] = v
		if math.IsNaN(v) {
			ranked[j] = math.Inf(-1)
			rec = append(rec, "")
			continue
		}
		present++
		rec = append(rec, strconv.FormatFloat(v, 'g', 7, 64))
	}
	top, err := outlier.Top(ranked, x.Names, min(outlier.TopFeatures, present))
	return append(rec, strings.Join(top, ";")), err
}

// HeatmapRows are the n highest-scoring rows of src, each as its input,
// reconstruction and per-pixel error map (res from a pass with Want).
func HeatmapRows(src nn.Source, res *nn.Results, scores []float64, n int) []plot.HeatmapRow {
	In := src.Cols
	idx := outlier.Descending(scores)
	idx = idx[:min(n, len(idx))]
	rows := make([]plot.HeatmapRow, len(idx))
	for k, i := range idx {
		x := make([]float32, In)
		if src.Floats != nil {
			copy(x, src.Floats[i*In:(i+1)*In])
		} else {
			for j, v := range src.Bytes[i*In : (i+1)*In] {
				x[j] = float32(v) / 255
			}
		}
		rows[k] = plot.HeatmapRow{Input: x, Output: res.Output[i*In : (i+1)*In], Errors: res.Errors[i*In : (i+1)*In]}
	}
	return rows
}
