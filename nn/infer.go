package nn

import (
	"fmt"
	"math/bits"

	"github.com/wgml/wgml/noise"
)

// Results are what a pass over a data set returns, row-major; each is nil
// unless asked for.
type Results struct {
	Latent []float32 // (Rows, Latent): AE latent layer, VAE mean
	Output []float32 // (Rows, Input): reconstruction in data space
	Recon  []float32 // (Rows): reconstruction loss per row (MSE or BCE summed; LossTable's F/P-scaled sum over present values)
	KL     []float32 // (Rows): KL per row (VAE)
	Input  []float32 // (Rows, Input): the rows the encoder saw (corrupted when Want.Noise is set)
	Errors []float32 // (Rows, Input): each value's term of Recon (see featureErrors)
	Raw    []float32 // (Rows, Input): the decoder's output before the loss: logits under fused BCE and the table loss
}

// Want selects what Run returns.
type Want struct {
	Latent, Output, Losses bool
	// Input returns the encoder's input rows: with noise.Noise, the corrupted
	// rows, e.g. to show or measure them beside the de-noised Output.
	Input bool
	// Errors returns each value's reconstruction error (Results.Errors);
	// Raw the decoder's output as the loss sees it (Results.Raw).
	Errors, Raw bool
	// noise.Noise corrupts inputs (from stream (Seed, row block)) before encoding;
	// losses are still taken against the clean rows.
	Noise noise.Noise
	Seed  uint64
}

// Run passes every row of src through the model in batches of batch rows
// (z = mu for a VAE: no sampling) and returns what w asks for. Each batch
// is uploaded from the host into a workspace the model keeps per batch size
// (see inferWorkspace), so a loop of Runs on one backend allocates nothing
// after its first call.
func (m *Model) Run(b Backend, src Source, batch int, w Want) (*Results, error) {
	if src.Cols != m.Config.Input() {
		return nil, fmt.Errorf("data has %d columns, the model expects %d", src.Cols, m.Config.Input())
	}
	if err := src.check(); err != nil {
		return nil, err
	}
	In := src.Cols
	var host []float32
	if src.Bytes != nil || src.Mask != nil {
		host = make([]float32, min(batch, src.Rows)*In)
	}
	masked := src.Mask != nil && m.layout != nil
	return m.run(b, src.Rows, batch, w, masked, func(ws *workspace, first, n int) {
		if masked {
			for i, v := range src.Mask[first*In : (first+n)*In] {
				host[i] = float32(v)
			}
			b.Upload(ws.mask, host[:n*In])
		}
		if src.Floats != nil {
			b.Upload(ws.x, src.Floats[first*In:(first+n)*In])
			return
		}
		// Gather's scale·byte, on the host: the same float32 product.
		for i, v := range src.Bytes[first*In : (first+n)*In] {
			host[i] = bytesScale * float32(v)
		}
		b.Upload(ws.x, host[:n*In])
	})
}

// RunTrain is Model.Run over the trainer's training set, which is already
// on the device: batches are gathered from it in row order.
func (t *Trainer) RunTrain(batch int, w Want) (*Results, error) {
	if t.stream != nil {
		return nil, fmt.Errorf("the training set is streamed, not on the device: run the model over its rows instead")
	}
	if t.trainIndex == nil {
		var err error
		if t.trainIndex, err = t.B.AllocIndex(t.train.rows); err != nil {
			return nil, err
		}
		t.B.UploadIndex(t.trainIndex, identity(t.train.rows))
	}
	return t.M.run(t.B, t.train.rows, batch, w, t.train.mask != nil, func(ws *workspace, first, _ int) {
		t.train.gather(t.B, ws, t.trainIndex, first)
	})
}

// inferKey names an inference workspace: its backend, batch size and
// extras (never Grad).
type inferKey struct {
	b    Backend
	n    int
	want extras
}

// inferWorkspace returns m's inference workspace for n rows on b, made on
// first use and kept: device memory for inference grows with the number of
// distinct batch sizes used (inferPieces bounds them to log2(batch)+2 per
// batch setting without noise), not with the number of calls.
func (m *Model) inferWorkspace(b Backend, n int, want extras) (*workspace, error) {
	want.Grad = false
	k := inferKey{b, n, want}
	if ws := m.infer[k]; ws != nil {
		return ws, nil
	}
	ws, err := m.newWorkspace(b, n, want)
	if err != nil {
		return nil, err
	}
	if m.infer == nil {
		m.infer = map[inferKey]*workspace{}
	}
	m.infer[k] = ws
	return ws, nil
}

// run passes rows rows through the model (see Run); load fills a batch's
// clean input ws.x (and ws.mask, when masked) with rows first..first+n-1.
func (m *Model) run(b Backend, rows, batch int, w Want, masked bool, load func(ws *workspace, first, n int)) (*Results, error) {
	if batch <= 0 {
		return nil, fmt.Errorf("batch %d: want a positive batch size", batch)
	}
	noisy := w.Noise.Kind != noise.None
	pieces := inferPieces(rows, batch, noisy)
	wss := map[int]*workspace{}
	for _, n := range pieces {
		if wss[n] != nil {
			continue
		}
		var err error
		if wss[n], err = m.inferWorkspace(b, n, extras{Noisy: noisy, Masked: masked}); err != nil {
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
	if w.Raw {
		out.Raw = make([]float32, rows*In)
	}
	var fe *featureBufs
	if w.Errors {
		out.Errors, fe = make([]float32, rows*In), newFeatureBufs(min(batch, rows)*In)
	}
	if w.Losses {
		out.Recon = make([]float32, rows)
		if m.Heads != nil {
			out.KL = make([]float32, rows)
		}
	}
	first := 0
	for k, n := range pieces {
		ws := wss[n]
		load(ws, first, n)
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
		}{{m.latent(ws), out.Latent, L}, {output, out.Output, In}, {ws.rowLoss, out.Recon, 1}, {ws.rowKL, out.KL, 1}, {ws.xin, out.Input, In}, {ws.dec.out(), out.Raw, In}} {
			if r.dst != nil {
				if err := b.Read(r.t, r.dst[first*r.width:(first+n)*r.width]); err != nil {
					return nil, err
				}
			}
		}
		if fe != nil {
			if err := fe.read(b, ws, out.Errors[first*In:(first+n)*In], m.fusedBCE); err != nil {
				return nil, err
			}
		}
		first += n
	}
	return out, nil
}

// inferPieces returns the sizes of the batches run passes rows rows in,
// in order: whole batches of batch rows, then the rest in the powers of
// two that sum to it, largest first. A row's outputs do not depend on the
// batch it runs in (row invariance), so the pieces change no result; they
// bound the inference workspaces a model keeps (one per size, see
// inferWorkspace) to log2(batch)+2 however many row counts it runs — a
// stream's chunks, a server's requests — where one batch of the rest
// would make one per count. With noise the rest is one batch, as before:
// a batch's noise is drawn by its place (streamNoise|k).
func inferPieces(rows, batch int, noisy bool) []int {
	pieces := make([]int, 0, rows/batch+bits.OnesCount(uint(rows%batch)))
	for range rows / batch {
		pieces = append(pieces, batch)
	}
	rest := rows % batch
	if noisy && rest > 0 {
		return append(pieces, rest)
	}
	for rest > 0 {
		p := 1 << (bits.Len(uint(rest)) - 1)
		pieces = append(pieces, p)
		rest -= p
	}
	return pieces
}

// Decode maps n latent rows z (n, Latent) through the decoder to outputs
// (n, Input) in data space.
func (m *Model) Decode(b Backend, z []float32, n int) ([]float32, error) {
	if len(z) != n*m.Config.Latent() {
		return nil, fmt.Errorf("decode: %d values for %d rows of width %d", len(z), n, m.Config.Latent())
	}
	ws, err := m.inferWorkspace(b, n, extras{})
	if err != nil {
		return nil, err
	}
	in := m.decoderInput(ws)
	b.Upload(in, z)
	m.Dec.forward(b, ws.dec, in)
	out := make([]float32, n*m.Config.Input())
	return out, b.Read(m.output(b, ws), out)
}
