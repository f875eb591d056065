package data

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// npyAppendHeader is the length of the header an npyAppender writes (magic,
// version, length and the dict padded with spaces): room for any shape, a
// multiple of 64 so that the data starts aligned.
const npyAppendHeader = 128

// npyAppender writes a 2-D .npy file (format 1.0, C order) whose number of
// rows is known only at the end: the header is written with room to spare
// and rewritten with the final shape by finish. The file is written under a
// temporary name in the same folder and renamed to path by finish, so a
// reader never sees it half-written.
type npyAppender struct {
	path, descr string
	cols, elem  int
	rows        int
	f           *os.File
	w           *bufio.Writer
}

// createNPY starts a (?, cols) .npy file of dtype descr ("<f4" or "|u1",
// elem bytes per value) at path.
func createNPY(path, descr string, cols, elem int) (*npyAppender, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	a := &npyAppender{path: path, descr: descr, cols: cols, elem: elem, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	if _, err := a.w.Write(a.header()); err != nil {
		a.abort()
		return nil, err
	}
	return a, nil
}

// header is the file's header for the rows written so far.
func (a *npyAppender) header() []byte {
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d), }", a.descr, a.rows, a.cols)
	pre := len(npyMagic) + 4
	dict += strings.Repeat(" ", npyAppendHeader-pre-len(dict)-1) + "\n"
	b := append([]byte(npyMagic), 1, 0, 0, 0)
	binary.LittleEndian.PutUint16(b[len(npyMagic)+2:], uint16(len(dict)))
	return append(b, dict...)
}

// write appends whole rows, row-major, elem bytes per value.
func (a *npyAppender) write(rows []byte) error {
	a.rows += len(rows) / (a.cols * a.elem)
	_, err := a.w.Write(rows)
	return err
}

// finish writes the final header, syncs the file and renames it to path.
func (a *npyAppender) finish() error {
	err := a.w.Flush()
	if err == nil {
		_, err = a.f.WriteAt(a.header(), 0)
	}
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
	}
	return err
}

// abort removes the temporary file.
func (a *npyAppender) abort() {
	a.f.Close()
	os.Remove(a.f.Name())
}
