package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

// actRef is the activation a at x.
func actRef(a nn.Activation, x float64) float64 {
	switch a {
	case nn.ReLU:
		return max(x, 0)
	case nn.LeakyReLU:
		if x > 0 {
			return x
		}
		return nn.LeakySlope * x
	case nn.Tanh:
		return math.Tanh(x)
	case nn.Sigmoid:
		return 1 / (1 + math.Exp(-x))
	}
	return x
}

// derivRef is the derivative of a at the point where it outputs y.
func derivRef(a nn.Activation, y float64) float64 {
	switch a {
	case nn.ReLU:
		if y > 0 {
			return 1
		}
		return 0
	case nn.LeakyReLU:
		if y > 0 {
			return 1
		}
		return nn.LeakySlope
	case nn.Tanh:
		return 1 - y*y
	case nn.Sigmoid:
		return y * (1 - y)
	}
	return 1
}

func testActivate(t *testing.T, b nn.Backend) {
	for _, s := range shapes {
		for _, act := range activations {
			t.Run(fmt.Sprintf("%dx%d/%v", s[0], s[1], act), func(t *testing.T) {
				f := newFixture(t, b)
				xd := f.uniform(s[0]*s[1], -4, 4)
				x := f.input("x", s[0], s[1], xd)
				y, _ := f.output(s[0], s[1])
				b.Activate(y, x, act)
				want := make([]float64, len(xd))
				for i, v := range xd {
					want[i] = actRef(act, float64(v))
				}
				checkClose(t, "y", f.read(y), f32(want), atol, rtol)
				f.check()
			})
		}
	}
}

func testActivateBackward(t *testing.T, b nn.Backend) {
	for _, s := range shapes {
		for _, act := range activations {
			t.Run(fmt.Sprintf("%dx%d/%v", s[0], s[1], act), func(t *testing.T) {
				f := newFixture(t, b)
				n := s[0] * s[1]
				yd := f.uniform(n, -4, 4)
				for i, v := range yd {
					yd[i] = float32(actRef(act, float64(v)))
				}
				dyd := f.uniform(n, -1, 1)
				y, dy := f.input("y", s[0], s[1], yd), f.input("dy", s[0], s[1], dyd)
				dx, _ := f.output(s[0], s[1])
				b.ActivateBackward(dx, dy, y, act)
				want := make([]float64, n)
				for i := range want {
					want[i] = float64(dyd[i]) * derivRef(act, float64(yd[i]))
				}
				checkClose(t, "dx", f.read(dx), f32(want), atol, rtol)
				f.check()
			})
		}
	}
}
