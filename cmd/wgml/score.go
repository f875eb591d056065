package main

import (
	"fmt"
	"io"
	"path/filepath"

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
	fs := newFlags("score", "score --model CKPT [--data SPEC] [--score recon|elbo] [--threshold T | --contamination C | --threshold-method M] [--outlier-label K] [--per-feature] [--heatmap N] [--out scores.csv] [--shard I/N]; --data - and --out - stream stdin to stdout; a table or .npy of floats is read as a stream unless --per-feature or --heatmap", out, errOut)
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
	if err := c.choice().Check(); err != nil {
		return nil, err
	}
	return c, c.ex.check(fs, c.given, c.refit)
}

// choice is how the flags choose the threshold.
func (c *scoreCmd) choice() lib.ThresholdChoice {
	return lib.ThresholdChoice{Kind: c.kind, Method: c.ex.method, Value: c.threshold, ByValue: c.given, Contamination: c.contamination, Refit: c.refit, MADK: c.ex.madK}
}

func cmdScore(args []string, out, errOut io.Writer) error {
	c, err := parseScore(args, out, errOut)
	if err != nil {
		return err
	}
	if c.st.streams() {
		return c.scoreStream(out, errOut)
	}
	l, err := c.mf.prepare(errOut, &c.out, "scores.csv", c.ex.outputs(c.mf.ckpt), 0)
	if err != nil {
		return err
	}
	defer l.b.Release()
	p, err := c.mf.part(l.m)
	if err != nil {
		return err
	}
	s, err := l.m.ScoreData(p, lib.ScoreOptions{
		Choice:        c.choice(),
		OutlierLabels: c.outlierLabels, PerFeature: c.ex.perFeature, Heatmap: c.ex.heatmap > 0, Batch: c.mf.batch, Name: c.mf.ckpt,
		RunDir: filepath.Dir(c.mf.ckpt),
	}, errOut)
	if err != nil {
		return err
	}
	if err := s.WriteCSV(c.out); err != nil {
		return err
	}
	s.Report(out)
	if c.ex.heatmap > 0 {
		if err := s.WriteHeatmap(c.ex.heatmapOut, c.ex.heatmap, c.ex.scale); err != nil {
			return err
		}
		fmt.Fprintf(out, "wrote %s (the %d highest-scoring rows: input, reconstruction, per-pixel error)\n", c.ex.heatmapOut, min(c.ex.heatmap, len(s.Scores)))
	}
	if c.ex.perFeature {
		fmt.Fprintf(out, "per-feature errors: %d err_ columns and top_features (the %d largest)\n", len(s.Explain.Names), outlier.TopFeatures)
	}
	fmt.Fprintf(out, "wrote %s\n", c.out)
	return nil
}
