package nn

import "math"

// epochJSON is EpochStats as stored in checkpoint metadata: JSON has no NaN,
// so missing test losses are null.
type epochJSON struct {
	Epoch         int      `json:"epoch"`
	Step          int      `json:"step"`
	Loss          float64  `json:"loss"`
	Recon         float64  `json:"recon"`
	KL            float64  `json:"kl"`
	TestLoss      *float64 `json:"test_loss"`
	TestRecon     *float64 `json:"test_recon"`
	TestKL        *float64 `json:"test_kl"`
	Seconds       float64  `json:"seconds"`
	SamplesPerSec float64  `json:"samples_per_sec"`
}

func historyJSON(h []EpochStats) []epochJSON {
	opt := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	out := make([]epochJSON, len(h))
	for i, e := range h {
		out[i] = epochJSON{e.Epoch, e.Step, e.Loss, e.Recon, e.KL, opt(e.TestLoss), opt(e.TestRecon), opt(e.TestKL), e.Seconds, e.SamplesPerSec}
	}
	return out
}

func historyFromJSON(h []epochJSON) []EpochStats {
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	out := make([]EpochStats, len(h))
	for i, e := range h {
		out[i] = EpochStats{e.Epoch, e.Step, e.Loss, e.Recon, e.KL, val(e.TestLoss), val(e.TestRecon), val(e.TestKL), e.Seconds, e.SamplesPerSec}
	}
	return out
}
