package main

import (
	"fmt"
	"io"
	"math"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// scoreCmd is the command line of wgml score.
type scoreCmd struct {
	fs            *pflag.FlagSet
	mf            *modelFlags
	kind          string
	threshold     float64
	contamination float64
	outlierLabels []string
	out           string
	ex            *explainFlags
	st            *streamCmd
	given         bool // --threshold
	refit         bool // --contamination
}

func parseScore(args []string, out, errOut io.Writer) (*scoreCmd, error) {
	fs := newFlags("score", "score --model CKPT [--data SPEC] [--score recon|elbo] [--threshold T | --contamination C | --threshold-method M] [--outlier-label K] [--per-feature] [--heatmap N] [--out scores.csv] [--shard I/N]; --data - and --out - stream stdin to stdout", out, errOut)
	c := &scoreCmd{fs: fs, mf: addModelFlags(fs)}
	fs.StringVar(&c.kind, "score", nn.ScoreRecon, "outlier score per row: recon (reconstruction loss; a VAE's at z = mean) or, for a VAE, elbo (recon + KL)")
	fs.Float64Var(&c.threshold, "threshold", 0, "flag rows scoring above this (default: the threshold train fitted)")
	fs.Float64Var(&c.contamination, "contamination", lib.DefaultContamination, "refit the threshold as the (1-C) quantile of the training rows' scores (default: the threshold train fitted)")
	fs.StringSliceVar(&c.outlierLabels, "outlier-label", nil, "labels of the positive (outlier) class for AUROC/AUPRC, repeatable (default for a model trained with --normal-class K: every label but K)")
	fs.StringVar(&c.out, "out", "", "CSV of scores: index,score,is_outlier[,label],probability[,err_COLUMN...,top_features] (default: scores.csv beside the checkpoint)")
	c.st = addStreamFlags(fs, c.mf, &c.out, "scores.csv", "scored", "score", "contamination", "threshold-method", "outlier-label", "per-feature", "heatmap", "split")
	c.ex = addExplainFlags(fs)
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := c.st.parsed(); err != nil {
		return nil, err
	}
	c.given, c.refit = fs.Changed("threshold"), fs.Changed("contamination")
	switch {
	case c.given && c.refit:
		return nil, usagef("threshold and contamination: give one of them")
	case c.given && (math.IsNaN(c.threshold) || math.IsInf(c.threshold, 0)):
		return nil, usagef("threshold %v: want a finite number", c.threshold)
	}
	if err := outlier.CheckContamination(c.contamination); err != nil {
		return nil, usageError{err}
	}
	return c, c.ex.check(fs, c.given, c.refit)
}

func cmdScore(args []string, out, errOut io.Writer) error {
	c, err := parseScore(args, out, errOut)
	if err != nil {
		return err
	}
	if c.st.streams() {
		return c.scoreStream(out, errOut)
	}
	l, err := c.mf.prepare(errOut, &c.out, "scores.csv", c.ex.outputs(c.mf.ckpt), needRows)
	if err != nil {
		return err
	}
	defer l.b.Release()
	if err := nn.CheckScore(c.kind, l.net.Config); err != nil {
		return usageError{err}
	}
	x, err := c.ex.explain(l, c.mf.ckpt)
	if err != nil {
		return err
	}
	pos, desc, err := lib.Positives(l.rows, c.outlierLabels, l.card.NormalClass)
	if err != nil {
		return err
	}
	if c.ex.method.NeedsLabels() && pos == nil {
		return usagef("threshold-method %s: needs labelled rows: %s has no outlier labels (give --outlier-label, or score a model trained with --normal-class)", c.ex.method, l.rows.Name)
	}
	res, err := l.net.Run(l.b, l.src, c.mf.batch, x.Want())
	if err != nil {
		return err
	}
	s := &scored{l: l, res: res, scores: nn.RowScores(res, c.kind), pos: pos, train: map[string][]float64{}}
	train := func() ([]float64, error) { return c.trainScores(s) }
	choice := lib.ThresholdChoice{Kind: c.kind, Method: c.ex.method, Value: c.threshold, ByValue: c.given, Contamination: c.contamination, Refit: c.refit, MADK: c.ex.madK}
	threshold, how, err := l.m.ChooseThreshold(choice, s.scores, pos, train)
	if err != nil {
		return err
	}
	scaler, err := l.m.ScalerFor(c.kind, train)
	if err != nil {
		return err
	}
	if err := c.writeScores(s, x, threshold, scaler); err != nil {
		return err
	}
	return c.report(out, s, desc, x.Names, threshold, how)
}

// scored is score's pass over the rows: the results, scores and labels,
// and the training rows' scores once needed.
type scored struct {
	l      *loaded
	res    *nn.Results
	scores []float64
	pos    []bool
	train  map[string][]float64 // by kind
}

// trainScores are the kind scores of the rows training fitted its
// thresholds on, scored once.
func (c *scoreCmd) trainScores(s *scored) ([]float64, error) {
	if v, ok := s.train[c.kind]; ok {
		return v, nil
	}
	train, _, err := c.mf.data.read(s.l.m, nil)
	if err != nil {
		return nil, err
	}
	v, err := s.l.m.TrainingScores(train, c.kind, c.mf.batch)
	s.train[c.kind] = v
	return v, err
}

// writeScores writes the scores CSV.
func (c *scoreCmd) writeScores(s *scored, x *lib.Explanation, threshold float64, scaler outlier.Scaler) error {
	flags, _ := lib.Outliers(s.scores, threshold)
	labels, classes := s.l.rows.Labels, s.l.rows.Classes
	header := lib.ScoreHeader(labels != nil, x.Columns()...)
	var rowErr error
	err := writeCSV(c.out, header, len(s.scores), func(i int, rec []string) []string {
		row := lib.ScoreRow{Index: i, Score: s.scores[i], Outlier: flags[i], HasLabel: labels != nil, Probability: scaler.Probability(s.scores[i])}
		if row.HasLabel {
			row.Label = lib.LabelName(labels[i], classes)
		}
		rec = row.Append(rec)
		if c.ex.perFeature {
			fields, err := x.Fields(x.RowErrors(s.l.src, s.res, i))
			if err != nil && rowErr == nil {
				rowErr = fmt.Errorf("row %d: %w", i, err)
			}
			rec = append(rec, fields...)
		}
		return rec
	})
	if err != nil {
		return err
	}
	return rowErr
}

// report prints the scoring's summary and writes the heatmap.
func (c *scoreCmd) report(out io.Writer, s *scored, desc string, names []string, threshold float64, how string) error {
	n := len(s.scores)
	_, nOut := lib.Outliers(s.scores, threshold)
	fmt.Fprintf(out, "scored %d rows of %s: %s score of %s %v\n", n, s.l.rows.Name, c.kind, s.l.net.Config.Kind, s.l.net.Config.Layers)
	fmt.Fprintf(out, "threshold %.6g (%s)\n", threshold, how)
	fmt.Fprintf(out, "outliers: %d of %d rows (%.1f%%) score above the threshold\n", nOut, n, 100*float64(nOut)/float64(max(n, 1)))
	printQuality(out, s.scores, s.pos, desc, threshold, c.ex.method.NeedsLabels() && !c.given && !c.refit)
	if c.ex.heatmap > 0 {
		if err := c.ex.writeHeatmap(s.l, s.res, s.scores); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s (the %d highest-scoring rows: input, reconstruction, per-pixel error)\n", c.ex.heatmapOut, min(c.ex.heatmap, n))
	}
	if c.ex.perFeature {
		fmt.Fprintf(out, "per-feature errors: %d err_ columns and top_features (the %d largest)\n", len(names), outlier.TopFeatures)
	}
	fmt.Fprintf(out, "wrote %s\n", c.out)
	return nil
}
