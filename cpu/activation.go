package cpu

import (
	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/internal/vec"
	"github.com/wgml/wgml/nn"
)

// Activate computes y = act(x) elementwise; y may be x.
// x is (R,N), y is (R,N).
func (be *Backend) Activate(y, x nn.Tensor, act nn.Activation) {
	xd := mat("Activate", "x", x, x.Rows(), x.Cols())
	yd := mat("Activate", "y", y, x.Rows(), x.Cols())
	be.activate(yd, xd, act)
}

// activate is Activate on slices of one length, in parallel.
func (be *Backend) activate(y, x []float32, act nn.Activation) {
	if len(x) == 0 {
		return
	}
	grain := pool.GrainMath // tanh
	switch act {
	case nn.Identity:
		if &y[0] == &x[0] {
			return
		}
		grain = pool.GrainStream
	case nn.Sigmoid: // internal/vec's
		grain = pool.GrainStream
	case nn.ReLU, nn.LeakyReLU:
		grain = pool.GrainCheap
	}
	impl := be.vecImpl()
	parallelFor(len(x), grain, func(lo, hi int) { activateSerial(impl, y[lo:hi], x[lo:hi], act) })
}

// activateSerial is activate on the calling goroutine; sigmoid runs on the
// internal/vec implementation impl.
func activateSerial(impl string, y, x []float32, act nn.Activation) {
	switch act {
	case nn.Sigmoid:
		copy(y, x)
		vec.Sigmoid(impl, y)
	case nn.Identity:
		copy(y, x)
	case nn.ReLU: // the common case, without a call per element
		for i, v := range x {
			if v > 0 {
				y[i] = v
			} else {
				y[i] = 0
			}
		}
	default:
		for i, v := range x {
			y[i] = act.Apply(v)
		}
	}
}

// ActivateBackward computes dx = dy ⊙ act'(·) from the forward output y.
// dy is (R,N), y is (R,N), dx is (R,N).
func (be *Backend) ActivateBackward(dx, dy, y nn.Tensor, act nn.Activation) {
	r, n := y.Rows(), y.Cols()
	yd := mat("ActivateBackward", "y", y, r, n)
	dyd := mat("ActivateBackward", "dy", dy, r, n)
	dxd := mat("ActivateBackward", "dx", dx, r, n)
	impl := be.vecImpl()
	grain := pool.GrainCheap
	if act == nn.ReLU || act == nn.Sigmoid { // internal/vec's
		grain = pool.GrainStream
	}
	parallelFor(len(yd), grain, func(lo, hi int) {
		dx := dxd[lo:hi]
		copy(dx, dyd[lo:hi]) // dx may be dy: copy is a no-op then
		derivSerial(impl, dx, yd[lo:hi], act)
	})
}

// derivSerial computes d = d ⊙ act'(·) from the forward output y, on the
// calling goroutine; ReLU's and sigmoid's run on the internal/vec
// implementation impl.
func derivSerial(impl string, d, y []float32, act nn.Activation) {
	y = y[:len(d)]
	switch act {
	case nn.ReLU: // the common case, without a call per element
		vec.ReLUDeriv(impl, d, y) // d *= 0, not = 0: a NaN or Inf gradient stays NaN
	case nn.Sigmoid: // an output layer's: d *= y·(1-y)
		vec.SigmoidDeriv(impl, d, y)
	default:
		for i, v := range y {
			d[i] *= act.DerivFromOutput(v)
		}
	}
}
