package wgml

import (
	"fmt"
	"io"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Card is what the model's checkpoint says beyond its weights: how its
// training data was read and normalised, its thresholds, its normal class.
func (m *Model) Card() card.Card { return m.card }

// DataOptions are how to read data for the model: as its training data
// was read (a table with the training schema, images at the training
// size). A spec other than the training data's keeps the table and image
// options but not the labels file or test file.
func (m *Model) DataOptions(spec string) data.OpenOptions {
	read := m.card.Data
	open := read.OpenOptions()
	if spec != read.Spec {
		open.TestFile, open.Labels = "", ""
	}
	if open.Image.Width == 0 && read.Width > 0 { // new images take the training size
		open.Image.Width, open.Image.Height = read.Width, read.Height
	}
	return open
}

// ReadOptions are how to read spec for the model as DataOptions has it,
// with each option of given that a later command may change taking its
// place where given(name) says it was given, by the wgml flag's name:
// label-col, header, sep, missing, na-values, columns, drop, image-size,
// skip-bad, labels, test and test-frac. The others (the schema's
// categories, the normaliser) stay the training data's.
func (m *Model) ReadOptions(spec string, given data.OpenOptions, set func(name string) bool) data.OpenOptions {
	r, g := m.DataOptions(spec), given
	for name, take := range map[string]func(){
		"label-col": func() { r.CSV.LabelCol = g.CSV.LabelCol }, "header": func() { r.CSV.Header = g.CSV.Header },
		"sep": func() { r.CSV.Sep = g.CSV.Sep }, "missing": func() { r.CSV.Missing = g.CSV.Missing },
		"na-values": func() { r.CSV.NAValues = g.CSV.NAValues }, "columns": func() { r.CSV.Columns = g.CSV.Columns },
		"drop": func() { r.CSV.Drop = g.CSV.Drop }, "image-size": func() { r.Image.Width, r.Image.Height = g.Image.Width, g.Image.Height },
		"skip-bad": func() { r.Image.SkipBad = g.Image.SkipBad }, "labels": func() { r.Labels = g.Labels },
		"test": func() { r.TestFile = g.TestFile }, "test-frac": func() { r.TestFrac = g.TestFrac },
	} {
		if set(name) {
			take()
		}
	}
	return r
}

// ReadSplit reads the training and test rows of a data spec as data.Open
// does, writing the readers' warnings to warn (nil: dropped), and keeps
// the first limit and testLimit rows (0: all).
func ReadSplit(spec string, open data.OpenOptions, limit, testLimit int, warn io.Writer) (train, test *data.Dataset, err error) {
	return readSplit(spec, open, limit, testLimit, warn)
}

// Split names a part of a data set: SplitTest or SplitTrain.
type Split string

// The parts of a data set.
const (
	SplitTest  Split = "test"
	SplitTrain Split = "train"
)

// UnmarshalText reads "test" or "train".
func (s *Split) UnmarshalText(b []byte) error {
	if v := Split(b); v == SplitTest || v == SplitTrain {
		*s = v
		return nil
	}
	return optionErr("split %q: want test or train", b)
}

// MarshalText writes s as UnmarshalText reads it.
func (s Split) MarshalText() ([]byte, error) { return []byte(s), nil }

// Of is the part s of a data set read as train and test: its training
// rows for SplitTrain or where it has no test rows, else its test rows.
func (s Split) Of(train, test *data.Dataset) *data.Dataset {
	if s == SplitTrain || test == nil {
		return train
	}
	return test
}

// TestRows reads the rows wgml score scores by default: the test split of
// spec ("": the training data) read as training read it (DataOptions),
// or its training rows where it has no test split.
func (m *Model) TestRows(spec string) (*data.Dataset, error) {
	if spec == "" {
		spec = m.card.Data.Spec
	}
	train, test, err := readSplit(spec, m.DataOptions(spec), 0, 0, nil)
	return SplitTest.Of(train, test), err
}

// Source turns rows of d into the model's units: normalised as the
// training rows were, pixels kept as bytes (the backend scales them).
func (m *Model) Source(d *data.Dataset) (nn.Source, error) { return m.source(d) }

// ThresholdRows are the rows of the training data d that training fitted
// the thresholds on: the normal class only (one-class training), without
// the validation rows, or only those, as the card says.
func (m *Model) ThresholdRows(d *data.Dataset) (*data.Dataset, error) {
	var err error
	if normal := m.card.NormalClass; normal != "" {
		if d, err = keepClass(d, normal); err != nil {
			return nil, &OptionError{fmt.Errorf("the model's normal class: %w", err)}
		}
	}
	if m.trained == nil || m.trained.ValFrac == 0 {
		return d, nil
	}
	train, val := data.Split(d, m.trained.ValFrac, m.trained.Seed)
	if m.card.Thresholds.On == card.OnVal {
		return val, nil
	}
	return train, nil
}

// ScoreSource returns the kind scores (nn.ScoreRecon or nn.ScoreELBO) of
// the rows of src, scored batch rows at a time.
func (m *Model) ScoreSource(src nn.Source, kind string, batch int) ([]float64, error) {
	if err := nn.CheckScore(kind, m.Net.Config); err != nil {
		return nil, &OptionError{err}
	}
	res, err := m.Net.Run(m.Backend, src, batch, nn.Want{Losses: true})
	if err != nil {
		return nil, err
	}
	return nn.RowScores(res, kind), nil
}

// TrainingScores are the kind scores of the rows of the training data d
// that training fitted its thresholds on (ThresholdRows), batch rows at a
// time.
func (m *Model) TrainingScores(d *data.Dataset, kind string, batch int) ([]float64, error) {
	d, err := m.ThresholdRows(d)
	if err != nil {
		return nil, err
	}
	src, err := m.source(d)
	if err != nil {
		return nil, err
	}
	return m.ScoreSource(src, kind, batch)
}
