package main

import (
	"fmt"
	"io"
	"math"
	"strconv"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/outlier"
)

func cmdScore(args []string, out, errOut io.Writer) error {
	fs := newFlags("score", "score --model CKPT [--data SPEC] [--score recon|elbo] [--threshold T | --contamination C | --threshold-method M] [--outlier-label K] [--per-feature] [--heatmap N] [--out scores.csv]", out)
	mf := addModelFlags(fs)
	kind := fs.String("score", card.ScoreRecon, "outlier score per row: recon (reconstruction loss; a VAE's at z = mean) or, for a VAE, elbo (recon + KL)")
	threshold := fs.Float64("threshold", 0, "flag rows scoring above this (default: the threshold train fitted)")
	contamination := fs.Float64("contamination", lib.DefaultContamination, "refit the threshold as the (1-C) quantile of the training rows' scores (default: the threshold train fitted)")
	outlierLabels := fs.StringSlice("outlier-label", nil, "labels of the positive (outlier) class for AUROC/AUPRC, repeatable (default for a model trained with --normal-class K: every label but K)")
	outPath := fs.String("out", "", "CSV of scores: index,score,is_outlier[,label],probability[,err_COLUMN...,top_features] (default: scores.csv beside the checkpoint)")
	ex := addExplainFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	byThreshold, byContamination := fs.Changed("threshold"), fs.Changed("contamination")
	if byThreshold && byContamination {
		return usagef("threshold and contamination: give one of them")
	}
	if byThreshold && (math.IsNaN(*threshold) || math.IsInf(*threshold, 0)) {
		return usagef("threshold %v: want a finite number", *threshold)
	}
	if err := outlier.CheckContamination(*contamination); err != nil {
		return usageError{err}
	}
	if err := ex.check(fs, byThreshold, byContamination); err != nil {
		return err
	}
	l, err := mf.prepare(errOut, outPath, "scores.csv", ex.outputs(mf.ckpt), true, false)
	if err != nil {
		return err
	}
	defer l.b.Release()
	if err := card.CheckScore(*kind, l.m.Config); err != nil {
		return usageError{err}
	}
	names, err := ex.featureNames(l, mf.ckpt)
	if err != nil {
		return err
	}
	pos, desc, err := positives(l.rows, *outlierLabels, l.card.NormalClass)
	if err != nil {
		return err
	}
	if ex.method.NeedsLabels() && pos == nil {
		return usagef("threshold-method %s: needs labelled rows: %s has no outlier labels (give --outlier-label, or score a model trained with --normal-class)", ex.method, l.rows.Name)
	}
	res, err := l.m.Run(l.b, l.src, mf.batch, ex.want())
	if err != nil {
		return err
	}
	scores := card.RowScores(res, *kind)

	var how string
	switch {
	case !byThreshold && !byContamination && ex.method.Kind != outlier.ByQuantile:
		*threshold, how, err = ex.fit(l, mf, *kind, scores, pos)
	default:
		choice := thresholdChoice{value: *threshold, given: byThreshold, refit: byContamination, contamination: *contamination}
		*threshold, how, err = choice.choose(l, mf, *kind)
	}
	if err != nil {
		return err
	}
	scaler, err := ex.scaler(l, mf, *kind)
	if err != nil {
		return err
	}

	flags, nOut := lib.Outliers(scores, *threshold)
	labels, classes := l.rows.Labels, l.rows.Classes
	header := []string{"index", "score", "is_outlier"}
	if labels != nil {
		header = append(header, "label")
	}
	header = append(header, "probability")
	header = append(header, ex.columns(names)...)
	var rowErr error
	err = writeCSV(*outPath, header, len(scores), func(i int, rec []string) []string {
		flag := "0"
		if flags[i] {
			flag = "1"
		}
		rec = append(rec, strconv.Itoa(i), strconv.FormatFloat(scores[i], 'g', 8, 64), flag)
		if labels != nil {
			rec = append(rec, labelName(labels[i], classes))
		}
		rec = append(rec, strconv.FormatFloat(scaler.Probability(scores[i]), 'g', 6, 64))
		if ex.perFeature {
			var err error
			if rec, err = appendFeatureErrors(rec, ex.rowErrors(l, res, i), names); err != nil && rowErr == nil {
				rowErr = fmt.Errorf("row %d: %w", i, err)
			}
		}
		return rec
	})
	if err == nil {
		err = rowErr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "scored %d rows of %s: %s score of %s %v\n", len(scores), l.rows.Name, *kind, l.m.Config.Kind, l.m.Config.Layers)
	fmt.Fprintf(out, "threshold %.6g (%s)\n", *threshold, how)
	fmt.Fprintf(out, "outliers: %d of %d rows (%.1f%%) score above the threshold\n", nOut, len(scores), 100*float64(nOut)/float64(max(len(scores), 1)))
	detectorQuality(out, scores, pos, desc)
	operatingPoint(out, scores, pos, *threshold, ex.method.NeedsLabels() && !byThreshold && !byContamination)
	if ex.heatmap > 0 {
		if err := ex.writeHeatmap(l, res, scores); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s (the %d highest-scoring rows: input, reconstruction, per-pixel error)\n", ex.heatmapOut, min(ex.heatmap, len(scores)))
	}
	if ex.perFeature {
		fmt.Fprintf(out, "per-feature errors: %d err_ columns and top_features (the %d largest)\n", len(names), outlier.TopFeatures)
	}
	fmt.Fprintf(out, "wrote %s\n", *outPath)
	return nil
}

// thresholdChoice is how score picks its threshold: given by --threshold,
// the one train fitted for the score kind, or refitted on the training rows
// as the (1-contamination) quantile (--contamination, or where train fitted
// none).
type thresholdChoice struct {
	value         float64
	given, refit  bool // --threshold; --contamination
	contamination float64
}

// choose returns the threshold for kind scores of l's model and how it was
// found.
func (c thresholdChoice) choose(l *loaded, mf *modelFlags, kind string) (float64, string, error) {
	th := l.card.Thresholds
	stored, haveStored := th.Fitted(kind)
	switch {
	case c.given:
		return c.value, "given by --threshold", nil
	case !c.refit && haveStored:
		rows := "the"
		if th.Rows > 0 {
			rows = strconv.Itoa(th.Rows)
		}
		return stored, fmt.Sprintf("fitted by train: the %g quantile of %s %s rows' scores", 1-th.Contamination, rows, th.RowsName()), nil
	}
	if !c.refit && !math.IsNaN(th.Contamination) {
		c.contamination = th.Contamination
	}
	t, n, err := refitThreshold(l, mf, kind, l.card.NormalClass, c.contamination)
	if err != nil {
		return 0, "", err
	}
	return t, fmt.Sprintf("the %g quantile of %d %s rows' scores", 1-c.contamination, n, l.card.Thresholds.RowsName()), nil
}

// refitThreshold scores the training rows of the data set (only the normal
// class, when the model was trained on one) and returns the
// (1-contamination) quantile of their scores and their number.
func refitThreshold(l *loaded, mf *modelFlags, kind, normal string, contamination float64) (float64, int, error) {
	scores, err := trainScores(l, mf, kind, normal)
	if err != nil {
		return 0, 0, err
	}
	t, err := lib.Threshold(scores, contamination)
	return t, len(scores), err
}

// trainScores scores the training rows of the data set (only the normal
// class, when the model was trained on one; without the validation rows, or
// only those, as train fitted its thresholds).
func trainScores(l *loaded, mf *modelFlags, kind, normal string) ([]float64, error) {
	train, _, err := mf.data.load(0)
	if err != nil {
		return nil, err
	}
	if normal != "" {
		if train, err = keepClass(train, normal); err != nil {
			return nil, fmt.Errorf("the model's normal class: %w", err)
		}
	}
	train = thresholdRows(train, l.ck.Train, l.card.Thresholds.On)
	src, err := source(train, l.card.Data.Normalizer)
	if err != nil {
		return nil, err
	}
	return scoreRows(l.b, l.m, src, mf.batch, kind)
}
