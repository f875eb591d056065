package wgml

import (
	"math"
	"slices"
	"testing"

	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// TestFitThresholdsInPlace: on float32 losses, the in-place fit gives
// fitThresholds' recon threshold and Scaler exactly, for any number of
// rows and contamination, and its elbo threshold to float32 rounding.
func TestFitThresholdsInPlace(t *testing.T) {
	vae := nn.Config{Kind: nn.KindVAE}
	for _, n := range []int{1, 2, 7, 100, 1001} {
		for _, c := range []float64{0, 0.01, 0.1, 0.37, 0.5} {
			res := &nn.Results{Recon: make([]float32, n), KL: make([]float32, n)}
			for i := range n {
				res.Recon[i] = float32(math.Exp(3 * float64(philox.Uniform(uint32(i*2654435761)))))
				res.KL[i] = float32(i%13) / 3
			}
			want, err := fitThresholds(res, vae, c)
			if err != nil {
				t.Fatal(err)
			}
			copied := &nn.Results{Recon: slices.Clone(res.Recon), KL: slices.Clone(res.KL)}
			got, err := fitThresholdsInPlace(copied, vae, c)
			if err != nil {
				t.Fatal(err)
			}
			if got.ByScore[nn.ScoreRecon] != want.ByScore[nn.ScoreRecon] || got.Scalers[nn.ScoreRecon] != want.Scalers[nn.ScoreRecon] || got.Rows != n {
				t.Errorf("n %d, c %v: recon %v %+v, fitThresholds %v %+v", n, c, got.ByScore[nn.ScoreRecon], got.Scalers[nn.ScoreRecon], want.ByScore[nn.ScoreRecon], want.Scalers[nn.ScoreRecon])
			}
			if g, w := got.ByScore[nn.ScoreELBO], want.ByScore[nn.ScoreELBO]; math.Abs(g-w) > 1e-7*w {
				t.Errorf("n %d, c %v: elbo %v, fitThresholds %v", n, c, g, w)
			}
		}
	}
	res := &nn.Results{Recon: []float32{1, float32(math.NaN()), 2}}
	if _, err := fitThresholdsInPlace(res, nn.Config{Kind: nn.KindAE}, 0.1); err == nil {
		t.Error("a NaN score was accepted")
	}
	if q, _ := outlier.Quantile([]float64{5}, 0.3); quantileSorted([]float32{5}, 0.7) != q {
		t.Error("one score: quantile differs")
	}
}
