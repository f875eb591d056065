package main

import (
	"errors"
	"flag"
)

// ioFlags are the flags that score, encode and train-per-key share, named
// as wgml's.
type ioFlags struct {
	data, out, keyCol, sep string
}

// register registers the flags; out and key say what --out and --key-col
// mean for the command.
func (f *ioFlags) register(fs *flag.FlagSet, out, key string) {
	fs.StringVar(&f.data, "data", "", "CSV files with a header row, or Parquet files (.parquet): a path or glob (local, gs:// or s3://)")
	fs.StringVar(&f.out, "out", "", out)
	fs.StringVar(&f.keyCol, "key-col", "", key)
	fs.StringVar(&f.sep, "sep", "", "field separator of CSV files, one character or tab (default ,)")
}

// check refuses a command without --data or --out.
func (f *ioFlags) check() error {
	switch {
	case f.data == "":
		return errors.New("--data: give the files to read")
	case f.out == "":
		return errors.New("--out: give where the outputs go")
	}
	return nil
}
