package gpu

import (
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestStepWork trains the benchmark models (VAE 784-400-20, AE
// 784-256-64-16, batch 128) for two epochs of 8 steps, 8 steps per
// submit, and checks the second epoch's work per step: at most 18 (VAE)
// and 20 (AE) dispatches with single-pass matmuls (a split-K product adds
// its reduce pass), one submit per 8 steps, no readback and nothing
// uploaded.
func TestStepWork(t *testing.T) {
	t.Setenv(pinEnv, "t64x64")
	base := nn.Config{HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Beta: 1, Init: "torch"}
	vae, ae := base, base
	vae.Kind, vae.Layers, vae.Loss = nn.KindVAE, []int{784, 400, 20}, nn.LossBCE
	ae.Kind, ae.Layers, ae.Loss = nn.KindAE, []int{784, 256, 64, 16}, nn.LossMSE
	for _, c := range []struct {
		name       string
		cfg        nn.Config
		dispatches int64
	}{{"vae-784-400-20", vae, 18}, {"ae-784-256-64-16", ae, 20}} {
		t.Run(c.name, func(t *testing.T) {
			b := openBackend(t)
			m, err := nn.NewModel(b, c.cfg, 1)
			if err != nil {
				t.Fatal(err)
			}
			const batch, steps, per = 128, 8, 8
			px := make([]uint8, batch*steps*784)
			for i := range px {
				px[i] = uint8(i * 7)
			}
			tr, err := nn.NewTrainer(b, m, nn.Source{Rows: batch * steps, Cols: 784, Bytes: px}, nil,
				nn.TrainOptions{Epochs: 2, Batch: batch, Adam: nn.DefaultAdam, Seed: 3, StepsPerSubmit: per})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tr.RunEpoch(); err != nil {
				t.Fatal(err)
			}
			w0 := tr.StepWork
			if _, err := tr.RunEpoch(); err != nil {
				t.Fatal(err)
			}
			w := tr.StepWork.Sub(w0)
			t.Logf("%d steps: %+v", steps, w)
			if w.Dispatches > c.dispatches*steps || w.Submits != steps/per || w.Readbacks != 0 || w.BytesUploaded != 0 {
				t.Errorf("%d steps did %+v; want at most %d dispatches a step, %d submits, no readback, nothing uploaded",
					steps, w, c.dispatches, steps/per)
			}
		})
	}
}
