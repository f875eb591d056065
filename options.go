package wgml

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
	"github.com/wgml/wgml/outlier"
)

// Options configure a training: Fit, FitFile and Train. They cover every
// flag of wgml train (a test walks its flags); the zero value of every field
// picks its default, unless Given says otherwise.
type Options struct {
	// Model is the model kind: "ae" (default) or "vae" (wgml train --kind).
	Model string
	// Layers are the encoder widths after the input, down to the latent
	// (the decoder mirrors them). Default: nn.DefaultHidden (256, 64, 16
	// for an AE, 400, 20 for a VAE).
	Layers []int
	// InputWidth, if not 0, is the input width the caller expects: the
	// first width of wgml train's --layers. The data must have it.
	InputWidth int
	// HiddenAct, LatentAct and OutputAct are activations: relu, leakyrelu,
	// tanh, sigmoid or identity. Defaults: relu hidden layers, an identity
	// latent layer, a sigmoid output for images and identity for tables
	// ("auto" is the default output too).
	HiddenAct, LatentAct, OutputAct string
	// Loss is the reconstruction loss summed per row: mse, bce or table;
	// "" or "auto": table for a table with categorical columns or masked
	// values, BCE for a VAE with a sigmoid output, MSE otherwise.
	Loss string
	// Init is the weight initialisation: torch (default), he or xavier.
	Init string
	// Images says the rows are pixels in [0,1]: no normalisation, a sigmoid
	// output (BCE loss for a VAE) and noise clipped to [0,1]. Otherwise the
	// rows are a table: z-scored (see Normalize), identity output, MSE.
	// Data read as pixels (image folders, IDX files) are images anyway.
	Images bool
	// Normalize is the feature scaling fitted on the training rows of a
	// table: zscore (default; "auto" too), minmax or none.
	Normalize string
	// Epochs, Batch (at most the number of training rows; the default is
	// cut down to it), LR (Adam's learning rate) and Seed (initial
	// weights, data order, VAE sampling, noise, splits) drive the
	// training; their defaults are nn.DefaultTrainOptions' (10 epochs of
	// batches of 128, lr 1e-3, seed 1).
	Epochs, Batch int
	LR            float32
	Seed          uint64
	// Beta1, Beta2, AdamEps and WeightDecay are Adam's other parameters
	// (default nn.DefaultAdam: 0.9, 0.999, 1e-8, 0).
	Beta1, Beta2, AdamEps, WeightDecay float32
	// Beta weighs a VAE's KL term (default 1); KLWarmup > 0 ramps it from
	// 0 over that many epochs.
	Beta     float32
	KLWarmup int
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
	// NormalClass, if set, trains on the rows with this label only
	// (one-class training; a number or class name). Needs labelled data.
	NormalClass string
	// StepsPerSubmit is the number of training steps recorded per GPU
	// queue submit (0: the adapter's default); LogEvery the steps between
	// progress reports (default DefaultLogEvery).
	StepsPerSubmit, LogEvery int
	// Backend computes everything; nil means a new gonum CPU backend.
	Backend nn.Backend
	// Stream says whether a Job (Prepare) streams its training set from
	// disk in chunks (nn.Source.Stream) instead of holding it in memory:
	// StreamOn, StreamOff, or StreamAuto (the default), which streams a
	// .npy, .csv or .parquet file when its values held in memory, 2 × rows
	// × columns × 4 bytes (the rows read and their normalised copy), exceed
	// the host's available memory (/proc/meminfo MemAvailable; never
	// where that is unknown). Device memory is not consulted: WebGPU does
	// not report it, and a resident set larger than one storage binding is
	// split over several. A resumed run streams as it did. The rows not
	// held out are read from disk every epoch; the test and validation
	// rows are held out in blocks and kept in memory (data.StreamSet). Fit
	// and FitFile hold their rows in memory.
	Stream StreamMode
	// StreamChunk and StreamWindow are a stream's chunk rows and shuffle
	// buffer chunks (nn.StreamOptions; 0: nn's defaults).
	StreamChunk, StreamWindow int
	// Model selection (see select.go): ValFrac, Patience, MinDelta,
	// LRSchedule, ThresholdOn.
	Selection
	// Given, if not nil, says which options the caller set, by their wgml
	// train flag names (e.g. "beta1"): those are taken as they are, zero
	// or not, and the others take their defaults (or, resuming, the
	// checkpoint's). Nil: the non-zero options are the ones set.
	Given func(option string) bool
}

// DefaultLogEvery is the default number of steps between progress reports.
const DefaultLogEvery = 20

// OptionError is an error in the options a caller chose (not in the data
// or the machine): the wgml command exits 2 on it.
type OptionError struct{ Err error }

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// optionErr returns an OptionError of the formatted message.
func optionErr(format string, args ...any) error {
	return &OptionError{fmt.Errorf(format, args...)}
}

// asOption marks err (if not nil and not one already) as an OptionError.
func asOption(err error) error {
	var oe *OptionError
	if err == nil || errors.As(err, &oe) {
		return err
	}
	return &OptionError{err}
}

// set reports whether the caller set option name, whose value is non-zero
// or not (see Given).
func (o *Options) set(name string, nonZero bool) bool {
	if o.Given != nil {
		return o.Given(name)
	}
	return nonZero
}

// trainOptions turns the options into training options over nn's
// defaults. The noise is for pixels when images is true.
func (o *Options) trainOptions(images bool) (nn.TrainOptions, error) {
	to := nn.DefaultTrainOptions()
	to.LogEvery = DefaultLogEvery
	for _, f := range []struct {
		name string
		set  bool
		take func()
	}{
		{"epochs", o.Epochs != 0, func() { to.Epochs = o.Epochs }},
		{"batch", o.Batch != 0, func() { to.Batch = o.Batch }},
		{"lr", o.LR != 0, func() { to.Adam.LR = o.LR }},
		{"beta1", o.Beta1 != 0, func() { to.Adam.Beta1 = o.Beta1 }},
		{"beta2", o.Beta2 != 0, func() { to.Adam.Beta2 = o.Beta2 }},
		{"adam-eps", o.AdamEps != 0, func() { to.Adam.Eps = o.AdamEps }},
		{"weight-decay", o.WeightDecay != 0, func() { to.Adam.WeightDecay = o.WeightDecay }},
		{"seed", o.Seed != 0, func() { to.Seed = o.Seed }},
		{"kl-warmup", o.KLWarmup != 0, func() { to.KLWarmup = o.KLWarmup }},
		{"log-every", o.LogEvery != 0, func() { to.LogEvery = o.LogEvery }},
		{"steps-per-submit", o.StepsPerSubmit != 0, func() { to.StepsPerSubmit = o.StepsPerSubmit }},
		{"stream-chunk", o.StreamChunk != 0, func() { to.Stream.Chunk = o.StreamChunk }},
		{"stream-window", o.StreamWindow != 0, func() { to.Stream.Window = o.StreamWindow }},
	} {
		if o.set(f.name, f.set) {
			f.take()
		}
	}
	n, err := noise.Parse(o.Noise)
	if err != nil {
		return to, &OptionError{err}
	}
	to.Noise = n.ForPixels(images)
	if o.set("patience", o.Patience != 0) && o.Patience < 1 {
		return to, optionErr("patience %d: want at least 1 epoch (leave --patience out to train every epoch)", o.Patience)
	}
	return to, asOption(o.Selection.apply(&to))
}

// check validates the options that need no data.
func (o *Options) check(to nn.TrainOptions) error {
	if err := to.Check(); err != nil {
		return &OptionError{err}
	}
	if to.Stream.Chunk < 0 || to.Stream.Window < 0 {
		return optionErr("stream-chunk %d, stream-window %d: want positive numbers of rows and chunks (0: the defaults)", to.Stream.Chunk, to.Stream.Window)
	}
	return asOption(outlier.CheckContamination(o.contamination()))
}

// contamination is Contamination or its default.
func (o *Options) contamination() float64 {
	if o.Contamination == 0 {
		return DefaultContamination
	}
	return o.Contamination
}

// config builds the model configuration for the training rows d.
func (o *Options) config(d *data.Dataset) (nn.Config, error) {
	images := o.Images || d.Bytes != nil
	c, err := nn.DefaultConfig(strings.ToLower(orDefault(o.Model, nn.KindAE)), d.Cols, images)
	if err != nil {
		return c, &OptionError{err}
	}
	if o.set("beta", o.Beta != 0) {
		c.Beta = o.Beta
	}
	if o.set("init", o.Init != "") {
		c.Init = o.Init
	}
	if o.Layers != nil {
		c.Layers = append([]int{d.Cols}, o.Layers...)
		if o.InputWidth != 0 {
			c.Layers[0] = o.InputWidth
		}
	}
	if err := o.activations(&c); err != nil {
		return c, err
	}
	loss := strings.ToLower(orDefault(o.Loss, "auto"))
	c.Loss = loss
	if loss == "auto" {
		c.Loss = nn.DefaultLoss(c.Kind, c.OutputAct)
	}
	if loss == nn.LossTable || loss == "auto" && needsTableLoss(d) {
		c.Loss, c.TableGroups = nn.LossTable, tableGroups(d)
	}
	if err := c.Validate(); err != nil {
		return c, &OptionError{err}
	}
	if c.Input() != d.Cols {
		return c, optionErr("layers %v: the first width must be the data's %d columns", c.Layers, d.Cols)
	}
	return c, nil
}

// activations sets the activations the options name.
func (o *Options) activations(c *nn.Config) error {
	for _, a := range []struct {
		dst  *nn.Activation
		flag string
		val  string
	}{{&c.HiddenAct, "hidden-act", o.HiddenAct}, {&c.LatentAct, "latent-act", o.LatentAct}, {&c.OutputAct, "output-act", o.OutputAct}} {
		if !o.set(a.flag, a.val != "") || a.val == "auto" && a.flag == "output-act" {
			continue // the default config's
		}
		var err error
		if *a.dst, err = nn.ParseActivation(a.val); err != nil {
			return optionErr("%s: %v", a.flag, err)
		}
	}
	return nil
}

// needsTableLoss reports whether a model of d needs nn.LossTable rather
// than MSE: d is a table with categorical columns, or with missing values
// to leave out of the loss (a mask).
func needsTableLoss(d *data.Dataset) bool {
	return d.Schema != nil && (d.Schema.HasCategorical() || d.Mask != nil)
}

// tableGroups are the nn.Config.TableGroups of a table-loss model of d: its
// schema's group sizes, or every column numeric without a schema.
func tableGroups(d *data.Dataset) []int {
	if d.Schema != nil {
		return d.Schema.GroupSizes()
	}
	return make([]int, d.Cols)
}

// normalizer fits the scaling Normalize asks for on the training rows.
func (o *Options) normalizer(train *data.Dataset) (data.Normalizer, error) {
	kind, err := o.normalizerKind(train)
	if err != nil {
		return data.Normalizer{}, err
	}
	n, err := data.FitNormalizer(kind, train)
	return n, asOption(err)
}

// normalizerKind is the normaliser Normalize asks for on the training
// rows train (auto: zscore for a table, none for images).
func (o *Options) normalizerKind(train *data.Dataset) (string, error) {
	kind := strings.ToLower(orDefault(o.Normalize, "auto"))
	if kind != "auto" && kind != "zscore" && kind != "minmax" && kind != "none" {
		return "", optionErr("normalize %q: want auto, zscore, minmax or none", o.Normalize)
	}
	images := train.Bytes != nil || o.Images
	if kind == "auto" {
		kind = "zscore"
		if images {
			kind = "none"
		}
	}
	if kind != "none" && train.Bytes != nil {
		return "", optionErr("normalize %s: image data is scaled to [0,1] already; use auto or none", kind)
	}
	return kind, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
