package wgml

import (
	"fmt"
	"io"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
	"github.com/wgml/wgml/plot"
)

// ScoreOptions are the choices of a scoring pass (wgml score's).
type ScoreOptions struct {
	// Choice is how the threshold is chosen; its Kind is the score kind.
	Choice ThresholdChoice
	// OutlierLabels are the labels of the positive class (Positives).
	OutlierLabels []string
	// PerFeature and Heatmap are the explanations asked for
	// (Model.Explain): per-feature errors, and a heatmap of images.
	PerFeature, Heatmap bool
	// Batch is the rows per backend pass (0: the model's Batch).
	Batch int
	// Name is the model's name in messages, e.g. its checkpoint's path.
	Name string
	// Train reads the model's training data, for a threshold or a
	// probability scaling fitted on its rows (Model.TrainingScores); it
	// is called at most once, and only then. Nil: the training data as
	// training read it.
	Train func() (*data.Dataset, error)
	// RunDir is the folder of the model's checkpoint: a model trained
	// with Options.Stream reads its training rows from disk again there
	// (Model.StreamTrainingScores) instead of calling Train.
	RunDir string
}

// Scoring is a scoring pass over the rows of a data set: each row's
// score, the threshold chosen (and how), the probability scaling, the
// outlier labels where the rows have them, and what explains the scores.
type Scoring struct {
	Rows      *data.Dataset // as read, unnormalised; from a stream (ScoreData) only its Name, Labels and Classes
	Kind      string        // the score kind
	Scores    []float64
	Positive  []bool // row i is an outlier; nil without labels
	Positives string // which rows are positive, in words
	Threshold float64
	How       string // how the threshold was found
	Scaler    outlier.Scaler
	Explain   *Explanation
	// FittedHere says the threshold was fitted on these very rows.
	FittedHere bool
	m          *Model
	src        nn.Source
	res        *nn.Results
}

// ScoreRows scores the rows of d by opt: checks the score kind and the
// explanation against the model, finds the outlier labels, scores the
// rows, then chooses the threshold (ChooseThreshold) and the probability
// scaling (ScalerFor).
func (m *Model) ScoreRows(d *data.Dataset, opt ScoreOptions) (*Scoring, error) {
	opt = m.scoreDefaults(opt)
	x, err := m.explainFor(opt)
	if err != nil {
		return nil, err
	}
	s, err := m.newScoring(d, opt, x)
	if err != nil {
		return nil, err
	}
	if s.src, err = m.source(d); err != nil {
		return nil, err
	}
	if s.res, err = m.Net.Run(m.Backend, s.src, opt.Batch, x.Want()); err != nil {
		return nil, err
	}
	s.Scores = nn.RowScores(s.res, opt.Choice.Kind)
	return s, s.choose(opt, m.trainingScores(opt, func(d *data.Dataset) ([]float64, error) {
		return m.TrainingScores(d, opt.Choice.Kind, opt.Batch)
	}))
}

// scoreDefaults fills in opt's Batch (the model's) and Train (the
// training data as training read it).
func (m *Model) scoreDefaults(opt ScoreOptions) ScoreOptions {
	if opt.Batch <= 0 {
		opt.Batch = m.Batch
	}
	if opt.Train == nil {
		opt.Train = m.trainingData
	}
	return opt
}

// explainFor checks opt's score kind and explanation against the model
// and returns the explanation.
func (m *Model) explainFor(opt ScoreOptions) (*Explanation, error) {
	if err := nn.CheckScore(opt.Choice.Kind, m.Net.Config); err != nil {
		return nil, &OptionError{err}
	}
	return m.Explain(Explanation{PerFeature: opt.PerFeature, Heatmap: opt.Heatmap}, opt.Name)
}

// newScoring starts the pass over the rows of d: their outlier labels
// (Positives), which a threshold method fitted on labels needs.
func (m *Model) newScoring(d *data.Dataset, opt ScoreOptions, x *Explanation) (*Scoring, error) {
	s := &Scoring{Rows: d, Kind: opt.Choice.Kind, Explain: x, m: m}
	var err error
	if s.Positive, s.Positives, err = Positives(d, opt.OutlierLabels, m.card.NormalClass); err != nil {
		return nil, err
	}
	if meth := opt.Choice.Method; meth.NeedsLabels() && s.Positive == nil {
		return nil, optionErr("threshold-method %s: needs labelled rows: %s has no outlier labels (give --outlier-label, or score a model trained with --normal-class)", meth, d.Name)
	}
	return s, nil
}

// choose sets the threshold (ChooseThreshold) and the probability scaling
// (ScalerFor) of the scored rows, train giving the training rows' scores.
func (s *Scoring) choose(opt ScoreOptions, train func() ([]float64, error)) (err error) {
	if s.Threshold, s.How, err = s.m.ChooseThreshold(opt.Choice, s.Scores, s.Positive, train); err != nil {
		return err
	}
	if s.Scaler, err = s.m.ScalerFor(s.Kind, train); err != nil {
		return err
	}
	meth := opt.Choice.Method
	s.FittedHere = meth.NeedsLabels() && !opt.Choice.ByValue && !opt.Choice.Refit
	return nil
}

// trainingScores returns the kind scores of the rows training fitted its
// thresholds on, read (opt.Train) and scored (score, given the training
// data) on the first call only.
func (m *Model) trainingScores(opt ScoreOptions, score func(*data.Dataset) ([]float64, error)) func() ([]float64, error) {
	var scores []float64
	var err error
	done := false
	return func() ([]float64, error) {
		if done {
			return scores, err
		}
		done = true
		if m.card.Data.Stream && opt.RunDir != "" {
			scores, err = m.StreamTrainingScores(opt.RunDir, opt.Choice.Kind, opt.Batch)
			return scores, err
		}
		var d *data.Dataset
		if d, err = opt.Train(); err != nil {
			return nil, err
		}
		scores, err = score(d)
		return scores, err
	}
}

// trainingData reads the model's training rows as training read them.
func (m *Model) trainingData() (*data.Dataset, error) {
	spec := m.card.Data.Spec
	train, _, err := readSplit(spec, m.DataOptions(spec), 0, 0, nil)
	return train, err
}

// WriteCSV writes the scores CSV to path (atomically): ScoreHeader and a
// ScoreRow per row, then the per-feature fields (Explanation.Fields)
// where asked for.
func (s *Scoring) WriteCSV(path string) error {
	flags, _ := Outliers(s.Scores, s.Threshold)
	labels, classes, x := s.Rows.Labels, s.Rows.Classes, s.Explain
	var rowErr error
	err := WriteCSV(path, ScoreHeader(labels != nil, x.Columns()...), len(s.Scores), func(i int, rec []string) []string {
		row := ScoreRow{Index: i, Score: s.Scores[i], Outlier: flags[i], HasLabel: labels != nil, Probability: s.Scaler.Probability(s.Scores[i])}
		if row.HasLabel {
			row.Label = LabelName(labels[i], classes)
		}
		rec = row.Append(rec)
		if x.PerFeature {
			fields, err := x.Fields(x.RowErrors(s.src, s.res, i))
			if err != nil && rowErr == nil {
				rowErr = fmt.Errorf("row %d: %w", i, err)
			}
			rec = append(rec, fields...)
		}
		return rec
	})
	if err != nil {
		return err
	}
	return rowErr
}

// Report writes the pass's summary to out: rows and score, the threshold
// and how it was found, the outliers above it, and the detection quality
// where the rows have labels (WriteQuality).
func (s *Scoring) Report(out io.Writer) {
	n := len(s.Scores)
	_, nOut := Outliers(s.Scores, s.Threshold)
	c := s.m.Net.Config
	fmt.Fprintf(out, "scored %d rows of %s: %s score of %s %v\n", n, s.Rows.Name, s.Kind, c.Kind, c.Layers)
	fmt.Fprintf(out, "threshold %.6g (%s)\n", s.Threshold, s.How)
	fmt.Fprintf(out, "outliers: %d of %d rows (%.1f%%) score above the threshold\n", nOut, n, 100*float64(nOut)/float64(max(n, 1)))
	WriteQuality(out, s.Scores, s.Positive, s.Positives, s.Threshold, s.FittedHere)
}

// WriteHeatmap writes a PNG of the n highest-scoring images, each as its
// input, reconstruction and per-pixel error map, scale pixels per image
// pixel (HeatmapRows, plot.ErrorHeatmap).
func (s *Scoring) WriteHeatmap(path string, n, scale int) error {
	d := s.m.card.Data
	return plot.ErrorHeatmap(path, HeatmapRows(s.src, s.res, s.Scores, n), d.Width, d.Height, scale)
}
