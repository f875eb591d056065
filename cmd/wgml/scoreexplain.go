package main

import (
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
	"github.com/wgml/wgml/plot"
)

// explainFlags are the flags of wgml score that choose the threshold by a
// method and explain the scores: per-feature errors and image heatmaps.
type explainFlags struct {
	methodText string
	method     outlier.Method
	madK       float64
	perFeature bool
	heatmap    int
	heatmapOut string
	scale      int
	schema     *data.Schema // --per-feature on a table with a schema: errors per original column
}

func addExplainFlags(fs *pflag.FlagSet) *explainFlags {
	e := &explainFlags{}
	fs.StringVar(&e.methodText, "threshold-method", string(outlier.ByQuantile), "how the threshold is chosen: quantile (train's (1-contamination) quantile of the training scores), mad (median + k·1.4826·MAD of the training scores), max-f1 (the F1-optimal cut on the labelled rows scored) or fpr:X (false-positive rate X on their normal rows)")
	fs.Float64Var(&e.madK, "mad-k", outlier.DefaultMADK, "threshold-method mad: the k of median + k·1.4826·MAD")
	fs.BoolVar(&e.perFeature, "per-feature", false, "add err_COLUMN (each value's squared error, or BCE term) per input column and top_features (the 3 largest) to the CSV")
	fs.IntVar(&e.heatmap, "heatmap", 0, "images: write a PNG of the N highest-scoring images beside their reconstructions and per-pixel error maps")
	fs.StringVar(&e.heatmapOut, "heatmap-out", "", "the --heatmap PNG (default: heatmap.png beside the checkpoint)")
	fs.IntVar(&e.scale, "scale", 4, "heatmap: pixels per image pixel")
	return e
}

// check parses --threshold-method and checks the flags against each other
// (usage errors).
func (e *explainFlags) check(fs *pflag.FlagSet, byThreshold, byContamination bool) error {
	var err error
	if e.method, err = outlier.ParseMethod(e.methodText); err != nil {
		return usageError{err}
	}
	switch {
	case fs.Changed("threshold-method") && (byThreshold || byContamination):
		return usagef("threshold-method and threshold/contamination: give one of them")
	case fs.Changed("mad-k") && e.method.Kind != outlier.ByMAD:
		return usagef("mad-k: only with --threshold-method mad")
	case !(e.madK >= 0) || math.IsInf(e.madK, 0):
		return usagef("mad-k %v: want a finite number >= 0", e.madK)
	case e.heatmap < 0:
		return usagef("heatmap %d: want a number of images >= 1", e.heatmap)
	case e.scale < 1:
		return usagef("scale %d: want at least 1", e.scale)
	}
	return nil
}

// outputs are the extra files score writes (checked writable up front).
func (e *explainFlags) outputs(ckpt string) []string {
	if e.heatmap == 0 {
		return nil
	}
	e.heatmapOut = orBeside(e.heatmapOut, ckpt, "heatmap.png")
	return []string{e.heatmapOut}
}

// featureNames are the names of the columns --per-feature reports (nil
// without it): a table's original columns where the checkpoint has its
// schema (a categorical column's one-hot group is one column), else the
// model columns. It refuses a model whose columns are unknown, and
// --heatmap on a model of a table.
func (e *explainFlags) featureNames(l *loaded, ckpt string) ([]string, error) {
	if e.heatmap > 0 && !l.image {
		return nil, usagef("heatmap: %s was trained on a table, not images; use --per-feature for its columns' errors", ckpt)
	}
	if !e.perFeature {
		return nil, nil
	}
	if s := l.card.Data.Schema; s != nil && s.Width() == l.net.Config.Input() {
		e.schema = s
		return s.Names(), nil
	}
	names := l.card.Data.Columns
	if len(names) != l.net.Config.Input() {
		why := "it records no column names"
		if l.image {
			why = "it was trained on images (use --heatmap for per-pixel errors)"
		}
		return nil, usagef("per-feature: the %d input columns of %s are unknown: %s", l.net.Config.Input(), ckpt, why)
	}
	return names, nil
}

// want is what the scoring pass must return for the explanations.
func (e *explainFlags) want() nn.Want {
	w := nn.Want{Losses: true, Errors: e.heatmap > 0 || e.perFeature && e.schema == nil, Output: e.heatmap > 0}
	w.Raw, w.Input = e.schema != nil, e.schema != nil
	return w
}

// rowErrors are row i's per-feature errors: data.Schema.Errors of the
// decoder's output (logits for a categorical group) against the row, per
// original column (NaN for a missing value), or the model columns' terms
// of the score.
func (e *explainFlags) rowErrors(l *loaded, res *nn.Results, i int) []float64 {
	In := l.net.Config.Input()
	if e.schema != nil {
		var mask []uint8
		if l.src.Mask != nil {
			mask = l.src.Mask[i*In : (i+1)*In]
		}
		return e.schema.Errors(res.Raw[i*In:(i+1)*In], res.Input[i*In:(i+1)*In], mask)
	}
	errs := make([]float64, In)
	for j, v := range res.Errors[i*In : (i+1)*In] {
		errs[j] = float64(v)
	}
	return errs
}

// columns are the CSV columns --per-feature adds.
func (e *explainFlags) columns(names []string) []string {
	if !e.perFeature {
		return nil
	}
	cols := make([]string, 0, len(names)+1)
	for _, n := range names {
		cols = append(cols, "err_"+n)
	}
	return append(cols, "top_features")
}

// appendFeatureErrors appends a row's per-feature errors (empty for a
// missing value) and its top_features (names joined by ";", missing values
// left out) to rec.
func appendFeatureErrors(rec []string, errs []float64, names []string) ([]string, error) {
	ranked := make([]float64, len(errs))
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
	top, err := outlier.Top(ranked, names, min(outlier.TopFeatures, present))
	return append(rec, strings.Join(top, ";")), err
}

// writeHeatmap writes the --heatmap PNG: the N highest-scoring rows, each
// as its input, reconstruction and per-pixel error map.
func (e *explainFlags) writeHeatmap(l *loaded, res *nn.Results, scores []float64) error {
	In := l.net.Config.Input()
	idx := outlier.Descending(scores)
	idx = idx[:min(e.heatmap, len(idx))]
	rows := make([]plot.HeatmapRow, len(idx))
	for k, i := range idx {
		x := make([]float32, In)
		copy(x, inputRow(l.src, i))
		rows[k] = plot.HeatmapRow{Input: x, Output: res.Output[i*In : (i+1)*In], Errors: res.Errors[i*In : (i+1)*In]}
	}
	return plot.ErrorHeatmap(e.heatmapOut, rows, l.card.Data.Width, l.card.Data.Height, e.scale)
}

// inputRow is row i of src in model units (pixels in [0,1]).
func inputRow(src nn.Source, i int) []float32 {
	In := src.Cols
	if src.Floats != nil {
		return src.Floats[i*In : (i+1)*In]
	}
	row := make([]float32, In)
	for j, v := range src.Bytes[i*In : (i+1)*In] {
		row[j] = float32(v) / 255
	}
	return row
}
