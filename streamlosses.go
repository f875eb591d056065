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

// keptRows streams every row of the table spec (read by open) through
// the model for want and keeps of each row only the cols values keep
// appends for a chunk's results (row by row), and its label: a data set
// named spec of those values, labelled as ReadCSV labels the whole table
// (data.ChunkLabels). It holds 4·cols bytes a row (and 12 more with
// labels), and one chunk of the table at a time; data.Split, Subset,
// Limit and ThresholdRows take its rows as they take a table's.
func (m *Model) keptRows(spec string, open data.OpenOptions, warn io.Writer, want nn.Want, cols int, keep func(dst []float32, res *nn.Results) []float32) (*data.Dataset, error) {
	d := &data.Dataset{Name: spec, Cols: cols}
	var r data.TableReader
	var codes []uint32
	var dict []string
	header := func(tr data.TableReader) error {
		r, d.Floats = tr, make([]float32, 0, tr.SizeHint()*cols)
		return nil
	}
	err := m.eachChunk(spec, StreamOptions{Open: &open, Warn: warn}, want, header, func(k *chunkRun) error {
		d.Floats = keep(d.Floats, k.res)
		codes = append(codes, k.c.Labels...)
		d.Rows += k.c.Rows
		_, dict = r.Dicts()
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Labels, d.Classes = data.ChunkLabels(r.Header(), dict, codes)
	return d, nil
}

// lossRows are the rows of spec kept by their losses (keptRows): Recon
// and, for a VAE, KL, a float32 each.
func (m *Model) lossRows(spec string, open data.OpenOptions, warn io.Writer) (*data.Dataset, error) {
	vae := m.Net.Config.Kind == nn.KindVAE
	cols := 1
	if vae {
		cols = 2
	}
	return m.keptRows(spec, open, warn, nn.Want{Losses: true}, cols, func(dst []float32, res *nn.Results) []float32 {
		for i, rec := range res.Recon {
			dst = append(dst, rec)
			if vae {
				dst = append(dst, res.KL[i])
			}
		}
		return dst
	})
}

// codeRows are the rows of spec kept by their latent codes (keptRows): a
// VAE's mean, Latent values a row.
func (m *Model) codeRows(spec string, open data.OpenOptions, warn io.Writer) (*data.Dataset, error) {
	return m.keptRows(spec, open, warn, nn.Want{Latent: true}, m.Net.Config.Latent(), func(dst []float32, res *nn.Results) []float32 {
		return append(dst, res.Latent...)
	})
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

// file is the file that holds the rows of part s of p, and the name
// ReadSplit gives them: Spec, or for the test rows its TestFile where it
// has one.
func (p Part) file(s Split) (path, name string) {
	switch {
	case s == SplitTrain:
		return p.Spec, p.Spec + " train"
	case p.Open.TestFile == "":
		return p.Spec, p.Spec + " test"
	}
	return p.Open.TestFile, p.Open.TestFile + " test"
}

// order returns the rows of part s of p among the n rows of its file
// (file), in ReadSplit's order: those data.Open splits off (data.SplitIndex
// by TestFrac and Seed) or, from a file of their own, all of them; then
// the first Limit training or TestLimit test rows (0: all).
func (p Part) order(s Split, n int) ([]int, error) {
	var idx []int
	if p.Open.TestFile == "" {
		f := p.Open.SplitFrac()
		if !(f > 0 && f < 1) {
			return nil, fmt.Errorf("test fraction %g: want a number in (0, 1)", f)
		}
		train, test := data.SplitIndex(n, f, p.Open.Seed)
		if idx = test; s == SplitTrain {
			idx = train
		}
	} else {
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
	}
	limit := p.TestLimit
	if s == SplitTrain {
		limit = p.Limit
	}
	if limit > 0 && limit < len(idx) {
		idx = idx[:limit]
	}
	return idx, nil
}

// rows returns the rows of p and its training rows as ReadSplit reads
// them and Split.Of picks, each kept (keptRows) by kept, e.g. lossRows:
// one pass over Spec gives both where Open splits it; a TestFile is a
// pass of its own, and the training rows are then read only when train
// is called.
func (p Part) rows(kept func(spec string, open data.OpenOptions, warn io.Writer) (*data.Dataset, error), warn io.Writer) (rows *data.Dataset, train func() (*data.Dataset, error), err error) {
	part := func(s Split, all *data.Dataset) (*data.Dataset, error) {
		idx, err := p.order(s, all.Rows)
		if err != nil {
			return nil, err
		}
		d := all.Subset(idx)
		_, d.Name = p.file(s)
		return d, nil
	}
	path, _ := p.file(p.Split)
	all, err := kept(path, p.Open, warn)
	if err != nil {
		return nil, nil, err
	}
	if rows, err = part(p.Split, all); err != nil {
		return nil, nil, err
	}
	train = func() (*data.Dataset, error) {
		if tp, _ := p.file(SplitTrain); tp != path {
			if all, err = kept(tp, p.Open, warn); err != nil {
				return nil, err
			}
		}
		return part(SplitTrain, all)
	}
	return rows, train, nil
}
