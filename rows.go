package wgml

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wgml/wgml/data"
)

// RecordError is ReadRecords' error for one record that does not fit the
// model (text in a numeric column, a missing value under the error policy,
// a field with control characters): Record is its index among the
// records, Reason what is wrong with it.
type RecordError struct {
	Record int
	Reason string
}

func (e *RecordError) Error() string { return fmt.Sprintf("record %d: %s", e.Record, e.Reason) }

// recordsName is what the reader calls the records in its errors.
const recordsName = "records"

// recordLine finds the line an error of the records' reader names.
var recordLine = regexp.MustCompile(`(?:^|\s)` + recordsName + `:(\d+)(?::\d+)?: `)

// ReadRecords reads records — rows of text fields, header naming their
// columns as a CSV file's header row does — exactly as ScoreFile reads a
// CSV file holding those rows: with the training table's schema (its
// columns, in its order, and its categories), missing-value policy,
// missing-value markers and column selection; the label column is dropped
// where header has it; its checks are Model.ReadCSV's. It returns the
// rows in data units, for Infer, whose scores are then ScoreFile's bit for
// bit. A record that does
// not fit is a *RecordError naming it; any other error (header lacks a
// column the model takes, ...) concerns every record.
func (m *Model) ReadRecords(header []string, records [][]string) (*data.Dataset, error) {
	if len(records) == 0 {
		return nil, errors.New("read records: no records")
	}
	text, lines, err := recordsText(header, records)
	if err != nil {
		return nil, err
	}
	label := m.card.Data.OpenOptions().CSV.LabelCol
	d, err := m.readRows(recordsName, func(opt data.CSVOptions) (*data.Dataset, error) {
		opt.Sep, opt.Header = ",", "yes"
		if slices.Contains(header, label) {
			opt.LabelCol = label
		}
		return data.ReadCSVFrom(recordsName, bytes.NewReader(text), opt)
	})
	if err != nil {
		return nil, recordError(err, lines)
	}
	return d, nil
}

// recordsText writes header and records as CSV text, and the line each record
// starts on (the header is line 1; a quoted field may hold newlines).
func recordsText(header []string, records [][]string) ([]byte, []int, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	lines := make([]int, len(records))
	line := 2
	for i, r := range records {
		w.Flush()
		n := b.Len()
		lines[i] = line
		w.Write(r)
		w.Flush()
		line += bytes.Count(b.Bytes()[n:], []byte{'\n'})
	}
	return b.Bytes(), lines, w.Error()
}

// recordError is err of the records' reader as a *RecordError where it
// names the line of a record (lines[i] is record i's first line), with
// "records:LINE: " cut from its text; else err itself.
func recordError(err error, lines []int) error {
	msg := err.Error()
	loc := recordLine.FindStringSubmatchIndex(msg)
	if loc == nil {
		return err
	}
	line, _ := strconv.Atoi(msg[loc[2]:loc[3]])
	i, found := slices.BinarySearch(lines, line)
	if !found { // a line inside a record (a quoted newline), or the header
		i--
	}
	if i < 0 || i >= len(lines) {
		return err
	}
	reason := strings.TrimSpace(msg[:loc[0]] + " " + msg[loc[1]:])
	return &RecordError{Record: i, Reason: reason}
}
