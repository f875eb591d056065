package data

import (
	"fmt"
	"io"
)

// OpenCSVReader opens a CSV table read from rd for reading chunk by chunk,
// as OpenCSV opens a file; name stands for it in errors. Close stops the
// reader's work but does not close rd, and a read of rd may still be in
// flight when Close returns: a caller whose rd must not be read after it
// is done (an HTTP request's body) hands in a reader that it can stop.
func OpenCSVReader(name string, rd io.Reader, opt CSVOptions) (*CSVReader, error) {
	if err := checkMissing(opt.Missing); err != nil {
		return nil, err
	}
	return newCSVReader(name, io.NopCloser(rd), 0, opt)
}

// ReadCSVFrom reads a whole CSV table from rd as ReadCSV reads a file (by
// opt.Schema where set); name stands for it in errors.
func ReadCSVFrom(name string, rd io.Reader, opt CSVOptions) (*Dataset, error) {
	r, err := OpenCSVReader(name, rd, opt)
	if err != nil {
		return nil, err
	}
	t, err := wholeTable(name, r)
	if err != nil {
		return nil, err
	}
	return encodeTable(t, opt)
}

// checkMissing refuses a missing-value policy other than MissingError
// (also ""), MissingMean and MissingMask.
func checkMissing(policy string) error {
	switch policy {
	case "", MissingError, MissingMean, MissingMask:
		return nil
	}
	return fmt.Errorf("missing %q: want error, mean or mask", policy)
}
