package nn

import (
	"slices"
	"testing"
)

func TestScoreKinds(t *testing.T) {
	ae, vae := Config{Kind: KindAE}, Config{Kind: KindVAE}
	if CheckScore("recon", ae) != nil || CheckScore("recon", vae) != nil || CheckScore("elbo", vae) != nil {
		t.Error("recon (ae, vae) and elbo (vae) must be accepted")
	}
	for _, c := range []struct {
		kind string
		cfg  Config
	}{{"elbo", ae}, {"kl", vae}, {"", ae}} {
		if err := CheckScore(c.kind, c.cfg); err == nil {
			t.Errorf("score %q for %s accepted", c.kind, c.cfg.Kind)
		}
	}
	res := &Results{Recon: []float32{1, 2}, KL: []float32{0.5, 0.25}}
	if got := RowScores(res, ScoreELBO); !slices.Equal(got, []float64{1.5, 2.25}) {
		t.Errorf("elbo scores %v", got)
	}
	if got := RowScores(res, ScoreRecon); !slices.Equal(got, []float64{1, 2}) {
		t.Errorf("recon scores %v", got)
	}
}
