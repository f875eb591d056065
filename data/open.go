package data

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// OpenOptions says how Open reads a data set. It marshals to JSON so that
// a model can record how its data was read.
type OpenOptions struct {
	// CSV says how to read the CSV files.
	CSV CSVOptions `json:"csv"`
	// Image says how to read a folder of images.
	Image ImageOptions `json:"image"`
	// Labels is a .npy vector of labels for a .npy data file; "" for none.
	Labels string `json:"labels,omitempty"`
	// TestFile is a CSV of test rows; "" splits the training file (or
	// array, or image folder) instead.
	TestFile string `json:"test_file,omitempty"`
	// TestFrac is the fraction of rows Split puts in the test set when
	// there is no TestFile, in (0, 1); 0 means 0.2.
	TestFrac float64 `json:"test_frac,omitempty"`
	// Seed seeds the split.
	Seed uint64 `json:"seed,omitempty"`
}

// SplitFrac is the fraction of rows Open splits off as the test set:
// TestFrac, or 0.2 where it is 0.
func (opt OpenOptions) SplitFrac() float64 {
	if opt.TestFrac == 0 {
		return 0.2
	}
	return opt.TestFrac
}

// Open returns the training and test sets that spec names:
//
//   - "mnist": MNIST from the GoMNIST module (see MNISTDir);
//   - "fashion-mnist": the IDX files in $WGML_FASHION_MNIST_DIR, else in
//     the folder ./fashion-mnist;
//   - a folder of MNIST-style IDX files (see LoadIDXDir);
//   - a .csv or .parquet file (see ReadCSV), with opt.TestFile as its
//     test set or else split by opt.TestFrac and opt.Seed;
//   - a .npy file (see ReadNPY) with labels from opt.Labels, split so;
//   - any other folder: PNG and JPEG images (see ReadImageDir), split so.
func Open(spec string, opt OpenOptions) (train, test *Dataset, err error) {
	if opt.Labels != "" && !strings.EqualFold(filepath.Ext(spec), ".npy") {
		return nil, nil, fmt.Errorf("labels %s: a labels file goes with a .npy data file, not %s", opt.Labels, spec)
	}
	switch {
	case spec == "mnist":
		dir, err := MNISTDir()
		if err != nil {
			return nil, nil, err
		}
		return loadNamed(dir, spec)
	case spec == "fashion-mnist":
		dir := os.Getenv("WGML_FASHION_MNIST_DIR")
		if dir == "" {
			dir = "fashion-mnist"
		}
		if !isDir(dir) {
			return nil, nil, fmt.Errorf("fashion-mnist: no folder %s: put %s (or .gz) from https://github.com/zalandoresearch/fashion-mnist in a folder and pass it, or set WGML_FASHION_MNIST_DIR",
				dir, strings.Join(idxNames[:], ", "))
		}
		return loadNamed(dir, spec)
	case strings.EqualFold(filepath.Ext(spec), ".csv") || isParquet(spec):
		return openSplit(spec, opt)
	case strings.EqualFold(filepath.Ext(spec), ".npy"):
		return split(spec, opt, func() (*Dataset, error) { return readNPYWithLabels(spec, opt.Labels) })
	case isDir(spec) && hasIDX(spec):
		return LoadIDXDir(spec)
	case isDir(spec):
		return split(spec, opt, func() (*Dataset, error) { return ReadImageDir(spec, opt.Image) })
	}
	if _, err := os.Stat(spec); err != nil {
		return nil, nil, fmt.Errorf("data %q: %w; want %s", spec, errors.Unwrap(err), dataKinds)
	}
	return nil, nil, fmt.Errorf("data %q: want %s", spec, dataKinds)
}

// ReadFile reads every row of a data file (no test split): a .csv table
// (opt.CSV), a .npy array with labels from opt.Labels, or a folder of images
// (opt.Image).
func ReadFile(spec string, opt OpenOptions) (*Dataset, error) {
	switch ext := strings.ToLower(filepath.Ext(spec)); {
	case ext == ".csv" || isParquet(spec):
		return ReadCSV(spec, opt.CSV)
	case ext == ".npy":
		return readNPYWithLabels(spec, opt.Labels)
	case isDir(spec):
		return ReadImageDir(spec, opt.Image)
	}
	if _, err := os.Stat(spec); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("data %s: want a .csv, .parquet or .npy file or a folder of images", spec)
}

// dataKinds lists what Open reads, for its errors.
const dataKinds = "mnist, fashion-mnist, a folder of IDX files, a folder of images, a .csv, .parquet or .npy file"

// hasIDX reports whether dir holds one of MNIST's IDX files (or .gz).
func hasIDX(dir string) bool {
	for _, name := range idxNames {
		for _, ext := range []string{"", ".gz"} {
			if _, err := os.Stat(filepath.Join(dir, name+ext)); err == nil {
				return true
			}
		}
	}
	return false
}

// split is Open for a data set read whole by read (an array, an image
// folder): it splits off opt.TestFrac of the rows as the test set.
func split(spec string, opt OpenOptions, read func() (*Dataset, error)) (train, test *Dataset, err error) {
	if opt.TestFile != "" {
		return nil, nil, fmt.Errorf("test file %s: a separate test file is for CSV data; %s is split by the test fraction", opt.TestFile, spec)
	}
	frac := opt.SplitFrac()
	if !(frac > 0 && frac < 1) {
		return nil, nil, fmt.Errorf("test fraction %g: want a number in (0, 1)", frac)
	}
	d, err := read()
	if err != nil {
		return nil, nil, err
	}
	train, test = SplitInPlace(d, frac, opt.Seed)
	test.Warnings = nil // said once, with the training set
	return train, test, nil
}

// readNPYWithLabels reads a .npy data file and, when labels is not "",
// its .npy labels.
func readNPYWithLabels(path, labels string) (*Dataset, error) {
	d, err := ReadNPY(path)
	if err != nil || labels == "" {
		return d, err
	}
	if d.Labels, d.Classes, err = ReadNPYLabels(labels, d.Rows); err != nil {
		return nil, err
	}
	return d, nil
}

// loadNamed is LoadIDXDir naming the sets "<name> train" and "<name> test".
func loadNamed(dir, name string) (train, test *Dataset, err error) {
	if train, test, err = LoadIDXDir(dir); err == nil {
		train.Name, test.Name = name+" train", name+" test"
	}
	return train, test, err
}

// openSplit is Open for a CSV or Parquet table: the schema (categories, imputation
// means) is fitted on the training rows only, unless opt.CSV.Schema gives it.
func openSplit(path string, opt OpenOptions) (train, test *Dataset, err error) {
	frac := opt.SplitFrac()
	if opt.TestFile == "" && !(frac > 0 && frac < 1) {
		return nil, nil, fmt.Errorf("test fraction %g: want a number in (0, 1)", frac)
	}
	t, err := readTable(path, opt.CSV)
	if err != nil {
		return nil, nil, err
	}
	nTest := 0 // the test rows come first: the training rows are nTest..t.Rows
	if opt.TestFile == "" {
		var perm []int32
		perm, nTest = splitPerm(t.Rows, frac, opt.Seed)
		t.permute(perm) // the training rows in order, so that fit walks them in memory order
	}
	s := opt.CSV.Schema
	if s == nil {
		if s, err = t.fit(nTest, t.Rows, opt.CSV); err != nil {
			return nil, nil, err
		}
	}
	names := t.Names
	d, err := t.encode(s, opt.CSV)
	if err != nil {
		return nil, nil, err
	}
	if opt.TestFile == "" {
		// Encoded whole: only test rows can hold categories the training
		// rows lack, which the warnings name.
		train, test = d.rows(nTest, d.Rows), d.rows(0, nTest)
		train.Warnings = nil
		train.Name, test.Name = path+" train", path+" test"
		return train, test, nil
	}
	if test, err = readTestTable(opt.TestFile, path, names, s, opt.CSV); err != nil {
		return nil, nil, err
	}
	train = d
	if (train.Classes == nil) != (test.Classes == nil) && train.Labels != nil && test.Labels != nil {
		return nil, nil, fmt.Errorf("%s: labels are %s, but %s's are %s", opt.TestFile, labelKind(test), path, labelKind(train))
	}
	shareClasses(train, test)
	train.Name, test.Name = path+" train", opt.TestFile+" test"
	return train, test, nil
}

// readTestTable reads the test file of the training file train, whose
// feature columns are names, encoded by its schema s.
func readTestTable(path, train string, names []string, s *Schema, opt CSVOptions) (*Dataset, error) {
	r, err := OpenTable(path, opt)
	if err != nil {
		return nil, err
	}
	r.Close()
	if got := r.Header().Names; !slices.Equal(got, names) {
		return nil, fmt.Errorf("%s: columns %s differ from %s's %s", path, strings.Join(got, ","), train, strings.Join(names, ","))
	}
	opt.Schema = s
	t, err := readTable(path, opt)
	if err != nil {
		return nil, err
	}
	return t.encode(s, opt)
}

// labelKind says whether d's labels are integers or class names.
func labelKind(d *Dataset) string {
	if d.Classes != nil {
		return "class names"
	}
	return "integers"
}

// shareClasses renumbers test's class labels by train's classes, adding
// classes only test has at the end, so one number means one class in both.
func shareClasses(train, test *Dataset) {
	if test.Classes == nil {
		return
	}
	index := map[string]int{}
	for k, c := range train.Classes {
		index[c] = k
	}
	for i, l := range test.Labels {
		name := test.Classes[l]
		k, ok := index[name]
		if !ok {
			k = len(train.Classes)
			index[name] = k
			train.Classes = append(train.Classes, name)
		}
		test.Labels[i] = k
	}
	test.Classes = train.Classes
}
