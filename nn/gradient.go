package nn

import "fmt"

// Gradient computes, for one batch x (n rows, row-major, in data space), the
// training objective mean_i(recon_i + beta·kl_i) with the VAE's eps drawn
// from stream (seed, streamEps|step), and the gradient of every parameter,
// laid out as the ParamSet's flat buffer. It is what one training step does
// before Adam, exposed for gradient checks and custom optimisers.
func (m *Model) Gradient(b Backend, x []float32, n int, seed, step uint64) (loss float64, grad []float32, err error) {
	if len(x) != n*m.Config.Input() {
		return 0, nil, fmt.Errorf("gradient: %d values for %d rows of width %d", len(x), n, m.Config.Input())
	}
	ws, err := m.newWorkspace(b, n, extras{Grad: true})
	if err != nil {
		return 0, nil, err
	}
	defer ws.free(b)
	b.Upload(ws.x, x)
	scale := 1 / float32(n)
	m.forward(b, ws, true, seed, streamEps|step, scale)
	m.backward(b, ws, m.Config.Beta*scale, nil)
	rows := make([]float32, n)
	if err := b.Read(ws.rowLoss, rows); err != nil {
		return 0, nil, err
	}
	for _, v := range rows {
		loss += float64(v)
	}
	if m.Heads != nil {
		if err := b.Read(ws.rowKL, rows); err != nil {
			return 0, nil, err
		}
		for _, v := range rows {
			loss += float64(m.Config.Beta) * float64(v)
		}
	}
	grad = make([]float32, m.Params.Total)
	return loss / float64(n), grad, b.Read(m.Params.Grad, grad)
}

// SetParams uploads a full flat parameter vector (ParamSet layout).
func (m *Model) SetParams(b Backend, flat []float32) error {
	if err := m.usable(); err != nil {
		return err
	}
	if len(flat) != m.Params.Total {
		return fmt.Errorf("set params: %d values, want %d", len(flat), m.Params.Total)
	}
	b.Upload(m.Params.Flat, flat)
	return nil
}
