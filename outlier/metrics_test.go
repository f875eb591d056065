package outlier

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestAt(t *testing.T) {
	scores := []float64{1, 2, 3, 4}
	for _, tc := range []struct {
		name                  string
		positive              []bool
		threshold             float64
		want                  Confusion
		precision, recall, f1 float64
		fpr                   float64
	}{
		// flagged: 3 and 4 (2 is not above 2)
		{"mixed", []bool{false, true, false, true}, 2, Confusion{TP: 1, FP: 1, TN: 1, FN: 1}, 0.5, 0.5, 0.5, 0.5},
		{"all flagged", []bool{false, true, false, true}, 0, Confusion{TP: 2, FP: 2}, 0.5, 1, 2.0 / 3, 1},
		{"none flagged: zero precision", []bool{false, true, false, true}, 4, Confusion{TN: 2, FN: 2}, 0, 0, 0, 0},
		{"all normal", []bool{false, false, false, false}, 2.5, Confusion{FP: 2, TN: 2}, 0, 0, 0, 0.5},
		{"all normal, none flagged", []bool{false, false, false, false}, 9, Confusion{TN: 4}, 0, 0, 0, 0},
		{"all outliers", []bool{true, true, true, true}, 3, Confusion{TP: 1, FN: 3}, 1, 0.25, 0.4, 0},
	} {
		c, err := At(scores, tc.positive, tc.threshold)
		if err != nil || c != tc.want {
			t.Errorf("%s: At = %+v, %v; want %+v", tc.name, c, err, tc.want)
			continue
		}
		for _, m := range []struct {
			what      string
			got, want float64
		}{{"precision", c.Precision(), tc.precision}, {"recall", c.Recall(), tc.recall}, {"F1", c.F1(), tc.f1}, {"FPR", c.FPR(), tc.fpr}} {
			if math.Abs(m.got-m.want) > 1e-15 {
				t.Errorf("%s: %s %v, want %v", tc.name, m.what, m.got, m.want)
			}
		}
	}
	if _, err := At(scores, []bool{true}, 1); err == nil || !strings.Contains(err.Error(), "4 scores but 1 labels") {
		t.Errorf("At with 1 label: error %v", err)
	}
}

func TestScaler(t *testing.T) {
	for _, tc := range []struct {
		name          string
		train, scores []float64
		want          []float64
	}{
		// min 2, range 4: below and above the training range clip to 0 and 1
		{"linear, clipped", []float64{4, 2, 6}, []float64{1, 2, 3, 6, 8}, []float64{0, 0, 0.25, 1, 1}},
		{"training rows span [0,1]", []float64{10, 20, 30}, []float64{10, 20, 30}, []float64{0, 0.5, 1}},
		// MinMaxScaler takes a zero range as 1: clip(s - 2, 0, 1)
		{"constant training scores", []float64{2, 2}, []float64{1, 2, 2.5, 4}, []float64{0, 0, 0.5, 1}},
		{"no scores", []float64{1, 2}, nil, []float64{}},
	} {
		c, err := FitScaler(tc.train)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := []float64{}
		for _, s := range tc.scores {
			got = append(got, c.Probability(s))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: probabilities %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, tc := range []struct {
		train []float64
		want  string
	}{
		{nil, "outlier probability: training no scores"},
		{[]float64{1, math.Inf(-1)}, "outlier probability: training score 1 is -Inf"},
	} {
		if _, err := FitScaler(tc.train); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FitScaler(%v) error %v, want %q", tc.train, err, tc.want)
		}
	}
}

func TestTop(t *testing.T) {
	names := []string{"a", "b", "c", "d", "e"}
	errs := []float64{0.1, 0.5, 0.3, 0.5, 0.2}
	for _, tc := range []struct {
		k    int
		want []string
	}{
		{3, []string{"b", "d", "c"}}, // b and d tie: column order
		{1, []string{"b"}},
		{5, []string{"b", "d", "c", "e", "a"}},
		{9, []string{"b", "d", "c", "e", "a"}},
		{0, []string{}},
		{-1, []string{}},
	} {
		got, err := Top(errs, names, tc.k)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Top(k %d) = %v, %v; want %v", tc.k, got, err, tc.want)
		}
	}
	if got, _ := Top([]float64{0, 0, 0}, []string{"x", "y", "z"}, TopFeatures); !slices.Equal(got, []string{"x", "y", "z"}) {
		t.Errorf("Top of equal errors = %v, want column order", got)
	}
	if _, err := Top(errs, names[:2], 3); err == nil || !strings.Contains(err.Error(), "5 feature errors but 2 column names") {
		t.Errorf("Top with 2 names: error %v", err)
	}
	if _, err := Top([]float64{1, math.NaN()}, []string{"x", "y"}, 1); err == nil || !strings.Contains(err.Error(), "feature error 1 (y) is NaN") {
		t.Errorf("Top with a NaN: error %v", err)
	}
}
