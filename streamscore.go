package wgml

import (
	"fmt"

	"github.com/wgml/wgml/nn"
)

// scoreChunkBytes is the size of the chunks a streamed training set is
// scored in: 16 MiB of float32 rows (whole batches, at least one).
const scoreChunkBytes = 16 << 20

// runTrain returns Trainer.RunTrain, or, for a streamed training set, a
// pass of the model over its rows read from disk in chunks of whole
// batches (nn.Model.Run on each), the per-row losses (a float32 each:
// Recon and, for a VAE, KL) appended in row order. The thresholds fitted on
// them (a quantile of every row's score) are exact, as a resident run's:
// the pass holds the chunk and 4 or 8 bytes a row, not the rows.
func (r *Training) runTrain(t *nn.Trainer) func(batch int, w nn.Want) (*nn.Results, error) {
	if r.stream == nil {
		return t.RunTrain
	}
	return func(batch int, w nn.Want) (*nn.Results, error) {
		v, cols := r.stream.Train, r.stream.File.Cols
		chunk := max(1, scoreChunkBytes/(4*cols*batch)) * batch
		buf := make([]float32, min(chunk, v.Rows)*cols)
		out := &nn.Results{}
		for first := 0; first < v.Rows; first += chunk {
			n := min(chunk, v.Rows-first)
			if err := v.ReadRows(buf[:n*cols], first, n); err != nil {
				return nil, err
			}
			res, err := t.M.Run(t.B, nn.Source{Rows: n, Cols: cols, Floats: buf[:n*cols]}, batch, w)
			if err != nil {
				return nil, fmt.Errorf("training rows %d to %d: %w", first, first+n-1, err)
			}
			out.Recon, out.KL = append(out.Recon, res.Recon...), append(out.KL, res.KL...)
		}
		return out, nil
	}
}
