package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// TestModelGradientFiniteDifferences checks the whole backward pass of tiny
// AEs and VAEs (every layer, head, loss and the reparameterisation) against
// central differences of the objective, parameter by parameter.
func TestModelGradientFiniteDifferences(t *testing.T) {
	cases := []nn.Config{
		{Kind: nn.KindAE, Layers: []int{6, 5, 3}, HiddenAct: nn.Tanh, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "xavier"},
		{Kind: nn.KindAE, Layers: []int{6, 4}, HiddenAct: nn.Tanh, LatentAct: nn.Tanh, OutputAct: nn.Identity, Loss: nn.LossMSE, Init: "torch"},
		{Kind: nn.KindVAE, Layers: []int{6, 5, 2}, HiddenAct: nn.Tanh, OutputAct: nn.Sigmoid, Loss: nn.LossBCE, Beta: 1, Init: "torch"},
		{Kind: nn.KindVAE, Layers: []int{6, 3}, HiddenAct: nn.Sigmoid, OutputAct: nn.Identity, Loss: nn.LossMSE, Beta: 0.5, Init: "xavier"},
	}
	for _, c := range cases {
		t.Run(c.Kind+"-"+c.Loss, func(t *testing.T) {
			b := cpu.New()
			m, err := nn.NewModel(b, c, 3)
			if err != nil {
				t.Fatal(err)
			}
			const n = 4
			rng := rand.New(rand.NewPCG(1, 2))
			x := make([]float32, n*c.Layers[0])
			for i := range x {
				x[i] = rng.Float32()
			}
			_, grad, err := m.Gradient(b, x, n, 9, 0)
			if err != nil {
				t.Fatal(err)
			}
			flat := make([]float32, m.Params.Total)
			if err := b.Read(m.Params.Flat, flat); err != nil {
				t.Fatal(err)
			}
			lossAt := func(p []float32) float64 {
				m.SetParams(b, p)
				l, _, err := m.Gradient(b, x, n, 9, 0)
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			const h = 1e-2
			bad := 0
			for i, name := range m.Params.Names {
				off := m.Params.Offsets[i]
				size := m.Params.Shapes[i][0] * m.Params.Shapes[i][1]
				for j := off; j < off+size; j++ {
					p := append([]float32(nil), flat...)
					p[j] = flat[j] + h
					up := lossAt(p)
					p[j] = flat[j] - h
					down := lossAt(p)
					fd := (up - down) / (2 * h)
					if math.Abs(fd-float64(grad[j])) > 2e-3+2e-2*math.Abs(fd) {
						if bad < 5 {
							t.Errorf("%s[%d]: backward %.6f, finite difference %.6f", name, j-off, grad[j], fd)
						}
						bad++
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d gradients disagree", bad, m.Params.Count())
			}
		})
	}
}
