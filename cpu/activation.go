package cpu

import "github.com/wgml/wgml/nn"

// Activate computes y = act(x) elementwise; y may be x.
// x is (R,N), y is (R,N).
func (*Backend) Activate(y, x nn.Tensor, act nn.Activation) {
	xd := mat("Activate", "x", x, x.Rows(), x.Cols())
	yd := mat("Activate", "y", y, x.Rows(), x.Cols())
	for i, v := range xd {
		yd[i] = act.Apply(v)
	}
}

// ActivateBackward computes dx = dy ⊙ act'(·) from the forward output y.
// dy is (R,N), y is (R,N), dx is (R,N).
func (*Backend) ActivateBackward(dx, dy, y nn.Tensor, act nn.Activation) {
	r, n := y.Rows(), y.Cols()
	yd := mat("ActivateBackward", "y", y, r, n)
	dyd := mat("ActivateBackward", "dy", dy, r, n)
	dxd := mat("ActivateBackward", "dx", dx, r, n)
	for i, v := range yd {
		dxd[i] = dyd[i] * act.DerivFromOutput(v)
	}
}
