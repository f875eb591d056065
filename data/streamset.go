package data

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/wgml/wgml/internal/philox"
)

// Bounds of a streamed set's split: it is dealt in at most
// streamSplitBlocks blocks, and without a test fraction it holds out at
// most DefaultStreamTestRows test rows (they are kept in memory).
const (
	streamSplitBlocks     = 4096
	DefaultStreamTestRows = 1 << 16
)

// StreamSet is a data file opened for streaming: the training rows, read
// from disk (Train), and the test rows, held out of the file (or read from
// a test file) and kept in memory.
//
// The split deals blocks of rows, so that no list of every row is ever
// held: the file's N rows are cut into nb = ⌈N/B⌉ blocks of B = ⌈N/4096⌉
// consecutive rows (the last one shorter), shuffled as π =
// philox.Shuffle(nb, Seed, SplitStream). The test set is the rows of the
// first round(f·nb) blocks of π, block by block in π's order, each block's
// rows ascending, with f = TestFrac, or, when it is 0, min(0.2,
// DefaultStreamTestRows/N); SplitValidation holds out the next
// round(v·(nb - nTest)) blocks of π the same way; the training rows are the
// other blocks in file order. With N ≤ 4096 a block is one row, and the
// test rows are the ones Open's split holds out of a resident file.
type StreamSet struct {
	File  *RowStream
	Train *RowView
	Test  *Dataset
	// Schema (a table's columns and imputation means, fitted on the rows
	// not held out for testing), Columns, Classes and the image shape
	// describe the rows as Open's data sets do.
	Schema                  *Schema
	Columns, Classes        []string
	Width, Height, Channels int

	block int
	pi    []int32
	held  int   // blocks of π held out so far
	lab   []int // a .npy's labels per file row (opt.Labels), nil otherwise
	name  string
	how   string // how the rows are read, for Source
}

// OpenStream opens spec for streaming with the options Open reads it with:
// a .npy file (labels from opt.Labels), or a .csv or .parquet table
// converted once into a TableCache in cacheDir (opt.CSV.Schema, when set,
// encodes it; otherwise the schema is fitted on its rows not held out for
// testing, in one pass over the cache). A test file (opt.TestFile) is read
// into memory as Open reads it.
func OpenStream(spec string, opt OpenOptions, cacheDir string) (_ *StreamSet, err error) {
	s := &StreamSet{name: spec}
	ext := strings.ToLower(filepath.Ext(spec))
	switch {
	case ext == ".npy":
		if opt.TestFile != "" {
			return nil, fmt.Errorf("test file %s: a separate test file is for CSV data; %s is split by the test fraction", opt.TestFile, spec)
		}
		if s.File, err = OpenRowStream(spec); err != nil {
			return nil, err
		}
		s.how = "rows read by pread"
	case ext == ".csv" || isParquet(spec):
		c, built, err := CacheTable(spec, cacheDir, opt.CSV)
		if err != nil {
			return nil, err
		}
		s.how = fmt.Sprintf("its numbers converted once into %s (%s)", cacheDir, map[bool]string{true: "built now", false: "reused"}[built])
		if s.File, err = c.Open(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("stream %s: streaming reads .npy, .csv and .parquet files; train on it without --stream", spec)
	}
	defer func() {
		if err != nil {
			s.File.Close()
		}
	}()
	if err := s.describe(opt); err != nil {
		return nil, err
	}
	test, err := s.splitTest(opt)
	if err != nil {
		return nil, err
	}
	if err := s.fitSchema(opt); err != nil {
		return nil, err
	}
	if test == nil {
		return s, s.readTestFile(opt)
	}
	s.Test, err = s.rowsOf(test, s.name+" test")
	return s, err
}

// describe sets the labels, classes and image shape of the file.
func (s *StreamSet) describe(opt OpenOptions) error {
	if c := s.File.cache; c != nil {
		_, s.Classes = c.labels()
		return nil
	}
	d, err := s.File.values.a.shaped(s.name)
	if err != nil {
		return err
	}
	s.Width, s.Height, s.Channels = d.Width, d.Height, d.Channels
	if opt.Labels != "" {
		s.lab, s.Classes, err = ReadNPYLabels(opt.Labels, s.File.Rows)
	}
	return err
}

// splitTest holds out the test blocks, returning their view (nil with a
// test file), and makes the other blocks the training view.
func (s *StreamSet) splitTest(opt OpenOptions) (*RowView, error) {
	n := s.File.Rows
	s.block = (n + streamSplitBlocks - 1) / streamSplitBlocks
	nb := (n + s.block - 1) / s.block
	s.pi = philox.Shuffle(nb, opt.Seed, philox.SplitStream)
	if opt.TestFile != "" {
		s.Train = newRowView(s.File, s.block, s.rest())
		return nil, nil
	}
	f := opt.TestFrac
	if f == 0 {
		f = min(0.2, float64(DefaultStreamTestRows)/float64(n))
	}
	if !(f > 0 && f < 1) {
		return nil, fmt.Errorf("test fraction %g: want a number in (0, 1)", f)
	}
	return s.holdOut(f)
}

// holdOut takes the next round(frac·blocks left) blocks of π out of the
// training view and returns their view.
func (s *StreamSet) holdOut(frac float64) (*RowView, error) {
	k := int(math.Round(frac * float64(len(s.pi)-s.held)))
	blocks := s.pi[s.held : s.held+k]
	s.held += k
	s.Train = newRowView(s.File, s.block, s.rest())
	if k == 0 || s.Train.Rows == 0 {
		return nil, fmt.Errorf("%s: holding out %g of %d blocks of %d rows leaves %d for it and %d for training; want some of each", s.name, frac, len(s.pi), s.block, k, len(s.pi)-s.held)
	}
	return newRowView(s.File, s.block, blocks), nil
}

// rest lists the blocks not held out, in file order.
func (s *StreamSet) rest() []int32 {
	out := make([]bool, len(s.pi))
	for _, b := range s.pi[:s.held] {
		out[b] = true
	}
	var rest []int32
	for b, o := range out {
		if !o {
			rest = append(rest, int32(b))
		}
	}
	return rest
}

// SplitValidation holds out frac of the training blocks (see StreamSet) as
// the validation set, in memory.
func (s *StreamSet) SplitValidation(frac float64) (*Dataset, error) {
	v, err := s.holdOut(frac)
	if err != nil {
		return nil, err
	}
	return s.rowsOf(v, s.name+" validation")
}

// rowsOf reads the rows of v (imputed, not normalised) and their labels
// into a data set.
func (s *StreamSet) rowsOf(v *RowView, name string) (*Dataset, error) {
	f := s.File
	d := &Dataset{Name: name, Rows: v.Rows, Cols: f.Cols, Floats: make([]float32, v.Rows*f.Cols), Schema: s.Schema, Columns: s.Columns,
		Classes: s.Classes, Width: s.Width, Height: s.Height, Channels: s.Channels}
	byCode, _ := s.labelsByCode()
	if s.lab != nil || byCode != nil {
		d.Labels = make([]int, v.Rows)
	}
	var code []float32
	return d, v.each(0, v.Rows, func(at, file, m int) error {
		if err := f.read(d.Floats[at*f.Cols:(at+m)*f.Cols], nil, file, m); err != nil {
			return err
		}
		switch {
		case s.lab != nil:
			copy(d.Labels[at:at+m], s.lab[file:file+m])
		case byCode != nil:
			if cap(code) < m {
				code = make([]float32, m)
			}
			code = code[:m]
			if err := f.labels.ReadRows(code, file, m); err != nil {
				return f.named(err)
			}
			for i, c := range code {
				d.Labels[at+i] = byCode[int(c)]
			}
		}
		return nil
	})
}

// labelsByCode returns a table cache's label numbers by code; nil without.
func (s *StreamSet) labelsByCode() ([]int, []string) {
	if s.File.cache == nil || s.File.labels == nil {
		return nil, nil
	}
	return s.File.cache.labels()
}

// fitSchema sets a table's schema: opt.CSV.Schema, or the columns with the
// means of their values in the rows not held out (one pass), which impute
// missing values.
func (s *StreamSet) fitSchema(opt OpenOptions) error {
	c := s.File.cache
	if c == nil {
		return nil
	}
	sc := opt.CSV.Schema
	if sc == nil {
		var err error
		if sc, err = s.means(c.Names, opt.CSV.Missing); err != nil {
			return err
		}
	}
	if len(sc.Columns) != s.File.Cols || sc.HasCategorical() {
		return fmt.Errorf("%s: the model's columns %s do not fit the streamed table's %d numeric columns", s.name, strings.Join(sc.Names(), ","), s.File.Cols)
	}
	s.Schema, s.Columns = sc, sc.ModelColumns()
	if s.File.mask != nil {
		s.File.Impute = make([]float32, s.File.Cols)
		for j, col := range sc.Columns {
			s.File.Impute[j] = float32(col.Means[0])
		}
	}
	return nil
}

// means is the schema of columns names whose means are those of the
// present values of the training view.
func (s *StreamSet) means(names []string, missing string) (*Schema, error) {
	st, err := s.stats(true)
	if err != nil {
		return nil, err
	}
	sc := &Schema{Columns: make([]Column, len(names))}
	for j, name := range names {
		sc.Columns[j] = Column{Name: name, Means: []float64{0}}
		if st.N[j] > 0 {
			sc.Columns[j].Means[0] = st.Mean[j]
		} else if missing == MissingMean || missing == MissingMask {
			return nil, fmt.Errorf("%s: column %q: every value is missing, nothing to impute from", s.name, name)
		}
	}
	return sc, nil
}

// readTestFile reads opt.TestFile encoded with the schema, its classes
// numbered as the training file's.
func (s *StreamSet) readTestFile(opt OpenOptions) error {
	if opt.TestFile == "" {
		return nil
	}
	o := opt.CSV
	o.Schema = s.Schema
	test, err := ReadCSV(opt.TestFile, o)
	if err != nil {
		return err
	}
	train := &Dataset{Classes: s.Classes}
	shareClasses(train, test)
	s.Classes, test.Name = train.Classes, opt.TestFile+" test"
	s.Test = test
	return nil
}

// FitNormalizer fits a normaliser of kind to the training view in one pass
// (Stats), as FitNormalizer fits the same rows in memory in that order:
// missing values count as the values imputed for them.
func (s *StreamSet) FitNormalizer(kind string) (Normalizer, error) {
	if err := checkNormalizerKind(kind); err != nil || kind == "none" {
		return Normalizer{Kind: kind}, err
	}
	st, err := s.stats(false)
	if err != nil {
		return Normalizer{}, err
	}
	return st.Normalizer(kind, nil), nil
}

// stats accumulates the training view's rows, imputed values left out
// when present is true, reading npyFitRows rows at a time without
// normalising them.
func (s *StreamSet) stats(present bool) (*Stats, error) {
	f, v := s.File, s.Train
	st := NewStats(f.Cols)
	buf := make([]float32, min(npyFitRows, v.Rows)*f.Cols)
	var mask []uint8
	if present && f.mask != nil {
		mask = make([]uint8, len(buf))
	}
	for first := 0; first < v.Rows; first += npyFitRows {
		k := min(npyFitRows, v.Rows-first)
		err := v.each(first, k, func(at, file, m int) error {
			var pm []uint8
			if mask != nil {
				pm = mask[at*f.Cols : (at+m)*f.Cols]
			}
			return f.read(buf[at*f.Cols:(at+m)*f.Cols], pm, file, m)
		})
		if err != nil {
			return nil, err
		}
		if mask != nil {
			st.Add(buf[:k*f.Cols], mask[:k*f.Cols])
		} else {
			st.Add(buf[:k*f.Cols], nil)
		}
	}
	return st, nil
}

// Source says how the rows are read: a .npy file by pread, or a table from
// its cache (built now or reused), and how the test rows were held out.
func (s *StreamSet) Source() string {
	return fmt.Sprintf("%s; split in blocks of %d rows", s.how, s.block)
}

// Close closes the file.
func (s *StreamSet) Close() error { return s.File.Close() }
