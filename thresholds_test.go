package wgml

import (
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

func TestFitThresholds(t *testing.T) {
	vae := nn.Config{Kind: nn.KindVAE}
	th, err := fitThresholds(&nn.Results{Recon: []float32{1, 2, 3, 4, 5}, KL: []float32{1, 1, 1, 1, 1}}, vae, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	// LinInterp's 0.8 quantile of 1..5 is 4 (and 5 for the elbo scores 2..6).
	if th.ByScore[nn.ScoreRecon] != 4 || th.ByScore[nn.ScoreELBO] != 5 || th.Rows != 5 || th.Contamination != 0.2 || th.Score != nn.ScoreRecon ||
		th.Scalers[nn.ScoreRecon] != (outlier.Scaler{Min: 1, Max: 5}) || th.Scalers[nn.ScoreELBO] != (outlier.Scaler{Min: 2, Max: 6}) {
		t.Errorf("FitThresholds = %+v", th)
	}
}
