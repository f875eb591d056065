package wgmlbeam_test

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
)

func TestMain(m *testing.M) {
	ptest.MainWithDefault(m, "prism")
}

// table is a generated CSV table: a segment column, four numeric columns
// and a categorical one, the columns correlated so that a small AE learns
// something.
type table struct {
	header []string
	rows   [][]string
}

// newTable makes n rows whose segments cycle through segs (several rows
// of one segment apart, so that a key's rows interleave with others').
func newTable(n int, seed uint64, segs ...string) table {
	r := rand.New(rand.NewPCG(seed, 1))
	t := table{header: []string{"seg", "a", "b", "c", "d", "kind"}}
	for i := range n {
		x, y := r.NormFloat64(), r.NormFloat64()
		kind := []string{"p", "q", "r"}[r.IntN(3)]
		row := []string{segs[i%len(segs)], f(x), f(y), f(x + y + 0.1*r.NormFloat64()), f(2*x - y), kind}
		t.rows = append(t.rows, row)
	}
	return t
}

func f(v float64) string { return fmt.Sprintf("%.6g", v) }

// write writes t's columns cols (all when nil) to dir/name, rows where keep
// (all when nil), and returns the path.
func (t table) write(tb testing.TB, dir, name string, drop string, keep func(row []string) bool) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	file, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := csv.NewWriter(file)
	pick := func(rec []string) []string {
		var out []string
		for j, v := range rec {
			if t.header[j] != drop {
				out = append(out, v)
			}
		}
		return out
	}
	w.Write(pick(t.header))
	for _, row := range t.rows {
		if keep == nil || keep(row) {
			w.Write(pick(row))
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tb.Fatal(err)
	}
	if err := file.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// readCSV reads a whole CSV file written by WriteCSV.
func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	file, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer file.Close()
	recs, err := csv.NewReader(file).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// appendLines appends raw text lines to the file at path.
func appendLines(tb testing.TB, path string, lines ...string) {
	tb.Helper()
	file, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := file.WriteString(strings.Join(lines, "\n") + "\n"); err != nil {
		tb.Fatal(err)
	}
	if err := file.Close(); err != nil {
		tb.Fatal(err)
	}
}
