package card

import (
	"fmt"
	"strings"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// Outlier scores of a row. recon is its reconstruction loss (the model's
// MSE or BCE summed over the row, z = mean for a VAE); elbo, for a VAE only,
// adds the row's KL term: the negative ELBO with z at the mean.
const (
	ScoreRecon = "recon"
	ScoreELBO  = "elbo"
)

// ScoreBatch is the batch rows are scored in: train fits its thresholds in
// it and score scores in it by default, so that score recomputes train's
// scores bit for bit (float sums may round differently in other batch
// sizes). The wgml package runs all its passes in it.
const ScoreBatch = 500

// ScoreKinds are the scores a model of config c gives.
func ScoreKinds(c nn.Config) []string {
	if c.Kind == nn.KindVAE {
		return []string{ScoreRecon, ScoreELBO}
	}
	return []string{ScoreRecon}
}

// CheckScore reports whether kind is a score a model of config c gives.
func CheckScore(kind string, c nn.Config) error {
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

// RowScores turns per-row losses (a pass with nn.Want{Losses: true}) into
// outlier scores of kind: Recon[i], plus KL[i] for elbo.
func RowScores(res *nn.Results, kind string) []float64 {
	s := make([]float64, len(res.Recon))
	for i, r := range res.Recon {
		s[i] = float64(r)
		if kind == ScoreELBO {
			s[i] += float64(res.KL[i])
		}
	}
	return s
}

// FitThresholds fits, for every score kind of a model of config c, the
// (1-contamination) quantile of the training rows' scores in res and the
// outlier probability Scaler of those scores.
func FitThresholds(res *nn.Results, c nn.Config, contamination float64) (Thresholds, error) {
	th := Thresholds{ByScore: map[string]float64{}, Scalers: map[string]outlier.Scaler{}, Score: ScoreRecon, Contamination: contamination, Rows: len(res.Recon)}
	for _, kind := range ScoreKinds(c) {
		scores := RowScores(res, kind)
		t, err := outlier.Quantile(scores, contamination)
		if err != nil {
			return th, fmt.Errorf("fitting the %s threshold on the training rows: %w", kind, err)
		}
		th.ByScore[kind] = t
		if th.Scalers[kind], err = outlier.FitScaler(scores); err != nil {
			return th, err
		}
	}
	return th, nil
}
