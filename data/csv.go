package data

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Missing-value policies (CSVOptions.Missing).
const (
	MissingError = "error" // a missing value is an error (the default)
	MissingMean  = "mean"  // impute the training mean (category frequencies)
	MissingMask  = "mask"  // impute, and mark the value absent in Dataset.Mask
)

// DefaultMaxCategories is the most categories a categorical column may have
// unless CSVOptions.MaxCategories says otherwise.
const DefaultMaxCategories = 100

// DefaultNAValues are the fields that count as missing values besides the
// empty field; they match regardless of case ("na", "NULL").
var DefaultNAValues = []string{"NA", "NaN", "?", "null"}

// CSVOptions says how ReadCSV reads a table. It marshals to JSON so that a
// model can record how its data was read.
type CSVOptions struct {
	// LabelCol is the label column: a header name or a 0-based index.
	// "" means the file has no labels.
	LabelCol string `json:"label_col,omitempty"`
	// Header is "auto" (also ""), "yes" or "no". Auto takes the first row
	// for a header (as pandas does) unless it reads as data: it is a
	// header when a column whose sampled values are all numbers has text
	// there, or when most such columns (two at least) hold fractions and
	// the first row an integer (years, codes); a one-row file has a header
	// when it holds text. Repeated names get pandas' suffixes (a, a.1).
	Header string `json:"header,omitempty"`
	// Sep is the field separator: one character, or "tab"; "" detects it
	// from the first line as the most frequent of , ; tab | outside quotes
	// (a comma when none occurs).
	Sep string `json:"sep,omitempty"`
	// Missing is the missing-value policy: MissingError (also ""),
	// MissingMean or MissingMask. Empty fields, DefaultNAValues and
	// NAValues are missing values.
	Missing string `json:"missing,omitempty"`
	// NAValues are more fields that count as missing (matched exactly).
	NAValues []string `json:"na_values,omitempty"`
	// Categorical names columns to one-hot encode even where their values
	// are numbers. A column none of whose present values is a number is
	// categorical without being named.
	Categorical []string `json:"categorical,omitempty"`
	// MaxCategories bounds the categories of one column; 0 means
	// DefaultMaxCategories.
	MaxCategories int `json:"max_categories,omitempty"`
	// Columns, when set, keeps only these feature columns (by header
	// name, or col<k> without a header); Drop leaves these out. The label
	// column is kept either way. Unknown names are an error.
	Columns []string `json:"columns,omitempty"`
	Drop    []string `json:"drop,omitempty"`
	// Schema, when set, encodes the file with a model's columns and
	// categories instead of fitting them to the file (a category the schema
	// lacks becomes an all-zero group, reported in Dataset.Warnings). It is
	// recorded on its own, not with the options.
	Schema *Schema `json:"-"`
}

// missingHint ends the error of a missing value under MissingError.
const missingHint = "; a missing value: use --missing mean or --missing mask to accept missing values"

// ReadCSV reads a table from a CSV file (or a Parquet file, by its
// extension .parquet) into a dataset of Floats, one row per record (see
// OpenCSV and OpenParquet for how it is read). Numeric columns hold finite
// numbers; categorical columns become one-hot groups (see Schema, in
// Dataset.Schema) of the categories in the file, or in opt.Schema; missing
// values follow opt.Missing. Labels are integers from 0 to 65536, or else
// class names numbered in order of first appearance (then kept in
// Dataset.Classes). Without a header the features are named col0, col1, …
// by their 0-based column.
func ReadCSV(path string, opt CSVOptions) (*Dataset, error) {
	t, err := readTable(path, opt)
	if err != nil {
		return nil, err
	}
	return encodeTable(t, opt)
}

// encodeTable encodes a whole table by opt.Schema, or by the schema
// fitted to its rows when opt has none.
func encodeTable(t *Table, opt CSVOptions) (*Dataset, error) {
	s := opt.Schema
	var err error
	if s == nil {
		if s, err = t.fit(0, t.Rows, opt); err != nil {
			return nil, err
		}
	}
	return t.encode(s, opt)
}

// isParquet reports whether path names a Parquet file.
func isParquet(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".parquet" || ext == ".pq"
}

// OpenTable opens a CSV (path "-": standard input) or Parquet table for
// reading chunk by chunk.
func OpenTable(path string, opt CSVOptions) (TableReader, error) {
	if isParquet(path) {
		r, err := OpenParquet(path, opt)
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	r, err := OpenCSV(path, opt)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// readTable reads a whole table file as a Table with at least one row.
func readTable(path string, opt CSVOptions) (*Table, error) {
	r, err := OpenTable(path, opt)
	if err != nil {
		return nil, err
	}
	return wholeTable(path, r)
}

// wholeTable reads every chunk of r, the table name, as a Table with at
// least one row, and closes r.
func wholeTable(name string, r TableReader) (*Table, error) {
	t, err := ReadTable(r)
	if err != nil {
		return nil, err
	}
	if t.Rows == 0 {
		return nil, fmt.Errorf("%s: %w", name, errNoRows)
	}
	return t, nil
}

// isText reports whether a field is UTF-8 text without control characters
// (tabs, and the newlines a quoted field may hold, aside): names and
// categories must survive a JSON round trip, and anything else is a binary
// file read as CSV.
func isText(f string) bool {
	return utf8.ValidString(f) && !strings.ContainsFunc(f, func(r rune) bool { return r < ' ' && r != '\t' && r != '\n' || r == 0x7f })
}

// notText is the error of a field that is not text.
func notText(path string, line int, column, f string) error {
	return fmt.Errorf("%s:%d: column %q: %q is not text (binary data? a CSV file must be UTF-8)", path, line, column, f)
}

// separator returns the field separator spec names, or, for "", the one
// detected from the first line of text.
func separator(spec string, text []byte) (rune, error) {
	switch spec {
	case "":
		return detectSeparator(text), nil
	case "tab", `\t`:
		return '\t', nil
	}
	r, n := utf8.DecodeRuneInString(spec)
	if n != len(spec) || r == '"' || r == '\r' || r == '\n' || r == utf8.RuneError {
		return 0, fmt.Errorf("separator %q: want one character, e.g. , ; | or tab", spec)
	}
	return r, nil
}

// detectSeparator returns the most frequent of , ; tab | outside quotes in
// the first non-blank line of text (the first listed on a tie), or a comma
// when none occurs.
func detectSeparator(text []byte) rune {
	seps := []byte{',', ';', '\t', '|'}
	var counts [4]int
	quoted := false
	started := false
	for _, c := range text { // bytes: every candidate is ASCII
		if c == '\n' && !quoted {
			if started {
				break
			}
			continue
		}
		if c != '\r' && c != ' ' {
			started = true
		}
		if c == '"' {
			quoted = !quoted
		}
		if k := slices.Index(seps, c); k >= 0 && !quoted {
			counts[k]++
		}
	}
	best := 0
	for k := range counts {
		if counts[k] > counts[best] {
			best = k
		}
	}
	return rune(seps[best])
}

// isNumber reports whether s parses as a float.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// labelIndex resolves CSVOptions.LabelCol to a column index (-1 for none).
func labelIndex(path string, names []string, spec string, header bool) (int, error) {
	if spec == "" {
		return -1, nil
	}
	if header {
		if j := slices.Index(names, spec); j >= 0 {
			return j, nil
		}
	}
	if k, err := strconv.Atoi(spec); err == nil {
		if k < 0 || k >= len(names) {
			return 0, fmt.Errorf("%s: label column %d out of range (%d columns)", path, k, len(names))
		}
		return k, nil
	}
	if !header {
		return 0, fmt.Errorf("%s: label column %q: the file has no header, give a 0-based column index", path, spec)
	}
	return 0, fmt.Errorf("%s: label column %q not found (columns: %s)", path, spec, strings.Join(names, ", "))
}

// maxIntLabel is the largest label kept as its own number; larger ones
// (and negative ones, such as the -1 of "-1 outlier, 1 normal") make the
// labels class names, so that a label always indexes a short class list.
const maxIntLabel = 1 << 16

// parseLabels turns label fields into ints: the integers themselves when
// all are integers in [0, maxIntLabel], else class numbers in order of first
// appearance, with the class names. It returns nil, nil for no labels.
func parseLabels(fields []string) ([]int, []string) {
	if fields == nil {
		return nil, nil
	}
	labels := make([]int, len(fields))
	for i, f := range fields {
		k, err := strconv.Atoi(f)
		if err != nil || k < 0 || k > maxIntLabel {
			return classLabels(fields)
		}
		labels[i] = k
	}
	return labels, nil
}

// classLabels numbers class names in order of first appearance.
func classLabels(fields []string) ([]int, []string) {
	labels := make([]int, len(fields))
	var classes []string
	index := map[string]int{}
	for i, f := range fields {
		k, ok := index[f]
		if !ok {
			k = len(classes)
			index[f] = k
			classes = append(classes, f)
		}
		labels[i] = k
	}
	return labels, classes
}
