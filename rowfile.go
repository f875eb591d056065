package wgml

import (
	"bufio"
	"errors"
	"os"
	"unsafe"
)

// rowFile keeps rows of fixed size on disk instead of in memory: per row
// a few float32 vectors of fixed widths (widths) and, with masks, mask
// bytes, appended in order to a temporary file (removed with Close) and
// read back at any place. Its values are in the machine's byte order: the
// file lives only as long as the process (unlinked at once where the
// system allows it, so that not even a killed process leaves it behind).
type rowFile struct {
	f      *os.File
	w      *bufio.Writer
	widths []int // float32 values of each vector
	masks  int   // mask bytes a row
	n      int   // rows written
	buf    []byte
}

// newRowFile creates an empty rowFile in the temporary folder for rows of
// float32 vectors of widths and masks bytes of mask.
func newRowFile(masks int, widths ...int) (*rowFile, error) {
	f, err := os.CreateTemp("", "wgml-rows-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name()) // POSIX: the open file lives on until Close
	size := masks
	for _, w := range widths {
		size += 4 * w
	}
	return &rowFile{f: f, w: bufio.NewWriterSize(f, 1<<20), widths: widths, masks: masks, buf: make([]byte, size)}, nil
}

// add appends a row: the first width values of each of vs, then the first
// masks bytes of mask.
func (r *rowFile) add(mask []uint8, vs ...[]float32) error {
	for k, v := range vs {
		r.w.Write(f32bytes(v[:r.widths[k]]))
	}
	r.w.Write(mask[:r.masks])
	r.n++
	_, err := r.w.Write(nil) // the writer's first error, if any
	return err
}

// get reads row i into vs (width values each) and mask (masks bytes).
func (r *rowFile) get(i int, mask []uint8, vs ...[]float32) error {
	if err := r.w.Flush(); err != nil {
		return err
	}
	if _, err := r.f.ReadAt(r.buf, int64(i)*int64(len(r.buf))); err != nil {
		return err
	}
	at := 0
	for k, v := range vs {
		at += copy(f32bytes(v[:r.widths[k]]), r.buf[at:])
	}
	copy(mask[:r.masks], r.buf[at:])
	return nil
}

// Close removes the file.
func (r *rowFile) Close() error {
	err := r.f.Close()
	if e := os.Remove(r.f.Name()); err == nil && !errors.Is(e, os.ErrNotExist) {
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
