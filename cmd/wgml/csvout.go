package main

import (
	"encoding/csv"
	"io"

	"github.com/wgml/wgml/internal/atomicfile"
)

// writeCSV writes a CSV file atomically through encoding/csv (its folder
// made by lib.CheckOutputs): the header, then rows records, record i filled
// by row (which may reuse rec).
func writeCSV(path string, header []string, rows int, row func(i int, rec []string) []string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
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
