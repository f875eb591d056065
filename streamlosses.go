package wgml

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Part names the rows of a data file that wgml score, encode and denoise
// take: the Split of Spec read by Open as data.Open splits it (its TestFile
// as the test rows, else the rows split off by TestFrac and Seed), the
// first Limit training rows and TestLimit test rows (0: all), as ReadSplit
// reads them.
type Part struct {
	Spec             string
	Open             data.OpenOptions
	Split            Split
	Limit, TestLimit int
}

// streamsPart reports whether the rows of p can be read as a stream: Spec
// is a CSV or Parquet table and the model holds a table's schema (only a
// table FitFile trained on reads chunk by chunk by the training schema).
func streamsPart(p Part) bool {
	switch strings.ToLower(filepath.Ext(p.Spec)) {
	case ".csv", ".parquet", ".pq":
		return p.Open.CSV.Schema != nil
	}
	return false
}

// lossRows streams every row of the table spec (read by open) through the
// model and keeps of each row only its losses — Recon and, for a VAE, KL:
// a float32 each — and its label: a data set named spec whose Cols (1 or
// 2) values per row are those losses, not the row, labelled as ReadCSV
// labels the whole table (data.ChunkLabels). It holds 8 to 16 bytes a row
// (a label code and an int label with labels), and a chunk of rows at a
// time; data.Split, Subset, Limit and ThresholdRows take its rows as they
// take a table's.
func (m *Model) lossRows(spec string, open data.OpenOptions, warn io.Writer) (*data.Dataset, error) {
	d := &data.Dataset{Name: spec, Cols: 1}
	vae := m.Net.Config.Kind == nn.KindVAE
	if vae {
		d.Cols = 2
	}
	var r data.TableReader
	var codes []uint32
	var dict []string
	header := func(tr data.TableReader) error {
		r, d.Floats = tr, make([]float32, 0, tr.SizeHint()*d.Cols)
		return nil
	}
	err := m.eachChunk(spec, StreamOptions{Open: &open, Warn: warn}, nn.Want{Losses: true}, header, func(_ int, c *data.Chunk, _ *data.Dataset, res *nn.Results) error {
		for i, rec := range res.Recon {
			d.Floats = append(d.Floats, rec)
			if vae {
				d.Floats = append(d.Floats, res.KL[i])
			}
		}
		codes = append(codes, c.Labels...)
		d.Rows += len(res.Recon)
		_, dict = r.Dicts()
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Labels, d.Classes = data.ChunkLabels(r.Header(), dict, codes)
	return d, nil
}

// lossScores are the kind scores (nn.RowScores) of a loss set (lossRows).
func lossScores(d *data.Dataset, kind string) []float64 {
	res := &nn.Results{Recon: make([]float32, d.Rows)}
	if d.Cols == 2 {
		res.KL = make([]float32, d.Rows)
	}
	for i := range d.Rows {
		res.Recon[i] = d.Floats[i*d.Cols]
		if d.Cols == 2 {
			res.KL[i] = d.Floats[i*d.Cols+1]
		}
	}
	return nn.RowScores(res, kind)
}

// partLosses returns the loss sets (lossRows) of the rows of p and of its
// training rows, as ReadSplit splits them and Split.Of picks: one pass
// over Spec gives both where Open splits it; a TestFile is a pass of its
// own, and the training rows are then read only when train is called.
func (m *Model) partLosses(p Part, warn io.Writer) (rows *data.Dataset, train func() (*data.Dataset, error), err error) {
	if p.Open.TestFile == "" {
		if f := p.Open.SplitFrac(); !(f > 0 && f < 1) {
			return nil, nil, fmt.Errorf("test fraction %g: want a number in (0, 1)", f)
		}
		all, err := m.lossRows(p.Spec, p.Open, warn)
		if err != nil {
			return nil, nil, err
		}
		tr, test := data.SplitInPlace(all, p.Open.SplitFrac(), p.Open.Seed)
		tr, test = limit(tr, p.Limit), limit(test, p.TestLimit)
		return p.Split.Of(tr, test), func() (*data.Dataset, error) { return tr, nil }, nil
	}
	whole := func(spec, name string, n int) (*data.Dataset, error) {
		d, err := m.lossRows(spec, p.Open, warn)
		if err != nil {
			return nil, err
		}
		d.Name = spec + name
		return limit(d, n), nil
	}
	train = func() (*data.Dataset, error) { return whole(p.Spec, " train", p.Limit) }
	if p.Split == SplitTrain {
		rows, err = train()
		return rows, func() (*data.Dataset, error) { return rows, nil }, err
	}
	rows, err = whole(p.Open.TestFile, " test", p.TestLimit)
	return rows, train, err
}

// limit is d's first n rows (n > 0), else d, as ReadSplit limits a set.
func limit(d *data.Dataset, n int) *data.Dataset {
	if n > 0 {
		return d.Limit(n)
	}
	return d
}
