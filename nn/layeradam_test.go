package nn_test

import (
	"math"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// flatAdam hides the cpu backend's nn.LayerAdam: the trainer runs one Adam
// over the whole ParamSet after backward, as before per-layer Adam.
type flatAdam struct{ nn.Backend }

// TestLayerAdamBitEqual: Adam per layer, right after each layer's
// gradients, gives the parameters, moments and loss sums of one Adam over
// the whole ParamSet after backward, bit for bit (AE and VAE, three-layer
// encoders, weight decay and a KL warm-up on).
func TestLayerAdamBitEqual(t *testing.T) {
	deep := tinyAE
	deep.Layers = []int{20, 12, 6, 3}
	for _, c := range []nn.Config{deep, tinyVAE} {
		t.Run(c.Kind, func(t *testing.T) {
			opt := nn.TrainOptions{Epochs: 3, Batch: 16, Adam: nn.DefaultAdam, Seed: 3, KLWarmup: 2}
			opt.Adam.WeightDecay = 1e-2
			var got [2][][]float32
			var loss [2]float64
			for i, b := range []nn.Backend{cpu.New(), flatAdam{cpu.New()}} {
				if _, ok := b.(nn.LayerAdam); ok != (i == 0) {
					t.Fatalf("backend %d: implements nn.LayerAdam: %v", i, ok)
				}
				m, err := nn.NewModel(b, c, 5)
				if err != nil {
					t.Fatal(err)
				}
				tr, err := nn.NewTrainer(b, m, blobs(203, 20, 1), nil, opt)
				if err != nil {
					t.Fatal(err)
				}
				for range 2 {
					st, err := tr.RunEpoch()
					if err != nil {
						t.Fatal(err)
					}
					loss[i] += st.Loss
				}
				ps := m.Params
				for _, x := range []nn.Tensor{ps.Flat, ps.M, ps.V} {
					v := make([]float32, ps.Total)
					if err := b.Read(x, v); err != nil {
						t.Fatal(err)
					}
					got[i] = append(got[i], v)
				}
			}
			if loss[0] != loss[1] {
				t.Errorf("epoch losses sum to %v per layer, %v flat", loss[0], loss[1])
			}
			for k, name := range []string{"params", "m", "v"} {
				for j := range got[0][k] {
					if math.Float32bits(got[0][k][j]) != math.Float32bits(got[1][k][j]) {
						t.Fatalf("%s[%d] = %v per layer, %v flat", name, j, got[0][k][j], got[1][k][j])
					}
				}
			}
		})
	}
}
