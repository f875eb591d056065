package nn

import (
	"fmt"

	"github.com/wgml/wgml/noise"
)

// Results are what a pass over a data set returns, row-major; each is nil
// unless asked for.
type Results struct {
	Latent []float32 // (Rows, Latent): AE latent layer, VAE mean
	Output []float32 // (Rows, Input): reconstruction in data space
	Recon  []float32 // (Rows): reconstruction loss per row (MSE or BCE summed)
	KL     []float32 // (Rows): KL per row (VAE)
	Input  []float32 // (Rows, Input): the rows the encoder saw (corrupted when Want.Noise is set)
}

// Want selects what Run returns.
type Want struct {
	Latent, Output, Losses bool
	// Input returns the encoder's input rows: with noise.Noise, the corrupted
	// rows, e.g. to show or measure them beside the de-noised Output.
	Input bool
	// noise.Noise corrupts inputs (from stream (Seed, row block)) before encoding;
	// losses are still taken against the clean rows.
	Noise noise.Noise
	Seed  uint64
}

// Run passes every row of src through the model in batches of batch rows
// (z = mu for a VAE: no sampling) and returns what w asks for.
func (m *Model) Run(b Backend, src Source, batch int, w Want) (*Results, error) {
	if src.Cols != m.Config.Input() {
		return nil, fmt.Errorf("data has %d columns, the model expects %d", src.Cols, m.Config.Input())
	}
	res, err := uploadSource(b, src)
	if err != nil {
		return nil, err
	}
	return m.run(b, res, batch, w)
}

// RunTrain is Model.Run over the trainer's training set, which is already
// on the device.
func (t *Trainer) RunTrain(batch int, w Want) (*Results, error) {
	return t.M.run(t.B, t.train, batch, w)
}

// run passes the resident rows of res through the model (see Run).
func (m *Model) run(b Backend, res *resident, batch int, w Want) (*Results, error) {
	if batch <= 0 {
		return nil, fmt.Errorf("batch %d: want a positive batch size", batch)
	}
	rows := res.rows
	index, err := b.AllocIndex(rows)
	if err != nil {
		return nil, err
	}
	b.UploadIndex(index, identity(rows))
	noisy := w.Noise.Kind != noise.None
	wss := map[int]*workspace{}
	for _, n := range batchSizes(rows, batch) {
		if wss[n], err = m.newWorkspace(b, n, noisy, false); err != nil {
			return nil, err
		}
	}
	out := &Results{}
	L, In := m.Config.Latent(), m.Config.Input()
	if w.Latent {
		out.Latent = make([]float32, rows*L)
	}
	if w.Output {
		out.Output = make([]float32, rows*In)
	}
	if w.Input {
		out.Input = make([]float32, rows*In)
	}
	if w.Losses {
		out.Recon = make([]float32, rows)
		if m.Heads != nil {
			out.KL = make([]float32, rows)
		}
	}
	for k, first := 0, 0; first < rows; k, first = k+1, first+batch {
		n := min(batch, rows-first)
		ws := wss[n]
		b.Gather(ws.x, res.t, index, first, res.scale)
		if noisy {
			b.Corrupt(ws.xin, ws.x, w.Noise, w.Seed, streamNoise|uint64(k))
		}
		m.forward(b, ws, false, 0, 0, 0)
		output := ws.dec.out()
		if w.Output {
			output = m.output(b, ws) // records the sigmoid of fused-BCE logits only when wanted
		}
		for _, r := range [...]struct {
			t     Tensor
			dst   []float32 // nil: not wanted
			width int
		}{{m.latent(ws), out.Latent, L}, {output, out.Output, In}, {ws.rowLoss, out.Recon, 1}, {ws.rowKL, out.KL, 1}, {ws.xin, out.Input, In}} {
			if r.dst != nil {
				if err := b.Read(r.t, r.dst[first*r.width:(first+n)*r.width]); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// Decode maps n latent rows z (n, Latent) through the decoder to outputs
// (n, Input) in data space.
func (m *Model) Decode(b Backend, z []float32, n int) ([]float32, error) {
	if len(z) != n*m.Config.Latent() {
		return nil, fmt.Errorf("decode: %d values for %d rows of width %d", len(z), n, m.Config.Latent())
	}
	ws, err := m.newWorkspace(b, n, false, false)
	if err != nil {
		return nil, err
	}
	in := m.decoderInput(ws)
	b.Upload(in, z)
	m.Dec.forward(b, ws.dec, in)
	out := make([]float32, n*m.Config.Input())
	return out, b.Read(m.output(b, ws), out)
}
