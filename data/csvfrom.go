package data

import "io"

// OpenCSVFrom is OpenCSV over the CSV text r yields (a table in memory, a
// pipe) rather than a file; name stands for the file in errors
// ("name:LINE: ..."). It never closes r.
func OpenCSVFrom(name string, r io.Reader, opt CSVOptions) (*CSVReader, error) {
	return newCSVReader(name, io.NopCloser(r), 0, opt)
}

// ReadCSVFrom is ReadCSV over the CSV text r yields, named name in errors:
// the same parse, schema and missing-value policy as a file of that text.
func ReadCSVFrom(name string, r io.Reader, opt CSVOptions) (*Dataset, error) {
	tr, err := OpenCSVFrom(name, r, opt)
	if err != nil {
		return nil, err
	}
	t, err := wholeTable(name, tr)
	if err != nil {
		return nil, err
	}
	return t.dataset(opt)
}
