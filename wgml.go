// Package wgml is the library face of wgml: fit a dense autoencoder (AE) or
// variational autoencoder (VAE) on rows of numbers, then use it for the jobs
// the wgml command does — outlier scores against a fitted threshold, latent
// codes (dimensionality reduction), decoding codes back to rows, and
// de-noising.
//
//	m, err := wgml.Fit(rows, wgml.Options{Layers: []int{8, 2}, Epochs: 50})
//	scores, err := m.Score(newRows)      // reconstruction error per row
//	flags, err := m.Predict(newRows)     // score > m.Threshold
//	codes, err := m.Encode(newRows)      // latent codes (a VAE's mean)
//	clean, err := m.Denoise(noisyRows)   // reconstructions in data units
//
// It follows PyOD's AutoEncoder detector: features are z-scored with
// statistics of the training rows, the score of a row is its reconstruction
// error, and Threshold is the (1-Contamination) quantile of the training
// rows' scores. Rows are []float64 of one width; everything runs on the
// gonum CPU backend unless Options.Backend names another (a GPU).
//
// The free functions Threshold, Outliers, AUROC, AUPRC, PSNR and MeanPSNR
// are the measures the wgml command prints.
package wgml

import (
	"context"
	"fmt"
	"maps"
	"math"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// Model is a fitted autoencoder with its normalisation and outlier
// threshold.
type Model struct {
	Net     *nn.Model
	Backend nn.Backend
	// Norm maps data units to the model's units (fitted on training rows).
	Norm data.Normalizer
	// Threshold flags rows whose score is above it (Predict).
	Threshold float64
	// Contamination is the fraction Threshold was fitted for.
	Contamination float64
	// ScoreKind is "recon" or "elbo" (see Options.Score).
	ScoreKind string
	// Images: rows are pixels in [0,1] (see Options.Images).
	Images bool
	// History holds the per-epoch training losses of Fit.
	History []nn.EpochStats
	// Batch is the number of rows per pass in Score, Encode and the rest.
	Batch int
	// BestEpoch is the epoch whose weights Fit kept with early stopping
	// (Options.Patience), 0 otherwise.
	BestEpoch int
	// Scaler maps scores to outlier probabilities (Probability), fitted
	// on the same rows as Threshold.
	Scaler outlier.Scaler
	// MADK is FitThreshold's k for "mad" (0: outlier.DefaultMADK).
	MADK float64
	// Schema is the columns of the table FitFile trained on (nil for
	// other data): ScoreFile and DenoiseFile encode new files with them.
	Schema *data.Schema
	// card is what the checkpoint says beyond the weights: how the
	// training data was read (Spec "" for Fit's rows), the thresholds of
	// every score kind, the class trained on.
	card card.Card
	// trained is the training options of the run that wrote a loaded
	// checkpoint (nil: not recorded).
	trained *nn.TrainOptions
	// ownBackend: Load made Backend (it was given none), so Release
	// releases it too.
	ownBackend bool
}

// Fit trains a model on rows (all of one width) and fits its outlier
// threshold on their scores.
func Fit(rows [][]float64, opt Options) (*Model, error) {
	d, err := table(rows, 0) // a copy: rows stay as they are
	if err != nil {
		return nil, err
	}
	return fit(d, nn.Given, opt, nil)
}

// fit trains a model on the rows of d and fits its thresholds; read is how
// FitFile read d (nil for Fit's rows). own says whether the training may
// normalise d in place (nn.Given) or works on a copy (nn.Lent).
func fit(d *data.Dataset, own nn.Ownership, opt Options, read *card.Data) (*Model, error) {
	r, err := opt.prepare(&Training{own: own}, d, nil, nil, card.Card{})
	if err != nil {
		return nil, err
	}
	if read != nil {
		r.Card.Data = *read
	}
	r.Card.Data.Normalizer = r.norm
	return r.Run(context.Background(), opt.Backend, Hooks{})
}

// Score returns the outlier score of each row: its reconstruction loss
// (MSE summed over the row, in normalised units; BCE for an image VAE),
// plus the KL term when ScoreKind is elbo.
func (m *Model) Score(rows [][]float64) ([]float64, error) {
	src, err := m.rows(rows)
	if err != nil {
		return nil, err
	}
	return m.scores(src)
}

func (m *Model) scores(src nn.Source) ([]float64, error) {
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Losses: true})
	if err != nil {
		return nil, err
	}
	return nn.RowScores(res, m.ScoreKind), nil
}

// Predict reports for each row whether it is an outlier: its score is
// above Threshold.
func (m *Model) Predict(rows [][]float64) ([]bool, error) {
	s, err := m.Score(rows)
	if err != nil {
		return nil, err
	}
	flags, _ := Outliers(s, m.Threshold)
	return flags, nil
}

// Encode returns the latent code of each row (a VAE's mean).
func (m *Model) Encode(rows [][]float64) ([][]float64, error) {
	res, err := m.run(rows, nn.Want{Latent: true})
	if err != nil {
		return nil, err
	}
	return split(res.Latent, m.Net.Config.Latent()), nil
}

// Decode maps latent codes through the decoder to rows in data units.
func (m *Model) Decode(codes [][]float64) ([][]float64, error) {
	z, err := table(codes, m.Net.Config.Latent())
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	out, err := m.Net.Decode(m.Backend, z.Floats, z.Rows)
	if err != nil {
		return nil, err
	}
	return m.dataUnits(out), nil
}

// Denoise returns the reconstruction of each row in data units: the
// de-noised rows for a model trained with Options.Noise. Pixel rows are
// clipped to [0,1].
func (m *Model) Denoise(rows [][]float64) ([][]float64, error) {
	res, err := m.run(rows, nn.Want{Output: true})
	if err != nil {
		return nil, err
	}
	return m.dataUnits(res.Output), nil
}

// dataUnits splits model outputs into rows and undoes the normalisation.
func (m *Model) dataUnits(out []float32) [][]float64 {
	in := m.Net.Config.Input()
	for i := 0; i < len(out); i += in {
		row := out[i : i+in]
		if m.Images {
			for j, v := range row {
				row[j] = min(max(v, 0), 1)
			}
		}
		m.Norm.Invert(row)
	}
	return split(out, in)
}

// run makes one pass of rows (normalised by m.rows) through the model,
// returning what want asks for.
func (m *Model) run(rows [][]float64, want nn.Want) (*nn.Results, error) {
	src, err := m.rows(rows)
	if err != nil {
		return nil, err
	}
	return m.Net.Run(m.Backend, src, m.Batch, want)
}

// rows converts and normalises rows of the model's input width.
func (m *Model) rows(rows [][]float64) (nn.Source, error) {
	d, err := table(rows, m.Net.Config.Input())
	if err != nil {
		return nn.Source{}, err
	}
	return m.source(d)
}

func (m *Model) source(d *data.Dataset) (nn.Source, error) { return source(d, m.Norm) }

// table copies rows into a float dataset, checking that every row has
// width values (any one width when width is 0) and that all are finite.
func table(rows [][]float64, width int) (*data.Dataset, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("no rows")
	}
	if width == 0 {
		width = len(rows[0])
	}
	if width == 0 {
		return nil, fmt.Errorf("row 0 is empty")
	}
	d := &data.Dataset{Name: "rows", Rows: len(rows), Cols: width, Floats: make([]float32, 0, len(rows)*width)}
	for i, r := range rows {
		if len(r) != width {
			return nil, fmt.Errorf("row %d has %d values, want %d", i, len(r), width)
		}
		for j, v := range r {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("row %d, column %d: %v is not a finite number", i, j, v)
			}
			d.Floats = append(d.Floats, float32(v))
		}
	}
	return d, nil
}

// split cuts a row-major table into rows of width values.
func split(v []float32, width int) [][]float64 {
	out := make([][]float64, len(v)/width)
	for i := range out {
		out[i] = make([]float64, width)
		for j := range width {
			out[i][j] = float64(v[i*width+j])
		}
	}
	return out
}

// Save writes the model, its normalisation and the thresholds of every
// score kind (Threshold and Scaler for ScoreKind) to a safetensors
// checkpoint (written to a temp file and renamed), readable by Load and by
// the wgml command (give it --data).
func (m *Model) Save(path string) error {
	ck, err := nn.Snapshot(m.Backend, m.Net, nil, nil)
	if err != nil {
		return err
	}
	c := m.card
	if c.Data.Cols == 0 {
		c.Data.Cols = m.Net.Config.Input()
	}
	c.Data.Normalizer, c.Images = m.Norm, m.Images
	th := &c.Thresholds
	th.ByScore, th.Scalers = maps.Clone(th.ByScore), maps.Clone(th.Scalers)
	if th.ByScore == nil {
		th.ByScore, th.Scalers = map[string]float64{}, map[string]outlier.Scaler{}
	}
	th.ByScore[m.ScoreKind], th.Scalers[m.ScoreKind] = m.Threshold, m.Scaler
	th.Score, th.Contamination = m.ScoreKind, m.Contamination
	if err := c.Write(ck); err != nil {
		return err
	}
	return ck.Save(path)
}

// Load reads a checkpoint written by Save or by wgml train onto backend b
// (nil: a new CPU backend). It is the one loader of the wgml command too.
func Load(path string, b nn.Backend) (*Model, error) {
	ck, err := nn.LoadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	c, err := card.Read(ck, path)
	if err != nil {
		return nil, err
	}
	m := &Model{Backend: b, Norm: c.Data.Normalizer, ScoreKind: c.Thresholds.Score, Batch: nn.ScoreBatch, Schema: c.Data.Schema, card: c,
		Contamination: c.Thresholds.Contamination, History: ck.History, Images: c.Images, Threshold: math.Inf(1), BestEpoch: ck.BestEpoch, trained: ck.Train}
	if math.IsNaN(m.Contamination) {
		m.Contamination = DefaultContamination
	}
	if t, ok := c.Thresholds.Fitted(m.ScoreKind); ok {
		m.Threshold = t
	}
	m.Scaler = c.Thresholds.Scalers[m.ScoreKind]
	if m.Backend == nil {
		m.Backend, m.ownBackend = cpu.New(), true
	}
	if m.Net, err = ck.Build(m.Backend); err != nil {
		return nil, err
	}
	return m, nil
}
