package nn

// workspace holds every activation buffer of one batch size, allocated once.
type workspace struct {
	n         int
	x, xin    Tensor // clean batch (target) and the input seen (corrupted or x)
	enc, dec  *mlpBuffers
	mu, lv, z Tensor // VAE (n,Latent)
	eps       Tensor
	dMu, dLv  Tensor
	dz, dh    Tensor // gradient at the decoder input; at the VAE heads' input
	recon     Tensor // sigmoid(logits) when the loss is fused BCE
	rowLoss   Tensor // (n,1) reconstruction loss per row
	rowKL     Tensor // (n,1) KL per row (VAE)
	withGrad  bool
}

// newWorkspace allocates m's buffers for batch size n on b. noisy adds a
// separate corrupted-input buffer; withGrad the gradient buffers.
func (m *Model) newWorkspace(b Backend, n int, noisy, withGrad bool) (*workspace, error) {
	ws := &workspace{n: n, withGrad: withGrad}
	var err error
	alloc := func(dst *Tensor, rows, cols int) {
		if err == nil {
			*dst, err = b.Alloc(rows, cols)
		}
	}
	c := &m.Config
	alloc(&ws.x, n, c.Input())
	ws.xin = ws.x
	if noisy {
		alloc(&ws.xin, n, c.Input())
	}
	alloc(&ws.rowLoss, n, 1)
	if m.fusedBCE {
		alloc(&ws.recon, n, c.Input())
	}
	if m.Mu != nil {
		L := c.Latent()
		for _, t := range []*Tensor{&ws.mu, &ws.lv, &ws.z, &ws.eps} {
			alloc(t, n, L)
		}
		alloc(&ws.rowKL, n, 1)
		if withGrad {
			for _, t := range []*Tensor{&ws.dMu, &ws.dLv, &ws.dz} {
				alloc(t, n, L)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if ws.enc, err = m.Enc.newBuffers(b, n, withGrad); err != nil {
		return nil, err
	}
	if ws.dec, err = m.Dec.newBuffers(b, n, withGrad); err != nil {
		return nil, err
	}
	if withGrad {
		if m.Mu == nil {
			ws.dz = ws.enc.dy[len(ws.enc.dy)-1]
		} else if len(ws.enc.dy) > 0 {
			ws.dh = ws.enc.dy[len(ws.enc.dy)-1]
		}
	}
	return ws, nil
}

// latent is the code of the batch: the AE's latent layer, the VAE's mean.
func (m *Model) latent(ws *workspace) Tensor {
	if m.Mu != nil {
		return ws.mu
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
