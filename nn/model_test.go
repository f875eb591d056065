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
// The check's tolerance is modelAtol + modelScaleTol·max|grad| +
// modelRtol·|finite difference|: the float32 rounding of the loss grows
// with it, and so with the gradients. The largest disagreements observed
// are 2.4e-6 (largest gradient 0.26) to 1.0e-4 (largest gradient 16, loss
// 23), so a gradient 1% off fails.
const modelAtol, modelScaleTol, modelRtol = 1e-5, 2e-5, 1e-3

func TestModelGradientFiniteDifferences(t *testing.T) {
	cases := []nn.Config{
		{Kind: nn.KindAE, Layers: []int{6, 5, 3}, HiddenAct: nn.Tanh, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "xavier"},
		{Kind: nn.KindAE, Layers: []int{6, 4}, HiddenAct: nn.Tanh, LatentAct: nn.Tanh, OutputAct: nn.Identity, Loss: nn.LossMSE, Init: "torch"},
		{Kind: nn.KindVAE, Layers: []int{6, 5, 2}, HiddenAct: nn.Tanh, OutputAct: nn.Sigmoid, Loss: nn.LossBCE, Beta: 1, Init: "torch"},
		{Kind: nn.KindVAE, Layers: []int{6, 3}, HiddenAct: nn.Sigmoid, OutputAct: nn.Identity, Loss: nn.LossMSE, Beta: 0.5, Init: "xavier"},
		{Kind: nn.KindAE, Layers: []int{6, 5, 3}, HiddenAct: nn.Tanh, LatentAct: nn.Identity, OutputAct: nn.Identity, Loss: nn.LossTable, TableGroups: []int{0, 3, 0, 0}, Init: "torch"},
		{Kind: nn.KindVAE, Layers: []int{6, 3}, HiddenAct: nn.Tanh, OutputAct: nn.Identity, Loss: nn.LossTable, TableGroups: []int{2, 0, 1, 0, 0}, Beta: 1, Init: "xavier"},
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
			// Richardson's extrapolation of central differences at h and
			// h/2 (see cpu/gradcheck_test.go): (4·D(h/2) - D(h)) / 3.
			central := func(j int, h float32) float64 {
				p := append([]float32(nil), flat...)
				hi, lo := flat[j]+h, flat[j]-h
				p[j] = hi
				up := lossAt(p)
				p[j] = lo
				down := lossAt(p)
				return (up - down) / (float64(hi) - float64(lo))
			}
			const h = 4e-2
			var scale float64 // the largest gradient
			for _, g := range grad {
				scale = max(scale, math.Abs(float64(g)))
			}
			atol := modelAtol + modelScaleTol*scale
			bad := 0
			var maxDiff float64
			for i, name := range m.Params.Names {
				off := m.Params.Offsets[i]
				size := m.Params.Shapes[i][0] * m.Params.Shapes[i][1]
				for j := off; j < off+size; j++ {
					fd := (4*central(j, h/2) - central(j, h)) / 3
					d := math.Abs(fd - float64(grad[j]))
					maxDiff = max(maxDiff, d)
					if !(d <= atol+modelRtol*math.Abs(fd)) {
						if bad < 5 {
							t.Errorf("%s[%d]: backward %.6f, finite difference %.6f", name, j-off, grad[j], fd)
						}
						bad++
					}
				}
			}
			t.Logf("maxdiff %.3g, largest gradient %.3g", maxDiff, scale)
			if bad > 0 {
				t.Errorf("%d of %d gradients disagree", bad, m.Params.Count())
			}
		})
	}
}
