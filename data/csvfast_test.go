package data

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// smallBlocks makes the CSV reader cut blocks of n bytes and sample the
// first m rows of the first sample bytes, for the length of a test.
func smallBlocks(t *testing.T, n, sample, m int) {
	t.Helper()
	b, s, r := csvBlock, csvSample, sampleRows
	csvBlock, csvSample, sampleRows = n, sample, m
	t.Cleanup(func() { csvBlock, csvSample, sampleRows = b, s, r })
}

// TestReadCSVChunked: a table of numbers and quoted text holding
// separators, "" and newlines, read in blocks of a few records each, equals
// encoding/csv's parse of the same file, whatever the block size.
func TestReadCSVChunked(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"plain", "a,b", "say \"\"hi\"\"", "two\nlines", "crlf\r\nline", " padded "}
	var b strings.Builder
	b.WriteString("x,\"note\",y\r\n")
	for i := range 300 {
		w := words[rng.IntN(len(words))]
		fmt.Fprintf(&b, "%g,\"%s\",%d\n", float32(rng.NormFloat64()), w, i)
		if i%50 == 7 {
			b.WriteString("\n") // a blank line
		}
	}
	path := writeFile(t, t.TempDir(), "q.csv", []byte(b.String()))
	want := referenceCSV(t, path)
	for _, n := range []int{1 << 20, 512, 97, 16} {
		smallBlocks(t, n, 200, 1000)
		d, err := ReadCSV(path, CSVOptions{})
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		if d.Rows != len(want) {
			t.Fatalf("block %d: %d rows, want %d", n, d.Rows, len(want))
		}
		for i, rec := range want {
			row := d.Floats[i*d.Cols : (i+1)*d.Cols]
			x, _ := strconv.ParseFloat(rec[0], 32)
			note := strings.TrimSpace(rec[1])
			k := slices.Index(d.Schema.Columns[1].Categories, note)
			if row[0] != float32(x) || k < 0 || row[1+k] != 1 || row[d.Cols-1] != float32(i) {
				t.Fatalf("block %d, row %d: %v, want %q", n, i, row, rec)
			}
		}
	}
}

// referenceCSV parses path with encoding/csv, without the header.
func referenceCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// TestReadCSVLateErrors: past the sample, a Number column's text is an
// error naming its line and column, wherever the block boundaries fall,
// and a Text column keeps later numbers as categories.
func TestReadCSVLateErrors(t *testing.T) {
	smallBlocks(t, 64, 64, 10)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,kind\n")
	for i := range 200 {
		kind := []string{"red", "blue"}[i%2]
		if i == 150 {
			kind = "7"
		}
		fmt.Fprintf(&b, "%d,%s\n", i, kind)
	}
	good := b.String()
	path := writeFile(t, dir, "late.csv", []byte(good))
	d, err := ReadCSV(path, CSVOptions{})
	if err != nil || !slices.Equal(d.Schema.Columns[1].Categories, []string{"7", "blue", "red"}) {
		t.Fatalf("text column with a later number: %v, %+v", err, d.Schema)
	}
	bad := strings.Replace(good, "\n120,", "\nabc,", 1)
	_, err = ReadCSV(writeFile(t, dir, "bad.csv", []byte(bad)), CSVOptions{})
	wantErr(t, err, `bad.csv:122: column "a": "abc" is not a number`)
	short := strings.Replace(good, "\n170,red", "\n170", 1)
	_, err = ReadCSV(writeFile(t, dir, "short.csv", []byte(short)), CSVOptions{})
	wantErr(t, err, "short.csv:172: 1 fields, want 2")
	quote := strings.Replace(good, "\n99,blue", "\n99,\"blue", 1)
	_, err = ReadCSV(writeFile(t, dir, "quote.csv", []byte(quote)), CSVOptions{})
	wantErr(t, err, `quote.csv:`, `extraneous or missing " in quoted-field`)
}

// TestParseDecimal: the fast path returns strconv's float32 or declines.
func TestParseDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	fields := []string{"0", "-0", "+1", "1.", ".5", "-.25", "16777215", "16777216", "0.1", "3.4028235", "1e5", "1_0", "", "-", ".", "0x1p-2", "00000000001.5", "1.2.3", "9.999999999", "0.0000000001", "0.00000000001"}
	for range 20000 {
		fields = append(fields, strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(12)-6)), 'f', rng.IntN(9), 64))
	}
	for _, f := range fields {
		got, ok := parseDecimal([]byte(f))
		want, err := strconv.ParseFloat(f, 32)
		if ok && (err != nil || math.Float32bits(got) != math.Float32bits(float32(want))) {
			t.Fatalf("parseDecimal(%q) = %v, strconv says %v (%v)", f, got, float32(want), err)
		}
	}
}

// TestRecordsEnd: a block ends after its last newline outside quotes.
func TestRecordsEnd(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"a,b\n1,2\n3", 8},
		{"a,\"x\ny\"\n1", 8},
		{"a,\"x\ny", 0},
		{"a,\"x\"\"\n\"\nb", 9},
		{"no newline", 0},
	} {
		if got := recordsEnd([]byte(c.text)); got != c.want {
			t.Errorf("recordsEnd(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}

// TestCSVReaderChunks: OpenCSV hands out chunks in file order whose codes
// index one dictionary, and stops cleanly when closed early.
func TestCSVReaderChunks(t *testing.T) {
	smallBlocks(t, 40, 40, 5)
	var b strings.Builder
	b.WriteString("v,c,y\n")
	for i := range 100 {
		fmt.Fprintf(&b, "%d,%c,%d\n", i, 'p'+rune(i%3), i%2)
	}
	path := writeFile(t, t.TempDir(), "c.csv", []byte(b.String()))
	r, err := OpenCSV(path, CSVOptions{LabelCol: "y"})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header()
	if !slices.Equal(h.Names, []string{"v", "c"}) || !slices.Equal(h.Kinds, []Kind{Number, Text}) || h.Label != "y" {
		t.Fatalf("header %+v", h)
	}
	rows, chunks := 0, 0
	for {
		c, err := r.Next()
		if err != nil {
			break
		}
		dict, labels := r.Dicts()
		for i := range c.Rows {
			v := rows + i
			if c.Nums[i] != float32(v) || dict[0][c.Codes[i]] != string('p'+rune(v%3)) || labels[c.Labels[i]] != strconv.Itoa(v%2) {
				t.Fatalf("row %d: %v %v %v", v, c.Nums[i], c.Codes[i], c.Labels[i])
			}
		}
		rows += c.Rows
		chunks++
	}
	if rows != 100 || chunks < 10 {
		t.Fatalf("%d rows in %d chunks", rows, chunks)
	}
	r.Close()
	r, err = OpenCSV(path, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "c.csv")); err != nil {
		t.Fatal(err)
	}
}
