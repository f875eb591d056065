package wgml

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wgml/wgml/internal/atomicfile"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/plot"
)

// CheckOutputs proves, before any work is done, that each file path can
// be written: its folder exists or can be made and takes a new file, and
// path is not a folder. A command then fails before it writes anything
// rather than after writing some of its outputs. "" and "none" (an output
// turned off) are skipped.
func CheckOutputs(paths ...string) error {
	for _, p := range paths {
		if p == "" || p == "none" {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return fmt.Errorf("%s: is a directory, want a file name", p)
		}
		if err := CheckWritableDir(filepath.Dir(p)); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// CheckWritableDir creates dir and proves a file can be written there.
func CheckWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", dir, errors.Unwrap(err))
	}
	f, err := os.CreateTemp(dir, ".wgml-write-test-*")
	if err != nil {
		return fmt.Errorf("output directory %s: not writable: %w", dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeLossCurve plots train, test and validation loss per epoch (those
// the run has).
func writeLossCurve(path string, c nn.Config, h []nn.EpochStats) error {
	train, test, val := plot.Series{Name: "train"}, plot.Series{Name: "test"}, plot.Series{Name: "validation"}
	for _, e := range h {
		x := float64(e.Epoch)
		train.X, train.Y = append(train.X, x), append(train.Y, e.Loss)
		test.X, test.Y = append(test.X, x), append(test.Y, e.TestLoss)
		val.X, val.Y = append(val.X, x), append(val.Y, e.ValLoss)
	}
	title := fmt.Sprintf("%s %v loss per row", c.Kind, c.Layers)
	return plot.LossCurve(path, title, plot.KeepFinite([]plot.Series{train, test, val}))
}

// WriteCSV writes a CSV file atomically through encoding/csv (its folder
// made by CheckOutputs): the header, then rows records, record i filled
// by row (which may reuse rec).
func WriteCSV(path string, header []string, rows int, row func(i int, rec []string) []string) error {
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
