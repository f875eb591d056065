package data

import (
	"reflect"
	"testing"
)

// TestParquetSeekRowGroup: the chunk after SeekRowGroup(g) is row group g
// as a sequential read returns it (its codes decoded), Row its first
// row's place in the file; a group past the end is an error.
func TestParquetSeekRowGroup(t *testing.T) {
	const path = "testdata/parquet/mixed.parquet"
	opt := CSVOptions{LabelCol: "label", Missing: MissingMask}
	seq, err := OpenParquet(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer seq.Close()
	if seq.RowGroups() < 3 {
		t.Fatalf("%d row groups, want 3", seq.RowGroups())
	}
	for g := range seq.RowGroups() {
		at := seq.Row()
		want, err := seq.Next()
		if err != nil {
			t.Fatal(err)
		}
		r, err := OpenParquet(path, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.SeekRowGroup(g); err != nil {
			t.Fatal(err)
		}
		if r.Row() != at {
			t.Errorf("row group %d: Row %d, want %d", g, r.Row(), at)
		}
		got, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(decoded(r, got), decoded(seq, want)) {
			t.Errorf("row group %d: %v, want %v", g, decoded(r, got), decoded(seq, want))
		}
		r.Close()
	}
	if err := seq.SeekRowGroup(seq.RowGroups()); err == nil {
		t.Error("a row group past the end: no error")
	}
}

// decoded is c's numbers (NaN as a string) and its codes as the words
// they stand for.
func decoded(r TableReader, c *Chunk) []any {
	text, labels := r.Dicts()
	var out []any
	for _, v := range c.Nums {
		if isMissingNum(v) {
			out = append(out, "NaN")
		} else {
			out = append(out, v)
		}
	}
	tc := r.Header().TextCols()
	for i, code := range c.Codes {
		if code == MissingCode {
			out = append(out, "missing")
		} else {
			out = append(out, text[i%tc][code])
		}
	}
	for _, l := range c.Labels {
		out = append(out, labels[l])
	}
	return out
}
