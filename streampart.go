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

// streamsPart reports whether the rows of p can be read as a stream
// (eachRows): Spec is a CSV or Parquet table and the model holds a
// table's schema (only a table FitFile trained on reads chunk by chunk by
// the training schema), or a .npy array of floats (streamsNPY).
func streamsPart(p Part) bool {
	switch strings.ToLower(filepath.Ext(p.Spec)) {
	case ".csv", ".parquet", ".pq":
		return p.Open.CSV.Schema != nil
	case ".npy":
		return streamsNPY(p)
	}
	return false
}

// eachRows streams every row of spec — a CSV or Parquet table read by
// open.CSV (eachChunk), or a .npy array of floats — through the model for
// want, calling f with each chunk in file order, and returns the rows'
// labels and classes as ReadSplit gives them whole: a table's by its
// label column (data.ChunkLabels), an array's from open.Labels; a
// table's warnings go to warn (eachChunk).
func (m *Model) eachRows(spec string, open data.OpenOptions, warn io.Writer, want nn.Want, f func(k *chunkRun) error) ([]int, []string, error) {
	if isNPY(spec) {
		return m.eachNPYRows(spec, open, want, f)
	}
	var r data.TableReader
	var codes []uint32
	var dict []string
	header := func(tr data.TableReader) error { r = tr; return nil }
	rows := 0
	err := m.eachChunk(spec, StreamOptions{Open: &open, Warn: warn}, want, header, func(k *chunkRun) error {
		codes = append(codes, k.c.Labels...)
		_, dict = r.Dicts()
		rows += k.c.Rows
		return f(k)
	})
	if err == nil && rows == 0 {
		err = fmt.Errorf("%s: no data rows", spec) // as ReadCSV says
	}
	if err != nil {
		return nil, nil, err
	}
	labels, classes := data.ChunkLabels(r.Header(), dict, codes)
	return labels, classes, nil
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

// keeper keeps the rows of a file as keptRows does (lossRows, codeRows).
type keeper func(spec string, open data.OpenOptions, warn io.Writer) (*keptSet, error)

// pick returns the rows of part s of p from all the rows of its file.
func (p Part) pick(s Split, all *keptSet) (*data.Dataset, error) {
	idx, err := p.order(s, all.d.Rows)
	if err != nil {
		return nil, err
	}
	d, err := all.subset(idx)
	if err != nil {
		return nil, err
	}
	_, d.Name = p.file(s)
	return d, nil
}

// read returns the rows of part s of p as ReadSplit reads them, kept by
// kept from one pass over their file.
func (p Part) read(s Split, kept keeper, warn io.Writer) (*data.Dataset, error) {
	path, _ := p.file(s)
	all, err := kept(path, p.Open, warn)
	if err != nil {
		return nil, err
	}
	defer all.close()
	return p.pick(s, all)
}

// rows returns the rows of p and its training rows as ReadSplit reads
// them and Split.Of picks, each kept in memory by kept (lossRows): one
// pass over Spec gives both where Open splits it; a TestFile is a pass of
// its own, and the training rows are then read only when train is called.
func (p Part) rows(kept keeper, warn io.Writer) (rows *data.Dataset, train func() (*data.Dataset, error), err error) {
	path, _ := p.file(p.Split)
	all, err := kept(path, p.Open, warn)
	if err != nil {
		return nil, nil, err
	}
	if rows, err = p.pick(p.Split, all); err != nil {
		return nil, nil, err
	}
	train = func() (*data.Dataset, error) {
		if tp, _ := p.file(SplitTrain); tp != path {
			return p.read(SplitTrain, kept, warn)
		}
		return p.pick(SplitTrain, all)
	}
	return rows, train, nil
}
