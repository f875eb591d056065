package wgml

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
)

// streamFixture trains on the messy iris table (a categorical column,
// gaps) and writes a copy of its rows repeated to about 5.5 MB, so that
// the CSV reader cuts it into several chunks.
func streamFixture(t *testing.T) (*Model, string) {
	t.Helper()
	const iris = "testdata/iris_messy/iris.csv"
	m, _, err := FitFile(iris, data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}, Options{Layers: []int{5, 2}, Epochs: 2, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	header, rows, _ := bytes.Cut(b, []byte("\n"))
	big := filepath.Join(t.TempDir(), "big.csv")
	text := append(append(header, '\n'), bytes.Repeat(rows, 1500)...)
	if err := os.WriteFile(big, text, 0o644); err != nil {
		t.Fatal(err)
	}
	return m, big
}

// TestScoreStreamEqualsScoreFile: the streamed scores equal ScoreFile's
// bit for bit over several chunks; the CSV rows are ScoreRow's of those
// scores; shards 0/2 and 1/2 together take every row exactly once.
func TestScoreStreamEqualsScoreFile(t *testing.T) {
	m, big := streamFixture(t)
	want, _, err := m.ScoreFile(big)
	if err != nil {
		t.Fatal(err)
	}
	chunks := 0
	noHeader := func(bool) error { return nil }
	err = m.eachChunk(big, StreamOptions{}, noHeader, func(at int, _ *data.Dataset, scores []float64) error {
		chunks++
		for i, s := range scores {
			if s != want[at+i] {
				t.Fatalf("row %d: streamed %v, ScoreFile %v", at+i, s, want[at+i])
			}
		}
		return nil
	})
	if err != nil || chunks < 2 {
		t.Fatalf("%d chunks, err %v: want several chunks and no error", chunks, err)
	}
	var out bytes.Buffer
	n, err := m.ScoreStream(big, &out, StreamOptions{})
	if err != nil || n != len(want) {
		t.Fatalf("ScoreStream: %d rows, %v; want %d", n, err, len(want))
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "index,score,is_outlier,probability" {
		t.Fatalf("header %s", got)
	}
	for _, i := range []int{0, 1, len(want) - 1} {
		row := ScoreRow{Index: i, Score: want[i], Outlier: want[i] > m.Threshold, Probability: m.Scaler.Probability(want[i])}
		if got, exp := strings.Join(recs[i+1], ","), strings.Join(row.Append(nil), ","); got != exp {
			t.Errorf("row %d: %s, want %s", i, got, exp)
		}
	}
	seen := make([]int, len(want))
	for i := range 2 {
		var b bytes.Buffer
		if _, err := m.ScoreStream(big, &b, StreamOptions{Shard: Shard{I: i, N: 2}}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			k := 0
			for _, c := range r[0] {
				k = 10*k + int(c-'0')
			}
			seen[k]++
		}
	}
	for i, c := range seen {
		if c != 1 {
			t.Fatalf("row %d: taken by %d shards, want 1", i, c)
		}
	}
}

// TestScoreStreamBadInput: a malformed row deep in the file stops the
// stream with one line naming the file and line, after whole rows only; a
// shard out of range is refused before reading.
func TestScoreStreamBadInput(t *testing.T) {
	m, big := streamFixture(t)
	f, err := os.OpenFile(big, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("5.0;oops;1.4;0.2;setosa\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var out bytes.Buffer
	_, err = m.ScoreStream(big, &out, StreamOptions{})
	if err == nil || !strings.Contains(err.Error(), "big.csv") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("malformed row: error %v, want one line naming the file", err)
	}
	if b := out.Bytes(); len(b) > 0 && b[len(b)-1] != '\n' {
		t.Fatal("output ends inside a row")
	}
	if _, err := m.ScoreStream(big, &out, StreamOptions{Shard: Shard{I: 3, N: 2}}); err == nil || !strings.Contains(err.Error(), "shard 3/2") {
		t.Fatalf("shard 3/2: error %v", err)
	}
}

// TestScoreStreamParquet: a Parquet file written by parquet-go (three row
// groups, nulls, a categorical column, class-name labels) streams one row
// group per chunk, bit-equal to ScoreFile, with its labels; shards 0/3,
// 1/3 and 2/3 take one row group each.
func TestScoreStreamParquet(t *testing.T) {
	const path = "data/testdata/parquet/mixed.parquet"
	m, _, err := FitFile(path, data.OpenOptions{CSV: data.CSVOptions{LabelCol: "label", Missing: data.MissingMask}}, Options{Layers: []int{4, 2}, Epochs: 2, Batch: 8})
	if err != nil {
		t.Fatal(err)
	}
	want, d, err := m.ScoreFile(path)
	if err != nil {
		t.Fatal(err)
	}
	chunks := 0
	err = m.eachChunk(path, StreamOptions{}, func(bool) error { return nil }, func(at int, c *data.Dataset, scores []float64) error {
		chunks++
		for i, s := range scores {
			if s != want[at+i] || LabelName(c.Labels[i], c.Classes) != LabelName(d.Labels[at+i], d.Classes) {
				t.Fatalf("row %d: streamed %v, ScoreFile %v", at+i, s, want[at+i])
			}
		}
		return nil
	})
	if err != nil || chunks != 3 {
		t.Fatalf("%d chunks, err %v: want the 3 row groups", chunks, err)
	}
	total := 0
	for i := range 3 {
		var b bytes.Buffer
		n, err := m.ScoreStream(path, &b, StreamOptions{Shard: Shard{I: i, N: 3}})
		if err != nil || n == 0 || !strings.HasPrefix(b.String(), "index,score,is_outlier,label,probability\n") {
			t.Fatalf("shard %d/3: %d rows, %v:\n%s", i, n, err, b.String())
		}
		total += n
	}
	if total != len(want) {
		t.Fatalf("shards took %d rows, want %d", total, len(want))
	}
}
