package wgml

import (
	"bufio"
	"os"
	"unsafe"
)

// rowFile keeps rows of fixed size on disk instead of in memory: per row
// two float32 vectors of cols values (a de-noised row and its clean row)
// and, with masks, cols bytes of its mask, appended in order to a
// temporary file (removed with Close) and read back at any place. Its values are in the machine's byte order: the file lives only
// as long as the process.
type rowFile struct {
	f     *os.File
	w     *bufio.Writer
	cols  int
	masks bool
	n     int    // rows written
	buf   []byte // one row's bytes
}

// newRowFile creates an empty rowFile in the temporary folder.
func newRowFile(cols int, masks bool) (*rowFile, error) {
	f, err := os.CreateTemp("", "wgml-rows-*")
	if err != nil {
		return nil, err
	}
	size := 8 * cols
	if masks {
		size += cols
	}
	return &rowFile{f: f, w: bufio.NewWriterSize(f, 1<<20), cols: cols, masks: masks, buf: make([]byte, size)}, nil
}

// add appends a row: a and b of cols values, and mask (cols bytes, used
// where the file keeps masks).
func (r *rowFile) add(a, b []float32, mask []uint8) error {
	r.w.Write(f32bytes(a[:r.cols]))
	r.w.Write(f32bytes(b[:r.cols]))
	if r.masks {
		r.w.Write(mask[:r.cols])
	}
	r.n++
	_, err := r.w.Write(nil) // the writer's first error, if any
	return err
}

// get reads row i into a and b (cols values each) and, where the file
// keeps masks, mask; the rows are all written first (add).
func (r *rowFile) get(i int, a, b []float32, mask []uint8) error {
	if err := r.w.Flush(); err != nil {
		return err
	}
	if _, err := r.f.ReadAt(r.buf, int64(i)*int64(len(r.buf))); err != nil {
		return err
	}
	c := 4 * r.cols
	copy(f32bytes(a[:r.cols]), r.buf[:c])
	copy(f32bytes(b[:r.cols]), r.buf[c:2*c])
	if r.masks {
		copy(mask[:r.cols], r.buf[2*c:])
	}
	return nil
}

// Close removes the file.
func (r *rowFile) Close() error {
	err := r.f.Close()
	if e := os.Remove(r.f.Name()); err == nil {
		err = e
	}
	return err
}

// f32bytes is the memory of v as bytes.
func f32bytes(v []float32) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v))
}
