package nn

import (
	"fmt"
	"strings"
)

// Outlier scores of a row. recon is its reconstruction loss (the model's
// MSE or BCE summed over the row, z = mean for a VAE); elbo, for a VAE only,
// adds the row's KL term: the negative ELBO with z at the mean.
const (
	ScoreRecon = "recon"
	ScoreELBO  = "elbo"
)

// ScoreBatch is the batch rows are scored in: training fits its thresholds
// in it and scoring scores in it by default, so that a score recomputes
// training's scores bit for bit (float sums may round differently in other
// batch sizes).
const ScoreBatch = 500

// ScoreKinds are the scores a model of config c gives.
func ScoreKinds(c Config) []string {
	if c.Kind == KindVAE {
		return []string{ScoreRecon, ScoreELBO}
	}
	return []string{ScoreRecon}
}

// CheckScore reports whether kind is a score a model of config c gives.
func CheckScore(kind string, c Config) error {
	for _, k := range ScoreKinds(c) {
		if k == kind {
			return nil
		}
	}
	if kind == ScoreELBO {
		return fmt.Errorf("score elbo: only a vae has one; this model is an %s (use recon)", c.Kind)
	}
	return fmt.Errorf("score %q: want %s", kind, strings.Join(ScoreKinds(c), " or "))
}

// RowScores turns per-row losses (a pass with Want{Losses: true}) into
// outlier scores of kind: Recon[i], plus KL[i] for elbo.
func RowScores(res *Results, kind string) []float64 {
	s := make([]float64, len(res.Recon))
	for i, r := range res.Recon {
		s[i] = float64(r)
		if kind == ScoreELBO {
			s[i] += float64(res.KL[i])
		}
	}
	return s
}
