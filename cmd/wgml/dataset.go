package main

import (
	"strings"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// dataFlags are the flags that choose and prepare a data set.
type dataFlags struct {
	spec, testFile, labelCol, header, normalize string
	limit, testLimit                            int
	testFrac                                    float64
}

func addDataFlags(fs *pflag.FlagSet, defaultSpec string) *dataFlags {
	f := &dataFlags{}
	fs.StringVar(&f.spec, "data", defaultSpec, "data set: mnist, fashion-mnist (a directory of IDX files), DIR of IDX files, or FILE.csv")
	fs.StringVar(&f.testFile, "test", "", "CSV test file (default: split --test-frac off the training file)")
	fs.Float64Var(&f.testFrac, "test-frac", 0.2, "fraction of a CSV file held out as the test set when --test is not given")
	fs.StringVar(&f.labelCol, "label-col", "", "CSV label column, by name or 0-based index (excluded from the features)")
	fs.StringVar(&f.header, "header", "auto", "CSV header row: auto, yes or no")
	fs.StringVar(&f.normalize, "normalize", "auto", "feature scaling fitted on training rows: auto (zscore for CSV, pixels/255 for images), zscore, minmax or none")
	fs.IntVar(&f.limit, "limit", 0, "use only the first N training rows (0: all)")
	fs.IntVar(&f.testLimit, "test-limit", 0, "use only the first N test rows (0: all)")
	return f
}

// load opens the data set with seed for CSV splits.
func (f *dataFlags) load(seed uint64) (train, test *data.Dataset, err error) {
	if f.limit < 0 || f.testLimit < 0 {
		return nil, nil, usagef("limit: want a non-negative row count")
	}
	if !(f.testFrac >= 0 && f.testFrac < 1) {
		return nil, nil, usagef("test-frac %v: want a fraction in [0, 1)", f.testFrac)
	}
	f.header = strings.ToLower(f.header)
	if h := f.header; h != "auto" && h != "yes" && h != "no" {
		return nil, nil, usagef("header %q: want auto, yes or no", f.header)
	}
	if n := strings.ToLower(f.normalize); n != "auto" && n != "zscore" && n != "minmax" && n != "none" {
		return nil, nil, usagef("normalize %q: want auto, zscore, minmax or none", f.normalize)
	}
	train, test, err = data.Open(f.spec, data.OpenOptions{
		CSV:      data.CSVOptions{LabelCol: f.labelCol, Header: f.header},
		TestFile: f.testFile, TestFrac: f.testFrac, Seed: seed,
	})
	if err != nil {
		return nil, nil, err
	}
	if f.limit > 0 {
		train = train.Limit(f.limit)
	}
	if test != nil && f.testLimit > 0 {
		test = test.Limit(f.testLimit)
	}
	return train, test, nil
}

// normalizer fits the scaling --normalize asks for on the training rows.
func (f *dataFlags) normalizer(train *data.Dataset) (data.Normalizer, error) {
	kind := strings.ToLower(f.normalize)
	if kind == "auto" {
		kind = "zscore"
		if train.Bytes != nil {
			kind = "none"
		}
	}
	if kind != "none" && train.Bytes != nil {
		return data.Normalizer{}, usagef("normalize %s: image data is scaled to [0,1] already; use auto or none", kind)
	}
	return data.FitNormalizer(kind, train)
}

// source turns a data set into what the trainer uploads, normalising floats.
func source(d *data.Dataset, norm data.Normalizer) (nn.Source, error) {
	if d.Bytes != nil {
		return nn.Source{Rows: d.Rows, Cols: d.Cols, Bytes: d.Bytes}, nil
	}
	nd, err := norm.Apply(d)
	if err != nil {
		return nn.Source{}, err
	}
	return nn.Source{Rows: nd.Rows, Cols: nd.Cols, Floats: nd.Floats}, nil
}

// card records how train was read and normalised; seed is the one that
// split a CSV file without --test, so other commands split it the same way.
func (f *dataFlags) card(train *data.Dataset, norm data.Normalizer, seed uint64) card.Data {
	return card.Data{Spec: f.spec, Cols: train.Cols, Width: train.Width, Height: train.Height,
		LabelCol: f.labelCol, Header: f.header, TestFile: f.testFile, TestFrac: f.testFrac, SplitSeed: seed,
		Columns: train.Columns, Classes: train.Classes, Normalizer: norm}
}
