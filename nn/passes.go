package nn

// Random streams of one seed: each use draws from its own stream so that no
// two uses ever share numbers.
const (
	streamEps   = 1 << 56 // VAE eps of training step s: streamEps | s
	streamNoise = 2 << 56 // input corruption of step s
	streamEval  = 3 << 56 // VAE eps of evaluation batch k
)

// encode runs the encoder on ws.xin. For a VAE, sample draws
// eps = RandNormal(seed, stream) and z = mu + exp(½lv)·eps; otherwise z = mu.
func (m *Model) encode(b Backend, ws *workspace, sample bool, seed, stream uint64) {
	h := ws.xin
	if len(m.Enc.Layers) > 0 {
		m.Enc.forward(b, ws.enc, ws.xin)
		h = ws.enc.out()
	}
	if m.Mu == nil {
		return
	}
	b.Linear(ws.mu, h, m.Mu.W, m.Mu.B, Identity)
	b.Linear(ws.lv, h, m.LogVar.W, m.LogVar.B, Identity)
	if sample {
		b.RandNormal(ws.eps, seed, stream)
		b.Reparameterize(ws.z, ws.mu, ws.lv, ws.eps)
	} else {
		b.Copy(ws.z, ws.mu)
	}
}

// decoderInput is what the decoder reads: the AE's latent, the VAE's z.
func (m *Model) decoderInput(ws *workspace) Tensor {
	if m.Mu != nil {
		return ws.z
	}
	return ws.enc.out()
}

// forward runs encoder and decoder and writes the per-row losses:
// rowLoss (reconstruction against ws.x) and, for a VAE, rowKL. With
// gradScale > 0 and a gradient workspace it also writes the reconstruction
// gradient, scaled by gradScale, into the decoder's last dy.
func (m *Model) forward(b Backend, ws *workspace, sample bool, seed, stream uint64, gradScale float32) {
	m.encode(b, ws, sample, seed, stream)
	m.Dec.forward(b, ws.dec, m.decoderInput(ws))
	var grad Tensor
	if ws.withGrad {
		grad = ws.dec.dy[len(ws.dec.dy)-1]
	}
	if m.fusedBCE {
		b.BCEWithLogits(ws.rowLoss, grad, ws.dec.out(), ws.x, gradScale)
	} else {
		b.MSE(ws.rowLoss, grad, ws.dec.out(), ws.x, gradScale)
	}
	if m.Mu != nil && !ws.withGrad {
		b.KL(ws.rowKL, nil, nil, ws.mu, ws.lv, 0)
	}
}

// backward writes every parameter gradient of the loss
// gradScale·Σ rowLoss + klScale·Σ rowKL, after forward with the same gradScale.
// For a VAE it computes rowKL too.
func (m *Model) backward(b Backend, ws *workspace, klScale float32) {
	m.Dec.backward(b, ws.dec, m.decoderInput(ws), ws.dz, false)
	if m.Mu != nil {
		b.ReparameterizeBackward(ws.dMu, ws.dLv, ws.dz, ws.lv, ws.eps)
		b.KL(ws.rowKL, ws.dMu, ws.dLv, ws.mu, ws.lv, klScale)
		h := ws.xin
		if len(m.Enc.Layers) > 0 {
			h = ws.enc.out()
		}
		for _, head := range []struct {
			d  *Dense
			dy Tensor
		}{{m.Mu, ws.dMu}, {m.LogVar, ws.dLv}} {
			b.MatMul(head.d.DW, head.dy, h, true, false, false)
			b.SumRows(head.d.DB, head.dy, false)
		}
		if ws.dh == nil {
			return
		}
		b.MatMul(ws.dh, ws.dMu, m.Mu.W, false, false, false)
		b.MatMul(ws.dh, ws.dLv, m.LogVar.W, false, false, true)
	}
	m.Enc.backward(b, ws.enc, ws.xin, nil, false)
}
