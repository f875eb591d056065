package data

import (
	"fmt"
	"path/filepath"
)

// RowStream reads the rows of a data file from disk on demand, for a
// training set streamed in chunks: a .npy file (NPYStream), or a table's
// cache (TableCache), whose missing values it imputes. ReadRows returns
// rows as a resident table would hold them: imputed (Impute), then
// normalised (Normalize).
type RowStream struct {
	// Path is the data file (the table, not its cache), Rows and Cols its
	// shape.
	Path       string
	Rows, Cols int
	// Impute holds per column the value of a missing one (a table's cache
	// with a mask; nil: no value is missing); Normalize maps every row
	// (the zero value: none).
	Impute    []float32
	Normalize Normalizer

	values, mask, labels *NPYStream
	cache                *TableCache
	mbuf                 []float32
}

// OpenRowStream opens a .npy file for streaming.
func OpenRowStream(path string) (*RowStream, error) {
	v, err := OpenNPYStream(path)
	if err != nil {
		return nil, err
	}
	return &RowStream{Path: path, Rows: v.Rows, Cols: v.Cols, values: v}, nil
}

// Open opens the cache's files for streaming; rows are named by the table
// c.Source in errors (row k of the cache is the table's data row k).
func (c *TableCache) Open() (_ *RowStream, err error) {
	s := &RowStream{Path: c.Source, Rows: c.Rows, Cols: len(c.Names), cache: c}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	open := func(name string) (*NPYStream, error) {
		return OpenNPYStream(filepath.Join(c.dir, name))
	}
	if s.values, err = open(cacheValues); err != nil {
		return nil, err
	}
	if c.Masked {
		if s.mask, err = open(cacheMask); err != nil {
			return nil, err
		}
	}
	if c.Label != "" {
		s.labels, err = open(cacheLabels)
	}
	return s, err
}

// Pixels reports whether the rows are pixels (a uint8 .npy, read as
// byte/255).
func (s *RowStream) Pixels() bool { return s.cache == nil && s.values.Pixels() }

// Masked reports whether values may be missing (a table's cache under a
// missing-value policy that imputes them).
func (s *RowStream) Masked() bool { return s.mask != nil }

// ReadRows writes rows first..first+n-1 into dst[:n·Cols]: the values,
// missing ones imputed, normalised. Its errors name the file and the rows.
func (s *RowStream) ReadRows(dst []float32, first, n int) error {
	if err := s.read(dst, nil, first, n); err != nil {
		return err
	}
	for i := 0; i+s.Cols <= n*s.Cols; i += s.Cols {
		s.Normalize.apply(dst[i : i+s.Cols])
	}
	return nil
}

// read writes rows first..first+n-1 into dst, missing values imputed, and,
// when present is not nil and s is masked, which values are present.
func (s *RowStream) read(dst []float32, present []uint8, first, n int) error {
	if err := s.values.ReadRows(dst, first, n); err != nil {
		return s.named(err)
	}
	if s.mask == nil {
		return nil
	}
	if cap(s.mbuf) < n*s.Cols {
		s.mbuf = make([]float32, n*s.Cols)
	}
	m := s.mbuf[:n*s.Cols]
	if err := s.mask.ReadRows(m, first, n); err != nil {
		return s.named(err)
	}
	for e, v := range m {
		if present != nil {
			present[e] = b2u8(v != 0)
		}
		if v == 0 && s.Impute != nil {
			dst[e] = s.Impute[e%s.Cols]
		}
	}
	return nil
}

// named says which table a cache's error is about.
func (s *RowStream) named(err error) error {
	if s.cache == nil {
		return err
	}
	return fmt.Errorf("%s (the stream cache of %s): %w", s.cache.dir, s.Path, err)
}

// Close closes the files.
func (s *RowStream) Close() error {
	var err error
	for _, f := range []*NPYStream{s.values, s.mask, s.labels} {
		if f != nil {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
	}
	return err
}
