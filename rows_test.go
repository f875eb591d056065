package wgml

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
)

// recordsModel trains a small AE on a table of two numeric columns and a
// categorical one and returns it with the table's header and rows.
func recordsModel(t testing.TB) (*Model, []string, [][]string) {
	t.Helper()
	header := []string{"a", "kind", "b"}
	var rows [][]string
	for i := range 60 {
		x := float64(i%13)/13 - 0.5
		rows = append(rows, []string{fmt.Sprintf("%.4f", x), []string{"p", "q", "r"}[i%3], fmt.Sprintf("%.4f", x*x+float64(i%3)/7)})
	}
	path := writeRecordsFile(t, t.TempDir(), "train.csv", header, rows)
	m, _, err := FitFile(path, data.OpenOptions{}, Options{Layers: []int{4, 2}, Epochs: 2, Batch: 16, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m, header, rows
}

func writeRecordsFile(t testing.TB, dir, name string, header []string, rows [][]string) string {
	t.Helper()
	text, _, err := recordsText(header, rows)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadRecordsEqualsScoreFile: records read by ReadRecords and scored by
// Infer get ScoreFile's scores of a file of the same rows, bit for bit,
// an unseen category among them; columns in another order are refused, as
// ScoreFile refuses them.
func TestReadRecordsEqualsScoreFile(t *testing.T) {
	m, header, rows := recordsModel(t)
	rows = append(rows, []string{"0.25", "zzz", "0.5"})
	want, _, err := m.ScoreFile(writeRecordsFile(t, t.TempDir(), "rows.csv", header, rows))
	if err != nil {
		t.Fatal(err)
	}
	var moved [][]string
	for _, r := range rows {
		moved = append(moved, []string{r[2], r[0], r[1]})
	}
	if _, err := m.ReadRecords([]string{header[2], header[0], header[1]}, moved); err == nil || !strings.Contains(err.Error(), "differ") {
		t.Errorf("columns in another order: %v, want the reader's refusal", err)
	}
	d, err := m.ReadRecords(header, rows)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Infer(d, Outputs{})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range res.Scores {
		if math.Float64bits(s) != math.Float64bits(want[i]) {
			t.Fatalf("row %d: %v, ScoreFile %v", i, s, want[i])
		}
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "zzz") {
		t.Errorf("warnings %q: want the unseen category zzz", d.Warnings)
	}
}

// TestReadRecordsErrors: a record that does not fit is a RecordError with
// its index (past a record holding a quoted newline), a header without the
// model's columns a plain error.
func TestReadRecordsErrors(t *testing.T) {
	m, header, _ := recordsModel(t)
	good := []string{"0.1", "p", "0.2"}
	for _, c := range []struct {
		bad    []string
		reason string
	}{
		{[]string{"0.1", "p", "abc"}, `column "b"`},
		{[]string{"", "q", "0.3"}, `column "a": empty field`},
		{[]string{"0.1", "p\x01", "0.3"}, `column "kind"`},
	} {
		recs := [][]string{good, {"0.1", "line\nbreak", "0.2"}, good, c.bad, good}
		_, err := m.ReadRecords(header, recs)
		var re *RecordError
		if !errors.As(err, &re) || re.Record != 3 || !strings.Contains(re.Reason, c.reason) || strings.Contains(re.Reason, recordsName+":") {
			t.Errorf("%q: %v, want a RecordError for record 3 naming %s", c.bad, err, c.reason)
		}
	}
	_, err := m.ReadRecords([]string{"a", "b"}, [][]string{{"1", "2"}})
	var re *RecordError
	if err == nil || errors.As(err, &re) {
		t.Errorf("a header without kind: %v, want a plain error", err)
	}
}

// FuzzReadRecords: any field in any place is read, or refused with a
// RecordError naming a record that exists, or a plain error; never a panic.
func FuzzReadRecords(f *testing.F) {
	m, header, _ := recordsModel(f)
	for _, s := range []string{"0.5", "", "abc", "\"", "a\nb", "NA", "1e40", "p"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(4))
	}
	f.Fuzz(func(t *testing.T, field string, at uint8) {
		recs := [][]string{{"0.1", "p", "0.2"}, {"0.3", "q", "0.4"}}
		recs[at/3%2][at%3] = field
		d, err := m.ReadRecords(header, recs)
		var re *RecordError
		switch {
		case err == nil && d.Rows != 2:
			t.Fatalf("%d rows read, want 2", d.Rows)
		case errors.As(err, &re) && (re.Record < 0 || re.Record > 1):
			t.Fatalf("%v: no such record", err)
		}
	})
}
