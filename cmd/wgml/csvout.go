package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/wgml/wgml/internal/atomicfile"
)

// writeCSV writes a CSV file atomically through encoding/csv: the header,
// then rows records, record i filled by row (which may reuse rec).
func writeCSV(path string, header []string, rows int, row func(i int, rec []string) []string) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(header); err != nil {
			return err
		}
		rec := make([]string, 0, len(header))
		for i := range rows {
			rec = row(i, rec[:0])
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// formatF32 writes a float32 value with its 7 significant digits.
func formatF32(v float32) string { return strconv.FormatFloat(float64(v), 'g', 7, 32) }

// writeFileAtomic creates path's directory and writes path atomically, so a
// failure never leaves a half-written file.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, write)
}
