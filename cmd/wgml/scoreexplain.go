package main

import (
	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/outlier"
)

// explainFlags are the flags of wgml score that choose the threshold by a
// method and explain the scores: per-feature errors and image heatmaps.
type explainFlags struct {
	method     outlier.Method
	madK       float64
	perFeature bool
	heatmap    int
	heatmapOut string
	scale      int
}

func addExplainFlags(fs *pflag.FlagSet) *explainFlags {
	e := &explainFlags{}
	textVar(fs, &e.method, "threshold-method", outlier.Method{Kind: outlier.ByQuantile}, "how the threshold is chosen: quantile (train's (1-contamination) quantile of the training scores), mad (median + k·1.4826·MAD of the training scores), max-f1 (the F1-optimal cut on the labelled rows scored) or fpr:X (false-positive rate X on their normal rows)")
	fs.Float64Var(&e.madK, "mad-k", outlier.DefaultMADK, "threshold-method mad: the k of median + k·1.4826·MAD")
	fs.BoolVar(&e.perFeature, "per-feature", false, "add err_COLUMN (each value's squared error, or BCE term) per input column and top_features (the 3 largest) to the CSV")
	fs.IntVar(&e.heatmap, "heatmap", 0, "images: write a PNG of the N highest-scoring images beside their reconstructions and per-pixel error maps")
	fs.StringVar(&e.heatmapOut, "heatmap-out", "", "the --heatmap PNG (default: heatmap.png beside the checkpoint)")
	fs.IntVar(&e.scale, "scale", 4, "heatmap: pixels per image pixel")
	return e
}

// check checks the flags against each other (usage errors) where
// ThresholdChoice.Check cannot: it knows no flag given at its default.
func (e *explainFlags) check(fs *pflag.FlagSet, byThreshold, byContamination bool) error {
	switch {
	case fs.Changed("threshold-method") && (byThreshold || byContamination):
		return usagef("threshold-method and threshold/contamination: give one of them")
	case fs.Changed("mad-k") && e.method.Kind != outlier.ByMAD:
		return usagef("mad-k: only with --threshold-method mad")
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
	e.heatmapOut = lib.Beside(e.heatmapOut, ckpt, "heatmap.png")
	return []string{e.heatmapOut}
}
