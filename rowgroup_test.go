package wgml

import (
	"math"
	"testing"

	"github.com/wgml/wgml/data"
)

// TestInferRowGroup: the row groups of a Parquet file (three, written by
// parquet-go, with nulls, a categorical column and labels), each read and
// scored alone, give ScoreFile's scores of the whole file bit for bit, at
// their rows; a group past the end is an error.
func TestInferRowGroup(t *testing.T) {
	const path = "data/testdata/parquet/mixed.parquet"
	m, _, err := FitFile(path, data.OpenOptions{CSV: data.CSVOptions{LabelCol: "label", Missing: data.MissingMask}}, Options{Layers: []int{4, 2}, Epochs: 2, Batch: 8})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := m.ScoreFile(path)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := m.RowGroups(path)
	if err != nil || groups != 3 {
		t.Fatalf("RowGroups = %d, %v: want 3", groups, err)
	}
	next := 0
	for g := range groups {
		first, d, res, err := m.InferRowGroup(path, g, Outputs{Latent: true})
		if err != nil {
			t.Fatal(err)
		}
		if first != next || len(res.Latent) != d.Rows {
			t.Fatalf("row group %d: first row %d, want %d; %d codes for %d rows", g, first, next, len(res.Latent), d.Rows)
		}
		for i, s := range res.Scores {
			if math.Float64bits(s) != math.Float64bits(want[first+i]) {
				t.Fatalf("row %d: %v, ScoreFile %v", first+i, s, want[first+i])
			}
		}
		next += d.Rows
	}
	if next != len(want) {
		t.Errorf("row groups hold %d rows, the file %d", next, len(want))
	}
	if _, _, _, err := m.InferRowGroup(path, groups, Outputs{}); err == nil {
		t.Error("a row group past the end: no error")
	}
}
