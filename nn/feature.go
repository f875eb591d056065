package nn

import "math"

// featureBufs are the host rows a pass with Want.Errors reads a batch's
// decoder output and clean input into.
type featureBufs struct{ raw, x []float32 }

func newFeatureBufs(n int) *featureBufs {
	return &featureBufs{raw: make([]float32, n), x: make([]float32, n)}
}

// read reads ws's decoder output and clean input and writes their
// per-value errors into dst (see featureErrors).
func (f *featureBufs) read(b Backend, ws *workspace, dst []float32, bce bool) error {
	raw, x := f.raw[:len(dst)], f.x[:len(dst)]
	if err := b.Read(ws.dec.out(), raw); err != nil {
		return err
	}
	if err := b.Read(ws.x, x); err != nil {
		return err
	}
	featureErrors(dst, raw, x, bce)
	return nil
}

// featureErrors writes each value's term of the row loss, in float64 and
// rounded once: for MSE (pred − x)², for BCE on logits z (fused BCE) the
// stable form max(z,0) − z·x + log(1+exp(−|z|)). A row's terms sum to its
// Results.Recon up to float32 rounding.
func featureErrors(dst, raw, x []float32, bce bool) {
	for i, v := range raw {
		p, t := float64(v), float64(x[i])
		if bce {
			dst[i] = float32(max(p, 0) - p*t + math.Log1p(math.Exp(-math.Abs(p))))
			continue
		}
		dst[i] = float32((p - t) * (p - t))
	}
}
