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
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// Options configure Fit. The zero value of every field picks its default.
type Options struct {
	// Model is "ae" (default) or "vae".
	Model string
	// Layers are the encoder widths after the input, down to the latent
	// (the decoder mirrors them). Default: 256, 64, 16 for an AE, 400, 20
	// for a VAE.
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
	// Epochs (default 10), Batch (default 128, at most the number of rows),
	// LR (Adam's learning rate, default 1e-3) and Seed (default 1: initial
	// weights, data order, VAE sampling, noise) drive the training.
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
}

// Fit trains a model on rows (all of one width) and fits its outlier
// threshold on their scores.
func Fit(rows [][]float64, opt Options) (*Model, error) {
	d, err := table(rows, 0)
	if err != nil {
		return nil, err
	}
	cfg, err := opt.config(d.Cols)
	if err != nil {
		return nil, err
	}
	noise, err := noise.Parse(opt.Noise)
	if err != nil {
		return nil, err
	}
	noise = noise.ForPixels(opt.Images)
	norm := orDefault(opt.Normalize, "zscore")
	if opt.Images {
		norm = "none"
	}
	m := &Model{Backend: opt.Backend, Contamination: opt.Contamination, ScoreKind: orDefault(opt.Score, "recon"), Images: opt.Images, Batch: 500}
	if m.Contamination == 0 {
		m.Contamination = DefaultContamination
	}
	if err := m.checkScore(cfg.Kind); err != nil {
		return nil, err
	}
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
	seed := opt.Seed
	if seed == 0 {
		seed = 1
	}
	if m.Net, err = nn.NewModel(m.Backend, cfg, seed); err != nil {
		return nil, err
	}
	adam := nn.DefaultAdam
	if opt.LR != 0 {
		adam.LR = opt.LR
	}
	epochs := opt.Epochs
	if epochs == 0 {
		epochs = 10
	}
	batch := opt.Batch
	if batch == 0 {
		batch = 128
	}
	t, err := nn.NewTrainer(m.Backend, m.Net, src, nil, nn.TrainOptions{
		Epochs: epochs, Batch: min(batch, d.Rows), Seed: seed, Noise: noise, Adam: adam})
	if err != nil {
		return nil, err
	}
	for t.Epoch < epochs {
		if _, err := t.RunEpoch(); err != nil {
			return nil, err
		}
	}
	m.History = t.History
	scores, err := m.scores(src)
	if err != nil {
		return nil, err
	}
	if m.Threshold, err = Threshold(scores, m.Contamination); err != nil {
		return nil, err
	}
	return m, nil
}

// config turns options into a model configuration for rows of cols values.
func (opt *Options) config(cols int) (nn.Config, error) {
	c := nn.Config{Kind: orDefault(opt.Model, nn.KindAE), Beta: opt.Beta, Init: "torch", Loss: nn.LossMSE, OutputAct: nn.Identity}
	if c.Beta == 0 {
		c.Beta = 1
	}
	layers := opt.Layers
	if layers == nil {
		layers = []int{256, 64, 16}
		if c.Kind == nn.KindVAE {
			layers = []int{400, 20}
		}
	}
	c.Layers = append([]int{cols}, layers...)
	var err error
	if c.HiddenAct, err = nn.ParseActivation(orDefault(opt.HiddenAct, "relu")); err != nil {
		return c, err
	}
	if opt.Images {
		c.OutputAct = nn.Sigmoid
		if c.Kind == nn.KindVAE {
			c.Loss = nn.LossBCE
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

// checkScore validates the score kind for a model kind.
func (m *Model) checkScore(kind string) error {
	switch {
	case m.ScoreKind == "recon":
	case m.ScoreKind == "elbo" && kind == nn.KindVAE:
	case m.ScoreKind == "elbo":
		return fmt.Errorf("score elbo: only a vae has one, this model is an %s", kind)
	default:
		return fmt.Errorf("score %q: want recon or elbo", m.ScoreKind)
	}
	return nil
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
	s := make([]float64, len(res.Recon))
	for i, r := range res.Recon {
		s[i] = float64(r)
		if m.ScoreKind == "elbo" {
			s[i] += float64(res.KL[i])
		}
	}
	return s, nil
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
	return nn.Source{Rows: nd.Rows, Cols: nd.Cols, Floats: nd.Floats}, nil
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

// checkpointData mirrors what the wgml command stores under the metadata
// key "data", so `wgml score --data FILE.csv` reads a library model too.
type checkpointData struct {
	Spec       string          `json:"spec"`
	Cols       int             `json:"cols"`
	Width      int             `json:"width,omitempty"` // images: pixels per row of an image
	Normalizer data.Normalizer `json:"normalizer"`
}

// Save writes the model, its normalisation and threshold to a safetensors
// checkpoint (written to a temp file and renamed), readable by Load and by
// the wgml command (give it --data).
func (m *Model) Save(path string) error {
	ck, err := nn.Snapshot(m.Backend, m.Net, nil, nil)
	if err != nil {
		return err
	}
	dm, err := json.Marshal(checkpointData{Spec: "", Cols: m.Net.Config.Input(), Normalizer: m.Norm})
	if err != nil {
		return err
	}
	key := "threshold"
	if m.ScoreKind != "recon" {
		key += "_" + m.ScoreKind
	}
	ck.Meta = map[string]string{
		"data":          string(dm),
		key:             strconv.FormatFloat(m.Threshold, 'g', -1, 64),
		"contamination": strconv.FormatFloat(m.Contamination, 'g', -1, 64),
		"score":         m.ScoreKind,
		"images":        strconv.FormatBool(m.Images),
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
	var dm checkpointData
	if err := json.Unmarshal([]byte(ck.Meta["data"]), &dm); err != nil {
		return nil, fmt.Errorf("%s: metadata data: %v", path, err)
	}
	m := &Model{Backend: b, Norm: dm.Normalizer, ScoreKind: orDefault(ck.Meta["score"], "recon"), Batch: 500,
		Contamination: DefaultContamination, History: ck.History}
	m.Images = ck.Meta["images"] == "true" || dm.Width > 0
	if v := ck.Meta["contamination"]; v != "" {
		if m.Contamination, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("%s: metadata contamination %q is not a number", path, v)
		}
	}
	key := "threshold"
	if m.ScoreKind != "recon" {
		key += "_" + m.ScoreKind
	}
	m.Threshold = math.Inf(1)
	if v := ck.Meta[key]; v != "" {
		if m.Threshold, err = strconv.ParseFloat(v, 64); err != nil {
			return nil, fmt.Errorf("%s: metadata %s %q is not a number", path, key, v)
		}
	}
	if m.Backend == nil {
		m.Backend = cpu.New()
	}
	if m.Net, err = ck.Build(m.Backend); err != nil {
		return nil, err
	}
	return m, nil
}
