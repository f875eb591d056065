package wgml

import (
	"os"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// TestScoreRows scores the iris table as wgml score does: the scores are
// ScoreFile's, the default threshold is the one training fitted, the
// mad threshold is fitted on the training rows (read through Train, once),
// and the CSV holds a row per score with the per-feature columns (the
// table has no label column).
func TestScoreRows(t *testing.T) {
	m, _ := fitIris(t, 2)
	m = saveLoad(t, m)
	want, d, err := m.ScoreFile(iris)
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.ScoreRows(d, ScoreOptions{Choice: ThresholdChoice{Kind: nn.ScoreRecon, Method: outlier.Method{Kind: outlier.ByQuantile}}, PerFeature: true, Name: "iris"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if s.Scores[i] != want[i] {
			t.Fatalf("row %d: score %v, ScoreFile %v", i, s.Scores[i], want[i])
		}
	}
	if s.Threshold != m.Threshold || !strings.HasPrefix(s.How, "fitted by train") {
		t.Errorf("default threshold %v (%s), want train's %v", s.Threshold, s.How, m.Threshold)
	}
	reads := 0
	train := func() (*data.Dataset, error) { reads++; return d, nil }
	mad, err := m.ScoreRows(d, ScoreOptions{Choice: ThresholdChoice{Kind: nn.ScoreRecon, Method: outlier.Method{Kind: outlier.ByMAD}, MADK: 2}, Train: train})
	if err != nil {
		t.Fatal(err)
	}
	if th, _ := outlier.MADThreshold(mad.Scores, 2); reads != 1 || mad.Threshold != th {
		t.Errorf("mad threshold %v after %d reads, want %v after 1", mad.Threshold, reads, th)
	}
	path := t.TempDir() + "/scores.csv"
	if err := s.WriteCSV(path); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != len(want)+1 || !strings.HasPrefix(lines[0], "index,score,is_outlier,probability,err_sepal_length,") {
		t.Errorf("scores.csv: %d lines, header %q", len(lines), lines[0])
	}
}
