package data

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/wgml/wgml/internal/atomicfile"
)

// WriteNPY writes a (rows, cols) float32 .npy file (format 1.0, '<f4', C
// order) at path, atomically, taking row i from row(i, dst), which fills
// dst[:cols]: a file of any size is written holding one row in memory.
func WriteNPY(path string, rows, cols int, row func(i int, dst []float32)) error {
	if rows < 0 || cols <= 0 {
		return fmt.Errorf("%s: shape (%d, %d): want rows of at least one value", path, rows, cols)
	}
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols)
	// Pad with spaces and a newline so the data starts at a multiple of 64.
	pad := 64 - (len(npyMagic)+4+len(header)+1)%64
	header += strings.Repeat(" ", pad%64) + "\n"
	return atomicfile.Write(path, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		bw.WriteString(npyMagic + "\x01\x00")
		binary.Write(bw, binary.LittleEndian, uint16(len(header)))
		bw.WriteString(header)
		vals := make([]float32, cols)
		word := make([]byte, 4*cols)
		for i := range rows {
			row(i, vals)
			for j, v := range vals {
				binary.LittleEndian.PutUint32(word[4*j:], math.Float32bits(v))
			}
			if _, err := bw.Write(word); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}
