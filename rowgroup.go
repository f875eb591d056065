package wgml

import (
	"fmt"

	"github.com/wgml/wgml/data"
)

// RowGroups counts the row groups of the Parquet table file path, opened
// as ScoreFile opens it (the model's columns and schema, so that a file
// the model cannot read fails here): the units InferRowGroup reads.
func (m *Model) RowGroups(path string) (int, error) {
	r, err := m.openParquet(path)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return r.RowGroups(), nil
}

// InferRowGroup reads row group g of the Parquet table file path as
// ScoreFile reads the whole file (the model's schema and missing-value
// policy, through data.EncodeChunk) and passes its rows once through the
// model (Infer, asking want): one worker's share of a file split by row
// group. first is the file row of the group's first row; the scores equal
// ScoreFile's for those rows bit for bit.
func (m *Model) InferRowGroup(path string, g int, want Outputs) (first int, d *data.Dataset, res *Inference, err error) {
	r, err := m.openParquet(path)
	if err != nil {
		return 0, nil, nil, err
	}
	defer r.Close()
	if err := r.SeekRowGroup(g); err != nil {
		return 0, nil, nil, err
	}
	first = r.Row()
	c, err := r.Next()
	if err != nil {
		return 0, nil, nil, err
	}
	if d, err = data.EncodeChunk(r, c, m.DataOptions(path).CSV); err != nil {
		return 0, nil, nil, err
	}
	res, err = m.Infer(d, want)
	return first, d, res, err
}

// openParquet opens the Parquet table file path with the model's read
// options (the training table's schema).
func (m *Model) openParquet(path string) (*data.ParquetReader, error) {
	opt := m.DataOptions(path).CSV
	if opt.Schema == nil {
		return nil, fmt.Errorf("%s: the model was not trained on a table by FitFile", path)
	}
	return data.OpenParquet(path, opt)
}
