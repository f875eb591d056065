package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// CSVOptions says how ReadCSV reads a table.
type CSVOptions struct {
	// LabelCol is the label column: a header name or a 0-based index.
	// "" means the file has no labels.
	LabelCol string
	// Header is "auto" (also ""), "yes" or "no". Auto takes the first row
	// for a header when some column holds a non-empty, non-numeric field in
	// the first row and a number in the second (or when the file has one
	// row with a non-numeric field).
	Header string
}

// ReadCSV reads a table of numbers from a CSV file into a dataset of
// Floats, one row per record. Every field except the label must be a finite
// number. Labels are integers from 0 to 65536, or else class names numbered
// in order of first appearance (then kept in Dataset.Classes). Without a header the features
// are named col0, col1, … by their 0-based column.
func ReadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &csvTable{path: path, r: csv.NewReader(f)}
	t.r.FieldsPerRecord = -1 // ragged rows get this package's error
	t.r.TrimLeadingSpace = true
	return t.read(opt)
}

// csvTable is the state of one ReadCSV call.
type csvTable struct {
	path   string
	r      *csv.Reader
	names  []string // every column's name
	label  int      // label column, -1 for none
	d      *Dataset
	labels []string // label fields, as read
}

// read reads the whole file.
func (t *csvTable) read(opt CSVOptions) (*Dataset, error) {
	first, line1, err := t.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: no data rows", t.path)
	} else if err != nil {
		return nil, err
	}
	first[0] = strings.TrimPrefix(first[0], "\ufeff") // a UTF-8 byte order mark
	second, line2, err := t.next()
	if err != nil && err != io.EOF {
		return nil, err
	}
	header, err := isHeader(opt.Header, first, second)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.path, err)
	}
	if header {
		for _, name := range first {
			t.names = append(t.names, strings.TrimSpace(name))
		}
	} else {
		for j := range first {
			t.names = append(t.names, "col"+strconv.Itoa(j))
		}
	}
	for j, name := range t.names {
		if name == "" { // an unnamed header column is named as without a header
			t.names[j] = "col" + strconv.Itoa(j)
		}
	}
	if t.label, err = t.labelIndex(opt.LabelCol, header); err != nil {
		return nil, err
	}
	t.d = &Dataset{Name: t.path, Cols: len(t.names)}
	for j, name := range t.names {
		if j != t.label {
			t.d.Columns = append(t.d.Columns, name)
		}
	}
	if t.label >= 0 {
		t.d.Cols--
	}
	if t.d.Cols == 0 {
		return nil, fmt.Errorf("%s: no feature columns", t.path)
	}
	if !header {
		if err := t.add(first, line1); err != nil {
			return nil, err
		}
	}
	for rec, line := second, line2; rec != nil; {
		if err := t.add(rec, line); err != nil {
			return nil, err
		}
		if rec, line, err = t.next(); err != nil && err != io.EOF {
			return nil, err
		}
	}
	if t.d.Rows == 0 {
		return nil, fmt.Errorf("%s: no data rows", t.path)
	}
	t.d.Labels, t.d.Classes = parseLabels(t.labels)
	return t.d, nil
}

// next returns the next record and the line it starts on; at the end of
// the file it returns nil and io.EOF.
func (t *csvTable) next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, 0, fmt.Errorf("%s:%d:%d: %w", t.path, pe.Line, pe.Column, pe.Err)
	} else if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", t.path, err)
	}
	line, _ := t.r.FieldPos(0)
	return rec, line, nil
}

// isHeader decides whether first is a header row (see CSVOptions.Header);
// second is nil when the file has one row.
func isHeader(mode string, first, second []string) (bool, error) {
	switch mode {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	case "", "auto":
	default:
		return false, fmt.Errorf("header option %q: want auto, yes or no", mode)
	}
	for j, f := range first {
		if f = strings.TrimSpace(f); f == "" || isNumber(f) {
			continue
		}
		if second == nil || j < len(second) && isNumber(strings.TrimSpace(second[j])) {
			return true, nil
		}
	}
	return false, nil
}

// isNumber reports whether s parses as a float.
func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// labelIndex resolves CSVOptions.LabelCol to a column index (-1 for none).
func (t *csvTable) labelIndex(spec string, header bool) (int, error) {
	if spec == "" {
		return -1, nil
	}
	if header {
		for j, name := range t.names {
			if name == spec {
				return j, nil
			}
		}
	}
	if k, err := strconv.Atoi(spec); err == nil {
		if k < 0 || k >= len(t.names) {
			return 0, fmt.Errorf("%s: label column %d out of range (%d columns)", t.path, k, len(t.names))
		}
		return k, nil
	}
	if !header {
		return 0, fmt.Errorf("%s: label column %q: the file has no header, give a 0-based column index", t.path, spec)
	}
	return 0, fmt.Errorf("%s: label column %q not found (columns: %s)", t.path, spec, strings.Join(t.names, ", "))
}

// add appends one record, starting on line, to the table.
func (t *csvTable) add(rec []string, line int) error {
	if len(rec) != len(t.names) {
		return fmt.Errorf("%s:%d: %d fields, want %d", t.path, line, len(rec), len(t.names))
	}
	for j, f := range rec {
		f = strings.TrimSpace(f)
		if f == "" {
			return fmt.Errorf("%s:%d: column %q: empty field", t.path, line, t.names[j])
		}
		if j == t.label {
			t.labels = append(t.labels, f)
			continue
		}
		v, err := strconv.ParseFloat(f, 32)
		switch {
		case errors.Is(err, strconv.ErrRange):
			return fmt.Errorf("%s:%d: column %q: %q is out of float32 range", t.path, line, t.names[j], f)
		case err != nil:
			return fmt.Errorf("%s:%d: column %q: %q is not a number", t.path, line, t.names[j], f)
		case math.IsNaN(v) || math.IsInf(v, 0):
			return fmt.Errorf("%s:%d: column %q: %q is not a finite number", t.path, line, t.names[j], f)
		}
		t.d.Floats = append(t.d.Floats, float32(v))
	}
	t.d.Rows++
	return nil
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
