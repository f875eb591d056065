package nn

// Random streams of one seed: each use draws from its own stream so that no
// two uses ever share numbers.
const (
	streamEps   = 1 << 56 // VAE eps of training step s: streamEps | s
	streamNoise = 2 << 56 // input corruption of step s
	streamEval  = 3 << 56 // VAE eps of evaluation batch k
)

// encode runs the encoder on ws.xin. A VAE's heads write ws.stats; sample
// draws eps from (seed, stream) and z = mu + exp(½lv)·eps, otherwise z = mu.
func (m *Model) encode(b Backend, ws *workspace, sample bool, seed, stream uint64) {
	h := m.headsInput(ws)
	if len(m.Enc.Layers) > 0 {
		m.Enc.forward(b, ws.enc, ws.xin)
	}
	if m.Heads == nil {
		return
	}
	b.Linear(ws.stats, h, m.Heads.W, m.Heads.B, Identity)
	var eps Tensor
	if sample {
		eps = ws.eps
	}
	b.Reparameterize(ws.z, eps, ws.stats, seed, stream)
}

// headsInput is what a VAE's heads read: the encoder chain's output, or the
// input when the chain is empty.
func (m *Model) headsInput(ws *workspace) Tensor {
	if len(m.Enc.Layers) > 0 {
		return ws.enc.out()
	}
	return ws.xin
}

// decoderInput is what the decoder reads: the AE's latent, the VAE's z.
func (m *Model) decoderInput(ws *workspace) Tensor {
	if m.Heads != nil {
		return ws.z
	}
	return ws.enc.out()
}

// forward runs encoder and decoder. Without gradients it writes the per-row
// losses rowLoss (reconstruction against ws.x, leaving out the values
// ws.mask marks missing under LossTable) and, for a VAE, rowKL. With a
// gradient workspace it writes rowLoss and the reconstruction gradient,
// scaled by gradScale, at the decoder's last pre-activation.
func (m *Model) forward(b Backend, ws *workspace, sample bool, seed, stream uint64, gradScale float32) {
	m.encode(b, ws, sample, seed, stream)
	m.Dec.forward(b, ws.dec, m.decoderInput(ws))
	out := ws.dec.out()
	switch {
	case m.layout != nil: // LossTable: an identity output, so the gradient at out is dz
		var dz Tensor
		if ws.withGrad {
			dz = ws.dec.dz[len(ws.dec.dz)-1]
		}
		b.TableLoss(ws.rowLoss, dz, out, ws.x, ws.mask, m.layout, gradScale)
	case ws.withGrad:
		top := m.Dec.Layers[len(m.Dec.Layers)-1]
		b.ReconLossGrad(ws.rowLoss, ws.dec.dz[len(ws.dec.dz)-1], out, ws.x, m.Config.Loss, top.Act, gradScale)
	case m.fusedBCE:
		b.BCEWithLogits(ws.rowLoss, nil, out, ws.x, 0)
	default:
		b.MSE(ws.rowLoss, nil, out, ws.x, 0)
	}
	if m.Heads != nil && !ws.withGrad {
		b.KL(ws.rowKL, ws.stats)
	}
}

// backward writes every parameter gradient of the loss
// gradScale·Σ rowLoss + klScale·Σ rowKL, after forward with the same gradScale.
// For a VAE it writes rowKL too. done, if not nil, is called with each
// layer once its gradients are written and its weight is read no more.
func (m *Model) backward(b Backend, ws *workspace, klScale float32, done func(*Dense)) {
	top := Identity // the activation of the decoder's input (the AE's latent layer)
	if m.Heads == nil {
		top = m.Enc.Layers[len(m.Enc.Layers)-1].Act
	}
	m.Dec.backward(b, ws.dec, m.decoderInput(ws), ws.dz, top, done)
	if m.Heads != nil {
		b.ReparameterizeBackward(ws.dStats, ws.rowKL, ws.dz, ws.stats, ws.eps, klScale)
		h := m.headsInput(ws)
		b.LinearGrads(m.Heads.DW, m.Heads.DB, ws.dStats, h)
		n := len(m.Enc.Layers)
		if n > 0 {
			b.LinearInputGrad(ws.enc.dz[n-1], ws.dStats, m.Heads.W, h, m.Enc.Layers[n-1].Act)
		}
		if done != nil {
			done(m.Heads)
		}
	}
	m.Enc.backward(b, ws.enc, ws.xin, nil, Identity, done)
}
