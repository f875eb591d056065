package wgmlbeam_test

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/wgml/wgml"
	wgmlbeam "github.com/wgml/wgml/beam"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// TestTrainPerKey: three segments spread over two files train three
// checkpoints whose weights and thresholds equal FitFile on each segment's
// rows alone (in input order) with the same options, and that wgml.Load
// loads; a segment smaller than the batch trains with a smaller one; a
// one-row segment is skipped with the reason in its summary row.
func TestTrainPerKey(t *testing.T) {
	dir := t.TempDir()
	tab := newTable(400, 5, "north", "south", "east", "north", "south", "north", "east/1", "north")
	tab.rows = tab.rows[:len(tab.rows)-7] // east/1: 49 rows, fewer than the batch
	tab.rows = append(tab.rows, []string{"lone", "1", "2", "3", "4", "p"})
	first, second := table{tab.header, tab.rows[:200]}, table{tab.header, tab.rows[200:]}
	first.write(t, dir, "rows-0.csv", "", nil)
	second.write(t, dir, "rows-1.csv", "", nil)
	opt := wgml.Options{Layers: []int{4, 2}, Epochs: 2, Batch: 64, Seed: 9}
	out := filepath.Join(dir, "models")

	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	in, err := wgmlbeam.OpenCSV(ctx, filepath.Join(dir, "rows-*.csv"), wgmlbeam.CSVOptions{KeyCol: "seg"})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := in.Read(s)
	sums, err := wgmlbeam.TrainPerKey(s, in, rows, wgmlbeam.TrainOptions{Options: opt, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(dir, "summary")
	wgmlbeam.WriteCSV(s, summary, 1, wgmlbeam.SummaryCSV(s, sums))
	ptest.RunAndValidate(t, p)

	recs := readCSV(t, wgmlbeam.ShardName(summary, 0, 1))
	got := map[string][]string{}
	for _, r := range recs[1:] {
		got[r[0]] = r
	}
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, []string{"east", "east/1", "lone", "north", "south"}) {
		t.Fatalf("summary keys %v", keys)
	}
	if r := got["lone"]; r[1] != "1" || r[6] != "" || !strings.Contains(r[7], "fewer than the 2") {
		t.Errorf("lone key's summary %q: want 1 row, no path, skipped for too few rows", r)
	}
	if r := got["east/1"]; r[2] != r[1] || r[1] == "64" {
		t.Errorf("east/1 summary %q: want the batch equal to its %s rows", r, r[1])
	}
	for _, key := range []string{"north", "south", "east", "east/1"} {
		r := got[key]
		if r[6] != wgmlbeam.CheckpointPath(out, key) || r[7] != "" {
			t.Fatalf("%s summary %q: want path %s, not skipped", key, r, wgmlbeam.CheckpointPath(out, key))
		}
		alone := tab.write(t, dir, "alone.csv", "seg", func(row []string) bool { return row[0] == key })
		alone1 := opt
		alone1.Batch = min(opt.Batch, len(readCSV(t, alone))-1) // as TrainPerKey, for the small key
		want, _, err := wgml.FitFile(alone, data.OpenOptions{}, alone1)
		if err != nil {
			t.Fatal(err)
		}
		wantPath := filepath.Join(dir, "alone.safetensors")
		if err := want.Save(wantPath); err != nil {
			t.Fatal(err)
		}
		sameWeights(t, key, r[6], wantPath)
		m, err := wgml.Load(r[6], nil)
		if err != nil {
			t.Fatalf("%s: Load: %v", key, err)
		}
		if m.Threshold != want.Threshold || strconv.FormatFloat(want.Threshold, 'g', 8, 64) != r[5] {
			t.Errorf("%s: threshold %v (summary %s), want %v", key, m.Threshold, r[5], want.Threshold)
		}
		if _, _, err := m.ScoreFile(alone); err != nil {
			t.Errorf("%s: the checkpoint does not score its rows: %v", key, err)
		}
	}
}

// sameWeights fails unless checkpoints a and b hold bit-equal weights.
func sameWeights(t *testing.T, key, a, b string) {
	t.Helper()
	ca, err := nn.LoadCheckpoint(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := nn.LoadCheckpoint(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ca.Weights) == 0 || !maps.EqualFunc(ca.Weights, cb.Weights, slices.Equal[[]float32]) {
		t.Errorf("%s: the pipeline's weights differ from training the key's rows alone", key)
	}
}
