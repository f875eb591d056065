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
// output (B,Out_i); dz[i] the loss gradient with respect to its
// pre-activation; dy[i] the gradient with respect to its output. Only the
// last layer's dy is a buffer of its own (the loss writes it; dz is dy
// itself for identity): below it the backward pass writes dz directly, so
// dy[i] is dz[i] there.
type mlpBuffers struct {
	y, dy, dz []Tensor
}

// newBuffers allocates an MLP's activations and gradients for batch size n.
// withGrad false allocates only the outputs (inference).
func (m *MLP) newBuffers(b Backend, n int, withGrad bool) (*mlpBuffers, error) {
	buf := &mlpBuffers{}
	for i, l := range m.Layers {
		y, err := b.Alloc(n, l.Out)
		if err != nil {
			return nil, err
		}
		buf.y = append(buf.y, y)
		if !withGrad {
			continue
		}
		dz, err := b.Alloc(n, l.Out)
		if err != nil {
			return nil, err
		}
		dy := dz
		if i == len(m.Layers)-1 && l.Act != Identity {
			if dy, err = b.Alloc(n, l.Out); err != nil {
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
// x_i, dz_i = dy_i ⊙ act_i'(y_i) (ActivateBackward for the last layer):
//
//	dW_i = dz_iᵀ·x_i (Out,In), db_i = Σ_rows dz_i (1,Out)   LinearGrads
//	dz_{i-1} = (dz_i·W_i) ⊙ act_{i-1}'(y_{i-1})              LinearInputGrad
//	dx = dz_0·W_0 (B,In)
func (m *MLP) backward(b Backend, buf *mlpBuffers, x, dx Tensor, accumulate bool) {
	last := len(m.Layers) - 1
	if last < 0 {
		return
	}
	if act := m.Layers[last].Act; act != Identity {
		b.ActivateBackward(buf.dz[last], buf.dy[last], buf.y[last], act)
	}
	for i := last; i >= 0; i-- {
		l := m.Layers[i]
		in := x
		if i > 0 {
			in = buf.y[i-1]
		}
		b.LinearGrads(l.DW, l.DB, buf.dz[i], in)
		switch {
		case i > 0:
			b.LinearInputGrad(buf.dz[i-1], buf.dz[i], l.W, buf.y[i-1], m.Layers[i-1].Act)
		case dx != nil && accumulate:
			b.MatMul(dx, buf.dz[i], l.W, false, false, true)
		case dx != nil:
			b.LinearInputGrad(dx, buf.dz[i], l.W, nil, Identity)
		}
	}
}
