package nn

import "math"

// epochJSON is EpochStats as stored in checkpoint metadata: JSON has no NaN
// or Inf, so missing and non-finite test and validation losses are null
// (read back as NaN).
type epochJSON struct {
	Epoch         int      `json:"epoch"`
	Step          int      `json:"step"`
	Loss          float64  `json:"loss"`
	Recon         float64  `json:"recon"`
	KL            float64  `json:"kl"`
	TestLoss      *float64 `json:"test_loss"`
	TestRecon     *float64 `json:"test_recon"`
	TestKL        *float64 `json:"test_kl"`
	ValLoss       *float64 `json:"val_loss,omitempty"`
	ValRecon      *float64 `json:"val_recon,omitempty"`
	ValKL         *float64 `json:"val_kl,omitempty"`
	LR            float32  `json:"lr,omitempty"`
	Seconds       float64  `json:"seconds"`
	SamplesPerSec float64  `json:"samples_per_sec"`
}

func historyJSON(h []EpochStats) []epochJSON {
	opt := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	out := make([]epochJSON, len(h))
	for i, e := range h {
		out[i] = epochJSON{Epoch: e.Epoch, Step: e.Step, Loss: e.Loss, Recon: e.Recon, KL: e.KL,
			TestLoss: opt(e.TestLoss), TestRecon: opt(e.TestRecon), TestKL: opt(e.TestKL),
			ValLoss: opt(e.ValLoss), ValRecon: opt(e.ValRecon), ValKL: opt(e.ValKL), LR: e.LR,
			Seconds: e.Seconds, SamplesPerSec: e.SamplesPerSec}
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
		out[i] = EpochStats{Epoch: e.Epoch, Step: e.Step, Loss: e.Loss, Recon: e.Recon, KL: e.KL,
			TestLoss: val(e.TestLoss), TestRecon: val(e.TestRecon), TestKL: val(e.TestKL),
			ValLoss: val(e.ValLoss), ValRecon: val(e.ValRecon), ValKL: val(e.ValKL), LR: e.LR,
			Seconds: e.Seconds, SamplesPerSec: e.SamplesPerSec}
	}
	return out
}
