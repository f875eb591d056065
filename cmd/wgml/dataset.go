package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
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
	maxCategories, channels         int
	skipBad                         bool
	// recorded is the training data's description when a trained model's
	// command reads data: its options are the defaults the flags override.
	recorded *card.Data
	// warn gets the readers' warnings, one line each (nil: discarded).
	warn io.Writer
}

func addDataFlags(fs *pflag.FlagSet, defaultSpec string) *dataFlags {
	f := &dataFlags{fs: fs}
	fs.StringVar(&f.spec, "data", defaultSpec, "data set: mnist, fashion-mnist (a directory of IDX files), DIR of IDX files, DIR of PNG/JPEG images (class subfolders give labels), FILE.csv or FILE.npy")
	fs.StringVar(&f.testFile, "test", "", "CSV test file (default: split --test-frac off the training file)")
	fs.Float64Var(&f.testFrac, "test-frac", 0.2, "fraction of a CSV file, .npy array or image folder held out as the test set when --test is not given")
	fs.StringVar(&f.labelCol, "label-col", "", "CSV label column, by name or 0-based index (excluded from the features)")
	fs.StringVar(&f.header, "header", "auto", "CSV header row: auto, yes or no")
	fs.StringVar(&f.sep, "sep", "", "CSV field separator: one character or tab (default: detected from the first line among , ; tab |)")
	fs.StringVar(&f.missing, "missing", data.MissingError, "CSV missing values (empty, NA, NaN, ?, null, --na-values): error; mean imputes the training mean; mask imputes and leaves them out of the loss and the scores")
	fs.StringSliceVar(&f.naValues, "na-values", nil, "more CSV fields that count as missing values, e.g. -,n/a")
	fs.StringSliceVar(&f.categorical, "categorical", nil, "CSV columns to one-hot encode even where they hold numbers (a column of text is categorical anyway)")
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

// options checks the flags and returns how to read the data, with seed
// splitting a file without --test. For a trained model's command
// (f.recorded set) they start from the training data's options, with its
// schema and split seed, and a flag given overrides its option.
func (f *dataFlags) options(seed uint64) (data.OpenOptions, error) {
	if f.limit < 0 || f.testLimit < 0 {
		return data.OpenOptions{}, usagef("limit: want a non-negative row count")
	}
	if !(f.testFrac >= 0 && f.testFrac < 1) {
		return data.OpenOptions{}, usagef("test-frac %v: want a fraction in [0, 1)", f.testFrac)
	}
	f.header = strings.ToLower(f.header)
	if h := f.header; h != "auto" && h != "yes" && h != "no" {
		return data.OpenOptions{}, usagef("header %q: want auto, yes or no", f.header)
	}
	if n := strings.ToLower(f.normalize); n != "auto" && n != "zscore" && n != "minmax" && n != "none" {
		return data.OpenOptions{}, usagef("normalize %q: want auto, zscore, minmax or none", f.normalize)
	}
	if m := f.missing; m != data.MissingError && m != data.MissingMean && m != data.MissingMask {
		return data.OpenOptions{}, usagef("missing %q: want error, mean or mask", f.missing)
	}
	if f.maxCategories < 1 {
		return data.OpenOptions{}, usagef("max-categories %d: want at least 1", f.maxCategories)
	}
	if f.channels != 1 && f.channels != 3 {
		return data.OpenOptions{}, usagef("channels %d: want 1 (grayscale) or 3 (RGB)", f.channels)
	}
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
		CSV: data.CSVOptions{LabelCol: f.labelCol, Header: f.header, Sep: f.sep, Missing: f.missing,
			NAValues: f.naValues, Categorical: f.categorical, MaxCategories: f.maxCategories},
		Image:    data.ImageOptions{Width: w, Height: h, Channels: f.channels, SkipBad: f.skipBad},
		Labels:   f.labels,
		TestFile: f.testFile, TestFrac: f.testFrac, Seed: seed,
	}
	if f.recorded != nil {
		opt = f.fromRecorded(opt)
	}
	return opt, nil
}

// fromRecorded returns the recorded training options with the flags the
// user gave (opt's) in place of theirs. A new --data file keeps the
// training file's CSV and image options (the schema, the channels, the
// image size) but not its labels or test file.
func (f *dataFlags) fromRecorded(opt data.OpenOptions) data.OpenOptions {
	r := f.recorded.OpenOptions()
	if f.spec != f.recorded.Spec {
		r.TestFile, r.Labels = "", ""
	}
	if r.Image.Width == 0 && f.recorded.Width > 0 { // new images take the training size
		r.Image.Width, r.Image.Height = f.recorded.Width, f.recorded.Height
	}
	given := f.fs.Changed
	if given("label-col") {
		r.CSV.LabelCol = opt.CSV.LabelCol
	}
	if given("header") {
		r.CSV.Header = opt.CSV.Header
	}
	if given("sep") {
		r.CSV.Sep = opt.CSV.Sep
	}
	if given("missing") {
		r.CSV.Missing = opt.CSV.Missing
	}
	if given("na-values") {
		r.CSV.NAValues = opt.CSV.NAValues
	}
	if given("image-size") {
		r.Image.Width, r.Image.Height = opt.Image.Width, opt.Image.Height
	}
	if given("skip-bad") {
		r.Image.SkipBad = opt.Image.SkipBad
	}
	if given("labels") {
		r.Labels = opt.Labels
	}
	if given("test") {
		r.TestFile = opt.TestFile
	}
	if given("test-frac") {
		r.TestFrac = opt.TestFrac
	}
	return r
}

// load opens the data set with seed for splits, printing the readers'
// warnings, and applies --limit and --test-limit.
func (f *dataFlags) load(seed uint64) (train, test *data.Dataset, err error) {
	opt, err := f.options(seed)
	if err != nil {
		return nil, nil, err
	}
	return f.open(opt)
}

// open is load with the options given.
func (f *dataFlags) open(opt data.OpenOptions) (train, test *data.Dataset, err error) {
	train, test, err = data.Open(f.spec, opt)
	if err != nil {
		return nil, nil, err
	}
	if f.warn != nil {
		for _, d := range []*data.Dataset{train, test} {
			if d == nil {
				continue
			}
			for _, w := range d.Warnings {
				fmt.Fprintf(f.warn, "wgml: warning: %s\n", w)
			}
		}
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

// source turns a data set into what the trainer uploads, normalising floats;
// a table's missing-value mask goes with it.
func source(d *data.Dataset, norm data.Normalizer) (nn.Source, error) {
	if d.Bytes != nil {
		return nn.Source{Rows: d.Rows, Cols: d.Cols, Bytes: d.Bytes}, nil
	}
	nd, err := norm.Apply(d)
	if err != nil {
		return nn.Source{}, err
	}
	return nn.Source{Rows: nd.Rows, Cols: nd.Cols, Floats: nd.Floats, Mask: nd.Mask}, nil
}

// card records how train was read (opt, with the schema on its own) and
// normalised.
func (f *dataFlags) card(train *data.Dataset, opt data.OpenOptions, norm data.Normalizer) card.Data {
	opt.CSV.Schema = nil
	return card.Data{Spec: f.spec, Open: opt, Schema: train.Schema, Cols: train.Cols, Width: train.Width, Height: train.Height,
		Channels: train.Channels, Columns: train.Columns, Classes: train.Classes, Normalizer: norm}
}
