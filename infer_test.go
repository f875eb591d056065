package wgml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestInferMatchesScoreEncodeDenoise: one Infer pass answers what Score,
// Encode and Denoise answer for the same rows; feature errors of unnamed
// columns are refused, as wgml score --per-feature refuses them.
func TestInferMatchesScoreEncodeDenoise(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m, err := Fit(plane(rng, 100), Options{Model: "vae", Layers: []int{4, 2}, Epochs: 2, Batch: 20})
	if err != nil {
		t.Fatal(err)
	}
	rows := plane(rng, 7)
	d, err := m.Rows(rows)
	if err != nil {
		t.Fatal(err)
	}
	inf, err := m.Infer(d, Outputs{Latent: true, Reconstruction: true})
	if err != nil {
		t.Fatal(err)
	}
	scores, _ := m.Score(rows)
	codes, _ := m.Encode(rows)
	recon, _ := m.Denoise(rows)
	for _, c := range []struct {
		name      string
		got, want any
	}{{"scores", inf.Scores, scores}, {"feature errors", inf.FeatureErrors, [][]float64(nil)}, {"latent", inf.Latent, codes}, {"reconstruction", inf.Reconstruction, recon}} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("Infer's %s %v, want %v", c.name, c.got, c.want)
		}
	}
	if _, err := m.Rows([][]float64{{1, 2}}); err == nil {
		t.Error("Rows of the wrong width: no error")
	}
	if _, err := m.Infer(d, Outputs{FeatureErrors: true}); err == nil {
		t.Error("feature errors of a model whose columns have no names: no error")
	}
}

// TestInferSchemaErrors: on a table with a schema read by ReadCSV, Infer's
// scores are ScoreFile's and its feature errors are per original column
// (the category group one column), NaN for a missing value.
func TestInferSchemaErrors(t *testing.T) {
	m, _ := fitIris(t, 2)
	d, err := m.ReadCSV(iris)
	if err != nil {
		t.Fatal(err)
	}
	inf, err := m.Infer(d, Outputs{FeatureErrors: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := m.ScoreFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.FeatureColumns(); fmt.Sprint(got) != "[sepal_length sepal_width petal_length petal_width species]" {
		t.Errorf("feature columns %v", got)
	}
	if got := m.InputColumns(); fmt.Sprint(got) != "[sepal_length sepal_width petal_length petal_width species=setosa species=versicolor species=virginica]" {
		t.Errorf("input columns %v", got)
	}
	for i, row := range inf.FeatureErrors {
		if inf.Scores[i] != want[i] {
			t.Fatalf("row %d: score %v, ScoreFile %v", i, inf.Scores[i], want[i])
		}
		if len(row) != 5 {
			t.Fatalf("row %d: %d errors, want 5", i, len(row))
		}
	}
	if !math.IsNaN(inf.FeatureErrors[0][0]) || math.IsNaN(inf.FeatureErrors[0][1]) {
		t.Errorf("row 0 (sepal_length missing): errors %v, want NaN first only", inf.FeatureErrors[0])
	}
}
