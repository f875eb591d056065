package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"unsafe"
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
// a read fails or a value is not a finite float32. A little-endian float32
// file on a little-endian host is read straight into dst (one pread, no
// conversion); other files through a buffer, converted in one pass.
func (s *NPYStream) ReadRows(dst []float32, first, n int) error {
	if first < 0 || n < 0 || first+n > s.Rows || len(dst) < n*s.Cols {
		return fmt.Errorf("%s: rows %d to %d of %d into %d values", s.Path, first, first+n-1, s.Rows, len(dst))
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("%s: reading rows %d to %d: %w", s.Path, first, first+n-1, err)
	}
	dst = dst[:n*s.Cols]
	raw := s.rawBuffer(dst)
	if _, err := s.f.ReadAt(raw, s.off+int64(first)*int64(s.Cols*s.a.size)); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("the file ends early (did it shrink during training?)")
		}
		return fmt.Errorf("%s: reading rows %d to %d: %w", s.Path, first, first+n-1, err)
	}
	if e, v := s.decode(dst, raw); e >= 0 {
		return fmt.Errorf("%s: row %d, value %d is %v, want a finite float32", s.Path, first+e/s.Cols, e%s.Cols, v)
	}
	s.normalize(dst)
	return nil
}

// native reports whether the file's values are float32 as this host holds
// them in memory (little-endian), so a read can land in dst unconverted.
func (s *NPYStream) native() bool {
	return hostLittleEndian && s.a.kind == 'f' && s.a.size == 4 && s.a.order == binary.LittleEndian
}

// hostLittleEndian reports whether this host stores a uint32's low byte
// first.
var hostLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// rawBuffer returns where a read of len(dst) values lands: dst's own bytes
// when native, else s.buf grown to hold them.
func (s *NPYStream) rawBuffer(dst []float32) []byte {
	if s.native() {
		return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(dst))), 4*len(dst))
	}
	need := len(dst) * s.a.size
	if cap(s.buf) < need {
		s.buf = make([]byte, need)
	}
	return s.buf[:need]
}

// decode converts raw, the file's bytes of len(dst) values, into dst
// (native: already there), pixels as byte/255. It returns the index and
// value of the first value that is not a finite float32, or -1.
func (s *NPYStream) decode(dst []float32, raw []byte) (int, float64) {
	switch {
	case s.native():
		for e, v := range dst {
			if math.Float32bits(v)&0x7f800000 == 0x7f800000 { // NaN or ±Inf
				return e, float64(v)
			}
		}
	case s.Pixels():
		for e, b := range raw {
			dst[e] = float32(b) * inv255
		}
	default:
		s.a.data = raw
		for e := range dst {
			v := s.a.float(e)
			if f := float32(v); math.IsNaN(v) || math.IsInf(float64(f), 0) {
				return e, v
			}
			dst[e] = float32(v)
		}
	}
	return -1, 0
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
