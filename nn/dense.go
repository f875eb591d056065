package nn

// Dense is a fully connected layer y = act(x·wᵀ + b) whose parameters are
// views into a ParamSet: w is (Out,In), b is (1,Out).
type Dense struct {
	In, Out int
	Act     Activation
	W, B    Tensor // parameters
	DW, DB  Tensor // their gradients
}

// MLP is a chain of dense layers.
type MLP struct {
	Layers []*Dense
}

// mlpBuffers are one batch size's activations of an MLP: y[i] is layer i's
// output (B,Out_i); dy[i] the loss gradient with respect to it; dz[i] the
// gradient with respect to its pre-activation (dy[i] itself for identity).
type mlpBuffers struct {
	y, dy, dz []Tensor
}

// newBuffers allocates an MLP's activations and gradients for batch size n.
// withGrad false allocates only the outputs (inference).
func (m *MLP) newBuffers(b Backend, n int, withGrad bool) (*mlpBuffers, error) {
	buf := &mlpBuffers{}
	for _, l := range m.Layers {
		y, err := b.Alloc(n, l.Out)
		if err != nil {
			return nil, err
		}
		buf.y = append(buf.y, y)
		if !withGrad {
			continue
		}
		dy, err := b.Alloc(n, l.Out)
		if err != nil {
			return nil, err
		}
		dz := dy
		if l.Act != Identity {
			if dz, err = b.Alloc(n, l.Out); err != nil {
				return nil, err
			}
		}
		buf.dy = append(buf.dy, dy)
		buf.dz = append(buf.dz, dz)
	}
	return buf, nil
}

// out is the MLP's output for the batch.
func (buf *mlpBuffers) out() Tensor { return buf.y[len(buf.y)-1] }

// forward computes every layer's output for x (B,In) into buf.y.
func (m *MLP) forward(b Backend, buf *mlpBuffers, x Tensor) {
	for i, l := range m.Layers {
		b.Linear(buf.y[i], x, l.W, l.B, l.Act)
		x = buf.y[i]
	}
}

// backward propagates buf.dy[last] (dL/dy of the last layer) through the
// MLP whose input was x, writing every DW and DB, and dL/dx into dx when dx
// is not nil (accumulating when accumulate is set). For layer i with input
// x_i and dz = dy ⊙ act'(y):
//
//	dW = dzᵀ·x_i (Out,In), db = Σ_rows dz (1,Out), dx_i = dz·W (B,In).
func (m *MLP) backward(b Backend, buf *mlpBuffers, x, dx Tensor, accumulate bool) {
	for i := len(m.Layers) - 1; i >= 0; i-- {
		l := m.Layers[i]
		if l.Act != Identity {
			b.ActivateBackward(buf.dz[i], buf.dy[i], buf.y[i], l.Act)
		}
		in := x
		if i > 0 {
			in = buf.y[i-1]
		}
		b.MatMul(l.DW, buf.dz[i], in, true, false, false)
		b.SumRows(l.DB, buf.dz[i], false)
		switch {
		case i > 0:
			b.MatMul(buf.dy[i-1], buf.dz[i], l.W, false, false, false)
		case dx != nil:
			b.MatMul(dx, buf.dz[i], l.W, false, false, accumulate)
		}
	}
}
