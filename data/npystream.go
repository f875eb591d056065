package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
)

// NPYStream reads the rows of a .npy file from disk on demand, for a
// training set larger than memory: it holds only the buffer of the last
// read. Rows are read with pread rather than through a memory mapping,
// because a mapped file that shrinks kills the process with SIGBUS where a
// read returns an error, and because mapped pages count toward the
// process's resident memory. A float32, float64 or uint8 array of shape
// (N, d1, d2, …) is N rows of d1·d2·… values, as ReadNPY reads it.
type NPYStream struct {
	Path       string
	Rows, Cols int
	// Normalize, when it holds a fitted normaliser (FitNormalizer), maps
	// every row ReadRows returns; the zero value returns the file's values.
	Normalize Normalizer
	a         *npyArray // shape and dtype; no data
	f         *os.File
	off, size int64 // the data's offset and the file's size when opened
	buf       []byte
}

// OpenNPYStream opens path and checks its header and size.
func OpenNPYStream(path string) (*NPYStream, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := newNPYStream(path, f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// newNPYStream reads the header of f.
func newNPYStream(path string, f *os.File) (*NPYStream, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	a, off, err := readNPYHeader(io.NewSectionReader(f, 0, st.Size()))
	if err != nil {
		return nil, err
	}
	d, err := a.shaped(path) // shape and dtype checks; a holds no data
	if err != nil {
		return nil, err
	}
	if err := a.checkSize(st.Size() - int64(off)); err != nil {
		return nil, err
	}
	return &NPYStream{Path: path, Rows: d.Rows, Cols: d.Cols, a: a, f: f, off: int64(off), size: st.Size()}, nil
}

// ReadRows writes rows first..first+n-1 into dst[:n·Cols] as float32,
// bytes scaled by 1/255 as Dataset.Row scales them, then mapped by
// s.Normalize. It fails, naming the
// file and the rows, when the file has shrunk or gone since it was opened,
// a read fails or a value is not a finite float32.
func (s *NPYStream) ReadRows(dst []float32, first, n int) error {
	if first < 0 || n < 0 || first+n > s.Rows || len(dst) < n*s.Cols {
		return fmt.Errorf("%s: rows %d to %d of %d into %d values", s.Path, first, first+n-1, s.Rows, len(dst))
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("%s: reading rows %d to %d: %w", s.Path, first, first+n-1, err)
	}
	width := int64(s.Cols * s.a.size)
	need := int(int64(n) * width)
	if cap(s.buf) < need {
		s.buf = make([]byte, need)
	}
	s.a.data = s.buf[:need]
	if _, err := s.f.ReadAt(s.a.data, s.off+int64(first)*width); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("the file ends early (did it shrink during training?)")
		}
		return fmt.Errorf("%s: reading rows %d to %d: %w", s.Path, first, first+n-1, err)
	}
	for e := range n * s.Cols {
		var v float64
		switch {
		case s.Pixels():
			dst[e] = float32(s.a.data[e]) * inv255
			continue
		case s.a.kind == 'f' && s.a.size == 4 && s.a.order == binary.LittleEndian: // the common case, without float's switch
			v = float64(math.Float32frombits(binary.LittleEndian.Uint32(s.a.data[4*e:])))
		default:
			v = s.a.float(e)
		}
		if f := float32(v); math.IsNaN(v) || math.IsInf(float64(f), 0) {
			return fmt.Errorf("%s: row %d, value %d is %v, want a finite float32", s.Path, first+e/s.Cols, e%s.Cols, v)
		}
		dst[e] = float32(v)
	}
	s.normalize(dst[:n*s.Cols])
	return nil
}

// check reports a file that is gone or smaller than when it was opened.
func (s *NPYStream) check() error {
	st, err := os.Stat(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("the file disappeared during training")
	}
	if err != nil {
		return err
	}
	if st.Size() < s.size {
		return fmt.Errorf("the file shrank during training from %d to %d bytes", s.size, st.Size())
	}
	return nil
}

// Pixels reports whether s holds uint8 values (read as byte/255).
func (s *NPYStream) Pixels() bool { return s.a.kind == 'u' && s.a.size == 1 }

// Close closes the file.
func (s *NPYStream) Close() error { return s.f.Close() }
