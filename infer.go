package wgml

import (
	"errors"
	"fmt"
	"io"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Outputs selects what Infer returns beside the scores.
type Outputs struct {
	// FeatureErrors: each row's reconstruction error per feature, as
	// FeatureColumns names them (see Inference.FeatureErrors).
	FeatureErrors bool
	// Latent: each row's latent code (a VAE's mean), as Encode.
	Latent bool
	// Reconstruction: each row's reconstruction in data units, as Denoise.
	Reconstruction bool
}

// Inference is what one pass of Infer returns, one entry per row; the
// fields Outputs did not ask for are nil.
type Inference struct {
	// Scores are the rows' outlier scores, as Score.
	Scores []float64
	// FeatureErrors are each row's errors per FeatureColumns entry, as
	// wgml score --per-feature computes them: for a table with a schema,
	// data.Schema.Errors per original column (NaN for a missing value);
	// otherwise FeatureErrors' terms per model column.
	FeatureErrors [][]float64
	Latent        [][]float64
	// Reconstruction is in data units (pixels clipped to [0,1]); a
	// categorical group holds its logits.
	Reconstruction [][]float64
}

// Infer passes every row of d once through the model and returns the
// scores and what want asks for (feature errors only where FeatureColumns
// names them). d holds rows in data units of the model's
// input width (as Rows or ReadCSV give them); its Mask marks missing values
// for a model trained with the table loss. Score, Encode and Denoise answer
// the same for the same rows.
func (m *Model) Infer(d *data.Dataset, want Outputs) (*Inference, error) {
	if d.Cols != m.Net.Config.Input() {
		return nil, fmt.Errorf("%d columns, the model takes %d", d.Cols, m.Net.Config.Input())
	}
	if want.FeatureErrors && m.FeatureColumns() == nil {
		return nil, fmt.Errorf("per-feature errors: %w", ErrNoFeatureNames)
	}
	src, err := m.source(d)
	if err != nil {
		return nil, err
	}
	w := nn.Want{Losses: true}
	var x *Explanation
	if want.FeatureErrors {
		if x, err = m.Explain(Explanation{PerFeature: true}, "the model"); err != nil {
			return nil, err
		}
		w = x.Want()
	}
	w.Latent, w.Output = want.Latent, want.Reconstruction
	res, err := m.Net.Run(m.Backend, src, m.Batch, w)
	if err != nil {
		return nil, err
	}
	out := &Inference{Scores: nn.RowScores(res, m.ScoreKind)}
	if x != nil {
		out.FeatureErrors = make([][]float64, src.Rows)
		for i := range out.FeatureErrors {
			out.FeatureErrors[i] = x.RowErrors(src, res, i)
		}
	}
	if want.Latent {
		out.Latent = split(res.Latent, m.Net.Config.Latent())
	}
	if want.Reconstruction {
		out.Reconstruction = m.dataUnits(res.Output)
	}
	return out, nil
}

// ErrNoFeatureNames is Infer's answer to per-feature errors of a model
// whose input columns have no names.
var ErrNoFeatureNames = errors.New("the model's input columns are unknown (a model of images, or of rows without column names)")

// FeatureColumns names the entries of Inference.FeatureErrors (Explain's
// Names): a table's original columns where the model has its schema, else
// the model columns the training data named; nil where they are unknown
// (images, Fit's rows), and Infer refuses per-feature errors as wgml score
// --per-feature does.
func (m *Model) FeatureColumns() []string {
	x, err := m.Explain(Explanation{PerFeature: true}, "the model")
	if err != nil {
		return nil
	}
	return x.Names
}

// InputColumns names the model's input columns, the values of a row of
// Rows: a table's model columns where the model has its schema (a
// categorical column's one-hot group as "name=category",
// data.Schema.ModelColumns), else FeatureColumns; nil where they are
// unknown.
func (m *Model) InputColumns() []string {
	if m.Schema != nil && m.Schema.Width() == m.Net.Config.Input() {
		return m.Schema.ModelColumns()
	}
	return m.FeatureColumns()
}

// Rows returns rows as a data set for Infer: every row of the model's
// input width and every value finite.
func (m *Model) Rows(rows [][]float64) (*data.Dataset, error) {
	return table(rows, m.Net.Config.Input())
}

// ReadCSV reads a CSV file of new rows as the training table was read (its
// separator, header rule, missing-value policy and markers, and its
// schema: the columns by name and the categories), except that it has no
// label column; a model without a schema takes numbers only. It checks the
// model's width. The data set's Warnings
// report categories unseen in training (encoded as all zeros).
func (m *Model) ReadCSV(path string) (*data.Dataset, error) {
	return m.readRows(path, func(opt data.CSVOptions) (*data.Dataset, error) { return data.ReadCSV(path, opt) })
}

// ReadCSVFrom reads a CSV table of new rows from rd as ReadCSV reads a
// file (data.ReadCSVFrom); name stands for it in errors and warnings.
func (m *Model) ReadCSVFrom(name string, rd io.Reader) (*data.Dataset, error) {
	return m.readRows(name, func(opt data.CSVOptions) (*data.Dataset, error) { return data.ReadCSVFrom(name, rd, opt) })
}

// readRows reads the table name with read, given the training table's
// options without its label column, and checks the rows as ReadCSV says.
func (m *Model) readRows(name string, read func(data.CSVOptions) (*data.Dataset, error)) (*data.Dataset, error) {
	opt := m.card.Data.OpenOptions().CSV
	opt.LabelCol = ""
	d, err := read(opt)
	if err != nil {
		return nil, err
	}
	if opt.Schema == nil && d.Schema != nil { // a model of numbers: text is no category
		for _, c := range d.Schema.Columns {
			if c.IsCategorical() {
				return nil, fmt.Errorf("%s: column %q holds text (%q), the model takes numbers", name, c.Name, c.Categories[0])
			}
		}
	}
	if d.Cols != m.Net.Config.Input() {
		return nil, fmt.Errorf("%s: %d columns, the model takes %d", name, d.Cols, m.Net.Config.Input())
	}
	return d, nil
}
