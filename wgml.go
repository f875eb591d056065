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
	"fmt"
	"math"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
	"github.com/wgml/wgml/outlier"
)

// Options configure Fit. The zero value of every field picks its default.
type Options struct {
	// Model is "ae" (default) or "vae".
	Model string
	// Layers are the encoder widths after the input, down to the latent
	// (the decoder mirrors them). Default: card.DefaultHidden (256, 64, 16
	// for an AE, 400, 20 for a VAE).
	Layers []int
	// HiddenAct is the hidden activation: relu (default), leakyrelu, tanh,
	// sigmoid or identity.
	HiddenAct string
	// Images says the rows are pixels in [0,1]: no normalisation, a sigmoid
	// output (BCE loss for a VAE) and noise clipped to [0,1]. Otherwise the
	// rows are a table: z-scored (see Normalize), identity output, MSE.
	Images bool
	// Normalize is the feature scaling fitted on the training rows of a
	// table: zscore (default), minmax or none.
	Normalize string
	// Epochs, Batch (at most the number of rows), LR (Adam's learning rate)
	// and Seed (initial weights, data order, VAE sampling, noise) drive the
	// training; their defaults are nn.DefaultTrainOptions' (10 epochs of
	// batches of 128, lr 1e-3, seed 1).
	Epochs, Batch int
	LR            float32
	Seed          uint64
	// Beta weighs a VAE's KL term (default 1).
	Beta float32
	// Noise corrupts each training batch for a de-noising AE:
	// "gaussian:SIGMA", "mask:P" or "saltpepper:P"; "" or "none" for none.
	Noise string
	// Contamination is the expected fraction of outliers in the training
	// rows: Threshold is the (1-Contamination) quantile of their scores.
	// Default DefaultContamination (0.1); set Model.Threshold afterwards for
	// any other cut-off.
	Contamination float64
	// Score is the outlier score: recon (default; the reconstruction loss
	// with z at the mean) or, for a VAE, elbo (recon + KL).
	Score string
	// Backend computes everything; nil means a new gonum CPU backend.
	Backend nn.Backend
	// Model selection (see select.go): ValFrac, Patience, MinDelta,
	// LRSchedule, ThresholdOn.
	Selection
}

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
	// read is how FitFile (or wgml train) read the training data, nil for
	// Fit's rows.
	read *card.Data
}

// Fit trains a model on rows (all of one width) and fits its outlier
// threshold on their scores.
func Fit(rows [][]float64, opt Options) (*Model, error) {
	d, err := table(rows, 0)
	if err != nil {
		return nil, err
	}
	return fit(d, opt, nil)
}

// fit trains a model on the rows of d and fits its threshold; read is how
// FitFile read d (nil for Fit's rows).
func fit(d *data.Dataset, opt Options, read *card.Data) (*Model, error) {
	cfg, err := opt.config(d.Cols)
	if err != nil {
		return nil, err
	}
	if card.NeedsTableLoss(d) {
		cfg.Loss, cfg.TableGroups = nn.LossTable, card.TableGroups(d)
	}
	to, err := opt.trainOptions(d.Rows)
	if err != nil {
		return nil, err
	}
	norm := orDefault(opt.Normalize, "zscore")
	if opt.Images {
		norm = "none"
	}
	m := &Model{Backend: opt.Backend, Contamination: opt.Contamination, ScoreKind: orDefault(opt.Score, card.ScoreRecon), Images: opt.Images, Batch: card.ScoreBatch,
		Schema: d.Schema, read: read}
	if m.Contamination == 0 {
		m.Contamination = DefaultContamination
	}
	if err := card.CheckScore(m.ScoreKind, cfg); err != nil {
		return nil, err
	}
	d, vd := splitValidation(d, to)
	to.Batch = min(to.Batch, d.Rows)
	if m.Norm, err = data.FitNormalizer(norm, d); err != nil {
		return nil, err
	}
	src, err := m.source(d)
	if err != nil {
		return nil, err
	}
	if m.Backend == nil {
		m.Backend = cpu.New()
	}
	if m.Net, err = nn.NewModel(m.Backend, cfg, to.Seed); err != nil {
		return nil, err
	}
	val, err := m.validationSource(vd)
	if err != nil {
		return nil, err
	}
	t, err := nn.NewTrainer(m.Backend, m.Net, src, nil, to)
	if err != nil {
		return nil, err
	}
	if err := m.train(t, val); err != nil {
		return nil, err
	}
	m.History = t.History
	fitOn := src
	if opt.ThresholdOn == card.OnVal {
		fitOn = *val
	}
	scores, err := m.scores(fitOn)
	if err != nil {
		return nil, err
	}
	if m.Threshold, err = Threshold(scores, m.Contamination); err != nil {
		return nil, err
	}
	if m.Scaler, err = outlier.FitScaler(scores); err != nil {
		return nil, err
	}
	return m, nil
}

// trainOptions turns options into training options over nn's defaults for
// rows training rows (the batch is at most rows).
func (opt *Options) trainOptions(rows int) (nn.TrainOptions, error) {
	to := nn.DefaultTrainOptions()
	if opt.Epochs != 0 {
		to.Epochs = opt.Epochs
	}
	if opt.Batch != 0 {
		to.Batch = opt.Batch
	}
	to.Batch = min(to.Batch, rows)
	if opt.LR != 0 {
		to.Adam.LR = opt.LR
	}
	if opt.Seed != 0 {
		to.Seed = opt.Seed
	}
	n, err := noise.Parse(opt.Noise)
	if err != nil {
		return to, err
	}
	to.Noise = n.ForPixels(opt.Images)
	if err := opt.Selection.apply(&to); err != nil {
		return to, err
	}
	return to, to.Check()
}

// config turns options into a model configuration for rows of cols values.
func (opt *Options) config(cols int) (nn.Config, error) {
	c, err := card.DefaultConfig(orDefault(opt.Model, nn.KindAE), cols, opt.Images)
	if err != nil {
		return c, err
	}
	if opt.Beta != 0 {
		c.Beta = opt.Beta
	}
	if opt.Layers != nil {
		c.Layers = append([]int{cols}, opt.Layers...)
	}
	if opt.HiddenAct != "" {
		if c.HiddenAct, err = nn.ParseActivation(opt.HiddenAct); err != nil {
			return c, err
		}
	}
	return c, c.Validate()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
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
	return card.RowScores(res, m.ScoreKind), nil
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
	src, err := m.rows(rows)
	if err != nil {
		return nil, err
	}
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Latent: true})
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
	src, err := m.rows(rows)
	if err != nil {
		return nil, err
	}
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Output: true})
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

// rows converts and normalises rows of the model's input width.
func (m *Model) rows(rows [][]float64) (nn.Source, error) {
	d, err := table(rows, m.Net.Config.Input())
	if err != nil {
		return nn.Source{}, err
	}
	return m.source(d)
}

func (m *Model) source(d *data.Dataset) (nn.Source, error) {
	nd, err := m.Norm.Apply(d)
	if err != nil {
		return nn.Source{}, err
	}
	return nn.Source{Rows: nd.Rows, Cols: nd.Cols, Floats: nd.Floats, Mask: nd.Mask}, nil
}

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

// Save writes the model, its normalisation and threshold to a safetensors
// checkpoint (written to a temp file and renamed), readable by Load and by
// the wgml command (give it --data).
func (m *Model) Save(path string) error {
	ck, err := nn.Snapshot(m.Backend, m.Net, nil, nil)
	if err != nil {
		return err
	}
	c := card.Card{Data: card.Data{Cols: m.Net.Config.Input()}, Images: m.Images,
		Thresholds: card.Thresholds{ByScore: map[string]float64{m.ScoreKind: m.Threshold}, Score: m.ScoreKind, Contamination: m.Contamination,
			Scalers: map[string]outlier.Scaler{m.ScoreKind: m.Scaler}}}
	if m.read != nil {
		c.Data = *m.read
	}
	c.Data.Normalizer = m.Norm
	if err := c.Write(ck); err != nil {
		return err
	}
	return ck.Save(path)
}

// Load reads a checkpoint written by Save or by wgml train onto backend b
// (nil: a new CPU backend).
func Load(path string, b nn.Backend) (*Model, error) {
	ck, err := nn.LoadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	c, err := card.Read(ck, path)
	if err != nil {
		return nil, err
	}
	m := &Model{Backend: b, Norm: c.Data.Normalizer, ScoreKind: c.Thresholds.Score, Batch: card.ScoreBatch, Schema: c.Data.Schema, read: &c.Data,
		Contamination: c.Thresholds.Contamination, History: ck.History, Images: c.Images, Threshold: math.Inf(1)}
	if math.IsNaN(m.Contamination) {
		m.Contamination = DefaultContamination
	}
	if t, ok := c.Thresholds.Fitted(m.ScoreKind); ok {
		m.Threshold = t
	}
	m.Scaler = c.Thresholds.Scalers[m.ScoreKind]
	m.BestEpoch = ck.BestEpoch
	if m.Backend == nil {
		m.Backend = cpu.New()
	}
	if m.Net, err = ck.Build(m.Backend); err != nil {
		return nil, err
	}
	return m, nil
}
