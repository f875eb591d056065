package wgml

import (
	"testing"

	"github.com/wgml/wgml/data"
)

// TestFitFileSaveLoad: a model FitFile trained on the messy table scores a
// file after Save and Load exactly as before (the schema and the
// normaliser travel in the checkpoint), and every score is finite.
func TestFitFileSaveLoad(t *testing.T) {
	m, d := fitIris(t, 3)
	if d.Mask == nil || m.Net.Config.Loss != "table" {
		t.Fatalf("mask %v, loss %s: want a mask and the table loss", d.Mask != nil, m.Net.Config.Loss)
	}
	before, _, err := m.ScoreFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	l := saveLoad(t, m)
	after, _, err := l.ScoreFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	for i := range before {
		if before[i] != after[i] || before[i] < 0 || before[i] != before[i] {
			t.Fatalf("row %d: score %v before Save, %v after Load", i, before[i], after[i])
		}
	}
	if _, err := m.DenoiseFile("testdata/breast_cancer/test.csv"); err == nil {
		t.Error("DenoiseFile of a table with other columns: no error")
	}
}

// iris is the messy iris table: a categorical column, missing values.
const iris = "testdata/iris_messy/iris.csv"

// fitIris trains a small AE on iris for epochs epochs, its missing values
// masked, and returns it with the training rows.
func fitIris(t *testing.T, epochs int) (*Model, *data.Dataset) {
	t.Helper()
	m, d, err := FitFile(iris, data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask}}, Options{Layers: []int{5, 2}, Epochs: epochs, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	return m, d
}
