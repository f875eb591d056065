package main

import (
	"fmt"
	"io"
	"strings"

	lib "github.com/wgml/wgml"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/data"
)

// dataFlags are the flags that choose and prepare a data set.
type dataFlags struct {
	fs                                          *pflag.FlagSet
	spec, testFile, labelCol, header, normalize string
	limit, testLimit                            int
	testFrac                                    float64
	// How tables, image folders and arrays are read (data.OpenOptions).
	missing, sep, imageSize, labels string
	naValues, categorical           []string
	columns, drop                   []string
	maxCategories, channels         int
	skipBad                         bool
}

func addDataFlags(fs *pflag.FlagSet, defaultSpec string) *dataFlags {
	f := &dataFlags{fs: fs}
	fs.StringVar(&f.spec, "data", defaultSpec, "data set: mnist, fashion-mnist (a directory of IDX files), DIR of IDX files, DIR of PNG/JPEG images (class subfolders give labels), FILE.csv, FILE.parquet or FILE.npy")
	fs.StringVar(&f.testFile, "test", "", "CSV test file (default: split --test-frac off the training file)")
	fs.Float64Var(&f.testFrac, "test-frac", 0, fmt.Sprintf("fraction of a CSV file, .npy array or image folder held out as the test set when --test is not given (default 0.2; with --stream at most %d rows)", data.DefaultStreamTestRows))
	fs.StringVar(&f.labelCol, "label-col", "", "CSV label column, by name or 0-based index (excluded from the features)")
	fs.StringVar(&f.header, "header", "auto", "CSV header row: auto, yes or no")
	fs.StringVar(&f.sep, "sep", "", "CSV field separator: one character or tab (default: detected from the first line among , ; tab |)")
	fs.StringVar(&f.missing, "missing", data.MissingError, "CSV missing values (empty, NA, NaN, ?, null, --na-values): error; mean imputes the training mean; mask imputes and leaves them out of the loss and the scores")
	fs.StringSliceVar(&f.naValues, "na-values", nil, "more CSV fields that count as missing values, e.g. -,n/a")
	fs.StringSliceVar(&f.categorical, "categorical", nil, "CSV columns to one-hot encode even where they hold numbers (a column of text is categorical anyway)")
	fs.StringSliceVar(&f.columns, "columns", nil, "CSV/Parquet: keep only these feature columns, by name (the label column stays)")
	fs.StringSliceVar(&f.drop, "drop", nil, "CSV/Parquet: leave these columns out, by name (an ID column, say)")
	fs.IntVar(&f.maxCategories, "max-categories", data.DefaultMaxCategories, "most categories a categorical CSV column may have")
	fs.StringVar(&f.imageSize, "image-size", "", "image folders: resize every image to WxH, e.g. 28x28 (default: the images' own size, which they must share)")
	fs.IntVar(&f.channels, "channels", 1, "image folders: 1 (grayscale) or 3 (RGB)")
	fs.BoolVar(&f.skipBad, "skip-bad", false, "image folders: skip images that do not decode (counted in one line) instead of failing")
	fs.StringVar(&f.labels, "labels", "", ".npy data: a .npy vector of one label per row")
	fs.StringVar(&f.normalize, "normalize", "auto", "feature scaling fitted on training rows: auto (zscore for CSV and arrays, pixels/255 for images), zscore, minmax or none")
	fs.IntVar(&f.limit, "limit", 0, "use only the first N training rows (0: all)")
	fs.IntVar(&f.testLimit, "test-limit", 0, "use only the first N test rows (0: all)")
	return f
}

// options checks the flags and returns how to read the data (Seed, which
// splits a file without --test, is the caller's to set).
func (f *dataFlags) options() (data.OpenOptions, error) {
	if strings.EqualFold(f.sep, "\\t") {
		f.sep = "tab"
	}
	var w, h int
	if f.imageSize != "" {
		var err error
		if w, h, err = data.ParseImageSize(f.imageSize); err != nil {
			return data.OpenOptions{}, usageError{err}
		}
	}
	opt := data.OpenOptions{
		CSV: data.CSVOptions{LabelCol: f.labelCol, Header: strings.ToLower(f.header), Sep: f.sep, Missing: f.missing,
			NAValues: f.naValues, Categorical: f.categorical, MaxCategories: f.maxCategories,
			Columns: f.columns, Drop: f.drop},
		Image:    data.ImageOptions{Width: w, Height: h, Channels: f.channels, SkipBad: f.skipBad},
		Labels:   f.labels,
		TestFile: f.testFile, TestFrac: f.testFrac,
	}
	return opt, lib.CheckDataOptions(opt, f.limit, f.testLimit)
}

// read reads the data for a trained model m: the training data unless
// --data names other data, read as training read it, each data flag given
// overriding its option (lib.Model.ReadOptions).
func (f *dataFlags) read(m *lib.Model, warn io.Writer) (train, test *data.Dataset, err error) {
	opt, err := f.options()
	if err != nil {
		return nil, nil, err
	}
	if f.spec == "" {
		f.spec = m.Card().Data.Spec
	}
	return lib.ReadSplit(f.spec, m.ReadOptions(f.spec, opt, f.fs.Changed), f.limit, f.testLimit, warn)
}
