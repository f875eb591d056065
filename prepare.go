package wgml

import (
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Training is a training made ready by Prepare (or Fit): options checked,
// data read, split and normalised, the model configured; Run trains it.
type Training struct {
	// Opt are the options as given; Train the training options they
	// resolve to (a resumed run's recorded ones where not given).
	Opt   Options
	Train nn.TrainOptions
	// Config is the model's configuration.
	Config nn.Config
	// Rows, Test and Val are the rows trained on, the test rows (nil
	// without) and the validation rows held out of the training rows
	// (nil without ValFrac). They are the Training's own (the rows
	// Prepare read, or a copy of the caller's) and hold the normalised
	// values the trainer reads: Run's backend may keep them as its data
	// sets (nn.Given), so nothing writes them once prepared. A streamed
	// run's Rows holds their count, schema and names but no values (see
	// Streamed).
	Rows, Test, Val *data.Dataset
	// Card is what the checkpoint will say about the data, the
	// thresholds (once fitted) and the class trained on.
	Card card.Card
	// Job is how the data was read and where the run is written (nil for
	// Fit's rows).
	Job *Job
	// Resumed is the checkpoint a resumed run continues (nil: a new run).
	Resumed *nn.Checkpoint

	trainer              *nn.Trainer
	own                  nn.Ownership // of the rows prepare is given: Lent ones are copied first
	norm                 data.Normalizer
	trainSrc             nn.Source
	testSrc, valSrc      *nn.Source
	best                 *nn.Checkpoint // resuming under early stopping: model.safetensors
	bestErr              error          // why it did not load
	scoreKind            string
	thresholdsFitted     bool
	checkpoint, lastPath string
	stream               *data.StreamSet // the training set streamed from disk (streamprep.go), nil when resident
	// Streamed is the log line of a streamed training set: how and why
	// it streams; "" when it is held in memory.
	Streamed string
}

// prepare is the one prepare path of Fit, FitFile and Prepare: the rows of
// train (test: nil or the test rows) become a Training in order: the
// class filter, the checkpoint's options when resuming, the validation
// split, the model configuration, the normaliser, the device sources and
// the card. ck is the checkpoint resumed (nil: a new run) with its card c.
// The Training splits and normalises rows it owns in place: train and
// test where r.own is nn.Given (the caller has no further use for them),
// else copies of them (the class filter's is one).
func (o Options) prepare(r *Training, train, test *data.Dataset, ck *nn.Checkpoint, c card.Card) (*Training, error) {
	r.Opt, r.Rows, r.Test, r.Resumed, r.scoreKind = o, train, test, ck, orDefault(o.Score, nn.ScoreRecon)
	var err error
	switch {
	case o.NormalClass != "":
		if r.Rows, err = keepClass(r.Rows, o.NormalClass); err != nil {
			return nil, err
		}
	case r.own == nn.Lent:
		r.Rows = r.Rows.Clone()
	}
	if r.own == nn.Lent && r.Test != nil {
		r.Test = r.Test.Clone()
	}
	images := o.Images || r.Rows.Bytes != nil
	if r.Train, err = o.trainOptions(images); err != nil {
		return nil, err
	}
	if ck != nil {
		if err := r.resume(c); err != nil {
			return nil, err
		}
	}
	r.Train.Noise = r.Train.Noise.ForPixels(images) // a recorded noise too
	if err := r.Opt.check(r.Train); err != nil {
		return nil, err
	}
	if err := r.splitValidation(); err != nil { // before the normaliser is fitted on the rows trained on
		return nil, err
	}
	if ck == nil {
		if r.Config, err = r.Opt.config(r.Rows); err != nil {
			return nil, err
		}
		if r.norm, err = r.fitNormalizer(); err != nil {
			return nil, err
		}
	}
	if err := nn.CheckScore(r.scoreKind, r.Config); err != nil {
		return nil, &OptionError{err}
	}
	if err := r.sources(); err != nil {
		return nil, err
	}
	// Every checkpoint records ThresholdOn, so that a resume keeps it.
	r.Card = card.Card{Data: card.Data{Cols: train.Cols}, Images: o.Images, NormalClass: o.NormalClass, Thresholds: card.Thresholds{On: r.Opt.ThresholdOn}}
	return r, nil
}

// splitValidation holds out ValFrac of the training rows (data.Split,
// seeded by Seed: a resumed run gets the same rows) as the validation set.
func (r *Training) splitValidation() error {
	o := r.Train
	if r.Opt.ThresholdOn == card.OnVal && o.ValFrac == 0 {
		return optionErr("threshold-on val: there are no validation rows; give --val-frac too")
	}
	if o.ValFrac == 0 {
		return nil
	}
	if r.stream != nil {
		return r.splitStreamValidation()
	}
	rows, name := r.Rows.Rows, r.Rows.Name
	train, val := data.SplitInPlace(r.Rows, o.ValFrac, o.Seed) // the rows are the Training's
	if val.Rows == 0 || train.Rows == 0 {
		return optionErr("val-frac %v: of %d training rows leaves %d for training and %d for validation; want some of each", o.ValFrac, rows, train.Rows, val.Rows)
	}
	train.Name, val.Name = name, name+" validation"
	r.Rows, r.Val = train, val
	return nil
}

// sources normalises the rows in place into what the trainer uploads,
// given to its backend (see Rows), and checks the batch size against the
// training rows: a batch set larger than them is an error, the default
// one is cut down to them.
func (r *Training) sources() error {
	var err error
	if r.trainSrc, err = r.trainSource(); err != nil {
		return err
	}
	if r.Train.Batch > r.trainSrc.Rows {
		if r.Opt.set("batch", r.Opt.Batch != 0) || r.Resumed != nil {
			return optionErr("batch %d: larger than the training set (%d rows)", r.Train.Batch, r.trainSrc.Rows)
		}
		r.Train.Batch = r.trainSrc.Rows
	}
	if r.testSrc, err = optionalSource(r.Test, r.norm); err != nil {
		return err
	}
	r.valSrc, err = optionalSource(r.Val, r.norm)
	return err
}

// ownedSource is source for rows the caller owns and has no further use
// for in data units: floats are normalised where they lie (no copy), and
// the source's slices are nn.Given to the backend (a host backend keeps
// them instead of a copy). d must not be written afterwards.
func ownedSource(d *data.Dataset, norm data.Normalizer) (nn.Source, error) {
	if d.Floats != nil {
		if err := norm.ApplyInPlace(d); err != nil {
			return nn.Source{}, err
		}
	}
	return nn.Source{Rows: d.Rows, Cols: d.Cols, Bytes: d.Bytes, Floats: d.Floats, Mask: d.Mask, Own: nn.Given}, nil
}

// source turns a data set into what a model reads, leaving d as it is:
// pixels stay u8 (the device scales them), floats are a normalised copy;
// a table's missing-value mask goes with it.
func source(d *data.Dataset, norm data.Normalizer) (nn.Source, error) {
	if d.Bytes != nil {
		return nn.Source{Rows: d.Rows, Cols: d.Cols, Bytes: d.Bytes}, nil
	}
	nd, err := norm.Apply(d)
	if err != nil {
		return nn.Source{}, err
	}
	return nn.Source{Rows: nd.Rows, Cols: nd.Cols, Floats: nd.Floats, Mask: nd.Mask}, nil
}

// optionalSource is ownedSource of d, nil for no rows.
func optionalSource(d *data.Dataset, norm data.Normalizer) (*nn.Source, error) {
	if d == nil {
		return nil, nil
	}
	s, err := ownedSource(d, norm)
	return &s, err
}
