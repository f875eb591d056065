package nn

// workspace holds every activation buffer of one batch size, allocated once.
type workspace struct {
	n      int
	x, xin Tensor // clean batch (target) and the input seen (corrupted or x)
	// mask (n,Input) marks each value of x present (1) or missing (0) for
	// LossTable; nil when the data has no mask (see withMask).
	mask     Tensor
	enc, dec *mlpBuffers
	stats    Tensor // VAE (n,2·Latent): mu then logvar per row, the heads' output
	z, eps   Tensor // VAE (n,Latent)
	dStats   Tensor // VAE (n,2·Latent)
	dz       Tensor // gradient at the decoder input (n,Latent)
	recon    Tensor // sigmoid(logits) when the loss is fused BCE
	// rowLoss (n,1) is the reconstruction loss per row and rowKL (n,1) the
	// VAE's KL per row: views of rows (K,⌈n⌉), K = 1 for an AE and 2 for a
	// VAE, ⌈n⌉ n rounded up to ViewAlign (the padding stays zero), so that
	// one reduction sums both.
	rows, rowLoss, rowKL Tensor
	withGrad             bool
}

// extras are the optional buffers of a workspace, beside the activations
// every workspace has: Noisy a separate corrupted-input buffer, Grad the
// gradient buffers, Masked (LossTable only) the mask buffer.
type extras struct{ Noisy, Grad, Masked bool }

// newWorkspace allocates m's buffers for batch size n on b, with the
// extras want.
func (m *Model) newWorkspace(b Backend, n int, want extras) (*workspace, error) {
	if err := m.usable(); err != nil {
		return nil, err
	}
	ws := &workspace{n: n, withGrad: want.Grad}
	var err error
	alloc := func(dst *Tensor, rows, cols int) {
		if err == nil {
			*dst, err = b.Alloc(rows, cols)
		}
	}
	c := &m.Config
	alloc(&ws.x, n, c.Input())
	ws.xin = ws.x
	if want.Noisy {
		alloc(&ws.xin, n, c.Input())
	}
	if want.Masked && m.layout != nil {
		alloc(&ws.mask, n, c.Input())
	}
	k, padded := 1, (n+ViewAlign-1)/ViewAlign*ViewAlign
	if m.Heads != nil {
		k = 2
	}
	alloc(&ws.rows, k, padded)
	if m.fusedBCE {
		alloc(&ws.recon, n, c.Input())
	}
	if m.Heads != nil {
		L := c.Latent()
		alloc(&ws.stats, n, 2*L)
		alloc(&ws.z, n, L)
		alloc(&ws.eps, n, L)
		if want.Grad {
			alloc(&ws.dStats, n, 2*L)
			alloc(&ws.dz, n, L)
		}
	}
	if err != nil {
		return nil, err
	}
	ws.rowLoss = b.View(ws.rows, 0, n, 1)
	if m.Heads != nil {
		ws.rowKL = b.View(ws.rows, padded, n, 1)
	}
	if ws.enc, err = m.Enc.newBuffers(b, n, want.Grad); err != nil {
		return nil, err
	}
	if ws.dec, err = m.Dec.newBuffers(b, n, want.Grad); err != nil {
		return nil, err
	}
	if want.Grad && m.Heads == nil {
		ws.dz = ws.enc.dz[len(ws.enc.dz)-1]
	}
	return ws, nil
}

// latent is the code of the batch: the AE's latent layer, the VAE's mean
// (z, after an encode without sampling).
func (m *Model) latent(ws *workspace) Tensor {
	if m.Heads != nil {
		return ws.z
	}
	return ws.enc.out()
}

// output is the reconstruction of the batch, in data space.
func (m *Model) output(b Backend, ws *workspace) Tensor {
	if m.fusedBCE {
		b.Activate(ws.recon, ws.dec.out(), Sigmoid)
		return ws.recon
	}
	return ws.dec.out()
}
