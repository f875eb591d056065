package wgml

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// streamFixture trains on iris and returns the model and bigIris.
func streamFixture(t *testing.T) (*Model, string) {
	t.Helper()
	m, _, err := FitFile(iris, data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}, Options{Layers: []int{5, 2}, Epochs: 2, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	return m, bigIris(t)
}

// bigIris writes iris's rows repeated to about 5.5 MB, so that the
// CSV reader cuts the file into several chunks, and returns its path.
func bigIris(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	header, rows, _ := bytes.Cut(b, []byte("\n"))
	big := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(big, append(append(header, '\n'), bytes.Repeat(rows, 1500)...), 0o644); err != nil {
		t.Fatal(err)
	}
	return big
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
	noHeader := func(data.TableReader) error { return nil }
	err = m.eachChunk(big, StreamOptions{}, nn.Want{Losses: true}, noHeader, func(k *chunkRun) error {
		chunks++
		at := k.at
		for i, s := range nn.RowScores(k.res, m.ScoreKind) {
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
	err = m.eachChunk(path, StreamOptions{}, nn.Want{Losses: true}, func(data.TableReader) error { return nil }, func(k *chunkRun) error {
		chunks++
		at, c := k.at, k.d
		for i, s := range nn.RowScores(k.res, m.ScoreKind) {
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

// csvText writes records as CSV text.
func csvText(t *testing.T, recs [][]string) string {
	t.Helper()
	var b bytes.Buffer
	if err := csv.NewWriter(&b).WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestEncodeDenoiseStreamEqualInMemory: over several chunks EncodeStream
// writes the latent codes of one pass over the whole file and
// DenoiseStream writes DenoiseFile's rows, byte for byte, each after its
// index (its place in the file). (Which chunks a
// shard takes is the one path of all streams, checked with ScoreStream.)
func TestEncodeDenoiseStreamEqualInMemory(t *testing.T) {
	m, big := streamFixture(t)
	_, src, err := m.readFile(big)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Latent: true})
	if err != nil {
		t.Fatal(err)
	}
	L := m.Net.Config.Latent()
	latents := [][]string{LatentHeader(L, false)}
	for i := range src.Rows {
		latents = append(latents, AppendLatent([]string{strconv.Itoa(i)}, res.Latent[i*L:(i+1)*L]))
	}
	denoised := [][]string{m.DenoisedHeader(m.Schema.Names(), false)}
	rows, err := m.DenoiseFile(big)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		denoised = append(denoised, append([]string{strconv.Itoa(i)}, r...))
	}
	for _, c := range []struct {
		name   string
		stream func(string, io.Writer, StreamOptions) (int, error)
		want   [][]string
	}{
		{"EncodeStream", m.EncodeStream, latents},
		{"DenoiseStream", m.DenoiseStream, denoised},
	} {
		var got bytes.Buffer
		n, err := c.stream(big, &got, StreamOptions{})
		want := csvText(t, c.want)
		if err != nil || n != src.Rows || got.String() != want {
			t.Fatalf("%s: %d rows, err %v; output equal to the in-memory one: %v (want %d rows)", c.name, n, err, got.String() == want, src.Rows)
		}
	}
}

// TestStreamLabels: on a Parquet table with a label column, DenoiseStream
// and EncodeStream with WithLabels end each row with its label, under the
// header LabelColumn; EncodeStream without WithLabels writes none.
func TestStreamLabels(t *testing.T) {
	const path = "data/testdata/parquet/mixed.parquet"
	m, _, err := FitFile(path, data.OpenOptions{CSV: data.CSVOptions{LabelCol: "label", Missing: data.MissingMask}}, Options{Layers: []int{4, 2}, Epochs: 1, Batch: 8})
	if err != nil {
		t.Fatal(err)
	}
	_, d, err := m.ScoreFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		stream func(string, io.Writer, StreamOptions) (int, error)
		opt    StreamOptions
		labels bool
	}{
		{"DenoiseStream", m.DenoiseStream, StreamOptions{}, true},
		{"EncodeStream", m.EncodeStream, StreamOptions{WithLabels: true}, true},
		{"EncodeStream", m.EncodeStream, StreamOptions{}, false},
	} {
		var b bytes.Buffer
		if _, err := c.stream(path, &b, c.opt); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil || len(recs) != d.Rows+1 {
			t.Fatalf("%s: %d records, %v; want %d", c.name, len(recs), err, d.Rows+1)
		}
		for i, r := range recs {
			want := LabelName(d.Labels[max(i-1, 0)], d.Classes)
			if i == 0 {
				want = m.LabelColumn()
			}
			if has := r[len(r)-1] == want; has != c.labels {
				t.Fatalf("%s %+v: record %d %v, label %q there: %v, want %v", c.name, c.opt, i, r, want, has, c.labels)
			}
		}
	}
}
