package nn

// LayerAdam is implemented by backends on which Adam runs best one layer
// at a time, right after that layer's gradients are written, while they
// are still in cache (the cpu backend): the Trainer then updates each
// layer's weight and bias during backward instead of the whole ParamSet
// after it. Adam is elementwise, so both orders give the same bits.
type LayerAdam interface {
	AdamPerLayer() bool
}

// perLayerAdam reports whether b runs Adam per layer (LayerAdam).
func perLayerAdam(b Backend) bool {
	la, ok := b.(LayerAdam)
	return ok && la.AdamPerLayer()
}

// moments are the views of the Adam moments of one layer's weight and bias.
type moments struct{ mw, vw, mb, vb Tensor }

// backwardAdam is backward with Adam h applied to each layer as soon as
// backward is done with it (LayerAdam), and the step's loss sums added to
// the trainer's accumulators with the first layer's bias (AdamSums).
func (t *Trainer) backwardAdam(ws *workspace, klScale float32, h AdamParams) {
	b, m := t.B, t.M
	mom := t.layerMoments()
	first := m.Heads
	if len(m.Enc.Layers) > 0 {
		first = m.Enc.Layers[0]
	}
	m.backward(b, ws, klScale, func(l *Dense) {
		mo := mom[l]
		b.Adam(l.W, l.DW, mo.mw, mo.vw, h)
		if l == first {
			b.AdamSums(l.B, l.DB, mo.mb, mo.vb, h, t.accRows, ws.rows)
			return
		}
		b.Adam(l.B, l.DB, mo.mb, mo.vb, h)
	})
}

// layerMoments returns the moment views of every layer of t.M, made on the
// first call: a layer's weight (bias) is the parameter view P[j] whose
// moments lie at Offsets[j] of M and V.
func (t *Trainer) layerMoments() map[*Dense]moments {
	if t.moments != nil {
		return t.moments
	}
	b, ps := t.B, t.M.Params
	view := func(p Tensor) (m, v Tensor) {
		for j, q := range ps.P {
			if q == p {
				return b.View(ps.M, ps.Offsets[j], p.Rows(), p.Cols()), b.View(ps.V, ps.Offsets[j], p.Rows(), p.Cols())
			}
		}
		panic("nn: a layer's parameter is not in its ParamSet")
	}
	t.moments = map[*Dense]moments{}
	layers := append(append([]*Dense(nil), t.M.Enc.Layers...), t.M.Dec.Layers...)
	if t.M.Heads != nil {
		layers = append(layers, t.M.Heads)
	}
	for _, l := range layers {
		var mo moments
		mo.mw, mo.vw = view(l.W)
		mo.mb, mo.vb = view(l.B)
		t.moments[l] = mo
	}
	return t.moments
}
