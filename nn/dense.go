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
// pre-activation. The gradients with respect to the outputs are never
// stored: whoever computes a layer's output gradient folds act' into it
// (ReconLossGrad for the last layer, LinearInputGrad below).
type mlpBuffers struct {
	y, dz []Tensor
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
		dz, err := b.Alloc(n, l.Out)
		if err != nil {
			return nil, err
		}
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

// backward propagates buf.dz[last] (dL/d pre-activation of the last layer,
// which the caller wrote) through the MLP whose input was x, writing every
// DW and DB, and, when dx is not nil, the gradient at the pre-activation of
// the layer below, whose output x = y went through act. For layer i with
// input x_i:
//
//	dW_i = dz_iᵀ·x_i (Out,In), db_i = Σ_rows dz_i (1,Out)   LinearGrads
//	dz_{i-1} = (dz_i·W_i) ⊙ act_{i-1}'(y_{i-1})              LinearInputGrad
//	dx = (dz_0·W_0) ⊙ act'(x)
//
// done, if not nil, is called with each layer once its gradients are
// written and its weight is read no more.
func (m *MLP) backward(b Backend, buf *mlpBuffers, x, dx Tensor, act Activation, done func(*Dense)) {
	for i := len(m.Layers) - 1; i >= 0; i-- {
		l := m.Layers[i]
		in := x
		if i > 0 {
			in = buf.y[i-1]
		}
		b.LinearGrads(l.DW, l.DB, buf.dz[i], in)
		switch {
		case i > 0:
			b.LinearInputGrad(buf.dz[i-1], buf.dz[i], l.W, buf.y[i-1], m.Layers[i-1].Act)
		case dx != nil:
			b.LinearInputGrad(dx, buf.dz[i], l.W, x, act)
		}
		if done != nil {
			done(l)
		}
	}
}
