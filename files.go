package wgml

import (
	"fmt"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// FitFile trains a model on every row of a data file or folder, read as
// open says (see data.OpenOptions; its test-set fields are not used):
//
//   - a .csv table with any delimiter, missing values (open.CSV.Missing
//     mean or mask) and categorical columns, one-hot encoded; a table with
//     categorical columns or masked values gets nn's table loss (squared
//     error, softmax cross-entropy per category group, missing values left
//     out and each row's score scaled to the full row width);
//   - a .npy array (float32, float64 or uint8, C order);
//   - a folder of PNG or JPEG images (class subfolders give labels):
//     pixels in [0,1], as Options.Images.
//
// The model records how the file was read (a table's columns and
// categories, the image size), so that ScoreFile and DenoiseFile read new
// files the same way, and Save stores it for the wgml command. FitFile
// returns the rows read, in data units: it trains on a normalised copy of
// them (Prepare, which keeps no rows for its caller, trains on the rows it
// read without the copy).
func FitFile(spec string, open data.OpenOptions, opt Options) (*Model, *data.Dataset, error) {
	d, err := data.ReadFile(spec, open)
	if err != nil {
		return nil, nil, err
	}
	opt.Images = opt.Images || d.Bytes != nil
	open.CSV.Schema = nil
	read := &card.Data{Spec: spec, Open: open, Schema: d.Schema, Cols: d.Cols, Width: d.Width, Height: d.Height,
		Channels: d.Channels, Columns: d.Columns, Classes: d.Classes}
	m, err := fit(d, nn.Lent, opt, read) // d goes back to the caller in data units
	return m, d, err
}

// ScoreFile returns the outlier score of every row of a file or folder read
// as the training data was (a table with the training columns and
// categories: a category unseen in training is an all-zero group, reported
// in the data set's Warnings), with the rows read.
func (m *Model) ScoreFile(spec string) ([]float64, *data.Dataset, error) {
	d, src, err := m.readFile(spec)
	if err != nil {
		return nil, nil, err
	}
	scores, err := m.scores(src)
	return scores, d, err
}

// DenoiseFile returns the reconstruction of every row of a table file in
// its original columns, as text: a numeric column's value in data units, a
// categorical column's most likely category (data.Schema.Decode).
func (m *Model) DenoiseFile(spec string) ([][]string, error) {
	if m.Schema == nil {
		return nil, fmt.Errorf("denoise %s: the model was not trained on a table by FitFile; use Denoise", spec)
	}
	_, src, err := m.readFile(spec)
	if err != nil {
		return nil, err
	}
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Output: true})
	if err != nil {
		return nil, err
	}
	in := m.Net.Config.Input()
	out := make([][]string, src.Rows)
	for i := range out {
		out[i] = m.decodeRow(res.Output[i*in : (i+1)*in])
	}
	return out, nil
}

// readFile reads spec as the training data was read and normalises it.
func (m *Model) readFile(spec string) (*data.Dataset, nn.Source, error) {
	open := m.DataOptions(spec)
	open.Labels = "" // the training file's
	d, err := data.ReadFile(spec, open)
	if err != nil {
		return nil, nn.Source{}, err
	}
	if d.Cols != m.Net.Config.Input() {
		return nil, nn.Source{}, fmt.Errorf("%s: %d columns, the model expects %d", spec, d.Cols, m.Net.Config.Input())
	}
	src, err := m.source(d)
	return d, src, err
}
