package wgml

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// scoreChunkBytes is the size of the chunks a streamed training set is
// scored in: 16 MiB of float32 rows (whole batches, at least one).
const scoreChunkBytes = 16 << 20

// runTrain is, for a streamed training set, what Trainer.RunTrain is for
// a resident one: scoreView over the rows not held out.
func (r *Training) runTrain(t *nn.Trainer) func(batch int, w nn.Want) (*nn.Results, error) {
	return func(batch int, w nn.Want) (*nn.Results, error) {
		return scoreView(t.M, t.B, r.stream.Train, r.stream.File.Cols, batch, w)
	}
}

// scoreView passes the rows of v (cols values each, normalised as v
// reads them) through net on b in chunks of whole batches (nn.Model.Run
// on each), keeping the losses w asks for, a float32 per row each (Recon
// and, for a VAE, KL), in row order: 4 or 8 bytes a row, not the rows.
func scoreView(net *nn.Model, b nn.Backend, v *data.RowView, cols, batch int, w nn.Want) (*nn.Results, error) {
	chunk := max(1, scoreChunkBytes/(4*cols*batch)) * batch
	buf := make([]float32, min(chunk, v.Rows)*cols)
	out := &nn.Results{Recon: make([]float32, 0, v.Rows)}
	if net.Config.Kind == nn.KindVAE {
		out.KL = make([]float32, 0, v.Rows)
	}
	for first := 0; first < v.Rows; first += chunk {
		n := min(chunk, v.Rows-first)
		if err := v.ReadRows(buf[:n*cols], first, n); err != nil {
			return nil, err
		}
		res, err := net.Run(b, nn.Source{Rows: n, Cols: cols, Floats: buf[:n*cols]}, batch, w)
		if err != nil {
			return nil, fmt.Errorf("training rows %d to %d: %w", first, first+n-1, err)
		}
		out.Recon, out.KL = append(out.Recon, res.Recon...), append(out.KL, res.KL...)
	}
	return out, nil
}

// StreamTrainingScores is TrainingScores for a model trained with
// Options.Stream (its card says so): the training file is opened for
// streaming as training opened it (its cache in the run folder dir, the
// folder of the checkpoint), the same blocks held out, and the rows the
// thresholds were fitted on — the training rows, or the validation rows
// under ThresholdOn val — scored in chunks (scoreView).
func (m *Model) StreamTrainingScores(dir, kind string, batch int) ([]float64, error) {
	if err := nn.CheckScore(kind, m.Net.Config); err != nil {
		return nil, &OptionError{err}
	}
	read := m.card.Data
	if !read.Stream {
		return nil, fmt.Errorf("the model's training rows were not streamed: read them with TrainingScores")
	}
	s, err := data.OpenStream(read.Spec, read.OpenOptions(), filepath.Join(dir, StreamCacheName))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	s.File.Normalize = m.Norm
	var val *data.Dataset
	if m.trained != nil && m.trained.ValFrac > 0 {
		if val, err = s.SplitValidation(m.trained.ValFrac); err != nil {
			return nil, err
		}
	}
	if m.card.Thresholds.On == card.OnVal && val != nil {
		src, err := m.source(val)
		if err != nil {
			return nil, err
		}
		return m.ScoreSource(src, kind, batch)
	}
	res, err := scoreView(m.Net, m.Backend, s.Train, s.File.Cols, batch, nn.Want{Losses: true})
	if err != nil {
		return nil, err
	}
	return nn.RowScores(res, kind), nil
}

// fitThresholdsInPlace is fitThresholds in the memory of res (a streamed
// training set's losses, see runTrain): each kind's scores are a float32
// per row — recon res.Recon itself, elbo float32(recon + KL) written over
// res.KL — sorted in place, the threshold their (1-contamination) quantile
// as outlier.Quantile computes it (quantileSorted) and the Scaler their
// least and greatest. The recon thresholds equal fitThresholds'; the elbo
// ones differ by each score's rounding to float32 (at most 2⁻²⁴ of it).
func fitThresholdsInPlace(res *nn.Results, c nn.Config, contamination float64) (card.Thresholds, error) {
	th := card.Thresholds{ByScore: map[string]float64{}, Scalers: map[string]outlier.Scaler{}, Score: nn.ScoreRecon, Contamination: contamination, Rows: len(res.Recon)}
	scores := map[string][]float32{nn.ScoreRecon: res.Recon, nn.ScoreELBO: res.KL}
	for i, kl := range res.KL { // before res.Recon is sorted
		res.KL[i] = float32(float64(res.Recon[i]) + float64(kl))
	}
	for _, kind := range nn.ScoreKinds(c) {
		s := scores[kind]
		if len(s) == 0 {
			return th, fmt.Errorf("fitting the %s threshold on the training rows: no scores to fit a threshold on", kind)
		}
		slices.Sort(s) // NaN first, +Inf last
		for _, v := range []float64{float64(s[0]), float64(s[len(s)-1])} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return th, fmt.Errorf("fitting the %s threshold on the training rows: a score is %v: want finite scores", kind, v)
			}
		}
		th.ByScore[kind] = quantileSorted(s, 1-contamination)
		th.Scalers[kind] = outlier.Scaler{Min: float64(s[0]), Max: float64(s[len(s)-1])}
	}
	return th, nil
}

// quantileSorted is gonum's stat.Quantile(p, stat.LinInterp, s, nil) of
// sorted scores s, which outlier.Quantile takes: with f = p·n, the first i
// with i+1 ≥ f, t = i+1-f, it is s[0] for i = 0 and t·s[i-1] + (1-t)·s[i]
// otherwise.
func quantileSorted(s []float32, p float64) float64 {
	f := p * float64(len(s))
	i := max(0, int(math.Ceil(f))-1)
	if i == 0 {
		return float64(s[0])
	}
	t := float64(i+1) - f
	return t*float64(s[i-1]) + (1-t)*float64(s[i])
}
