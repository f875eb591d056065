package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
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
)

func TestMain(m *testing.M) {
	ptest.MainWithDefault(m, "prism")
}

// writeTable writes n rows of seg,a,b,c (three segments) and returns its
// path.
func writeTable(t *testing.T, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("seg,a,b,c\n")
	for i := range n {
		x := float64(i%17)/17 - 0.5
		fmt.Fprintf(&b, "%s,%g,%g,%g\n", []string{"s1", "s2", "s3"}[i%3], x, float64(i%5)/5, x*x)
	}
	path := filepath.Join(dir, "rows.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestScoreCommand: wgml-beam score writes, over its shards, each row's
// index, score, flag and probability as wgml score formats them from the
// library's scores of the same file.
func TestScoreCommand(t *testing.T) {
	dir := t.TempDir()
	path := writeTable(t, dir, 90)
	m, ckpt, scores := fitScored(t, dir, path)
	c := &scoreCmd{ioFlags: ioFlags{data: path, out: filepath.Join(dir, "scores")}, model: ckpt, batch: 7, shards: 3}
	p, s := beam.NewPipelineWithRoot()
	if err := c.build(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	ptest.RunAndValidate(t, p)
	var got [][]string
	for i := range 3 {
		recs := readCSV(t, wgmlbeam.ShardName(c.out, i, 3))
		if !slices.Equal(recs[0], []string{"index", "score", "is_outlier", "probability"}) {
			t.Fatalf("header %v", recs[0])
		}
		got = append(got, recs[1:]...)
	}
	if len(got) != len(scores) {
		t.Fatalf("%d rows scored, want %d", len(got), len(scores))
	}
	for _, r := range got {
		i, _ := strconv.Atoi(r[0])
		flag := "0"
		if scores[i] > m.Threshold {
			flag = "1"
		}
		want := []string{r[0], strconv.FormatFloat(scores[i], 'g', 8, 64), flag, strconv.FormatFloat(m.Scaler.Probability(scores[i]), 'g', 6, 64)}
		if !slices.Equal(r, want) {
			t.Errorf("row %v, want %v", r, want)
		}
	}
}

// TestTrainPerKeyCommand: wgml-beam train-per-key on three segments writes
// three checkpoints that wgml.Load (wgml score's loader) loads, and a
// summary row for each.
func TestTrainPerKeyCommand(t *testing.T) {
	dir := t.TempDir()
	c := &trainCmd{ioFlags: ioFlags{data: writeTable(t, dir, 60), keyCol: "seg", out: filepath.Join(dir, "models")}, layers: "2", minRows: 2, opt: wgml.Options{Epochs: 2, Seed: 4}}
	p, s := beam.NewPipelineWithRoot()
	if err := c.build(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	ptest.RunAndValidate(t, p)
	recs := readCSV(t, wgmlbeam.ShardName(filepath.Join(c.out, "summary"), 0, 1))
	if len(recs) != 4 {
		t.Fatalf("summary %v: want a header and 3 rows", recs)
	}
	for _, r := range recs[1:] {
		if r[6] != wgmlbeam.CheckpointPath(c.out, r[0]) || r[1] != "20" {
			t.Errorf("summary row %v: want 20 rows and the checkpoint %s", r, wgmlbeam.CheckpointPath(c.out, r[0]))
		}
		if _, err := wgml.Load(r[6], nil); err != nil {
			t.Errorf("%s: %v", r[0], err)
		}
	}
}

// TestMissingModel: a missing checkpoint fails while the pipeline is
// built, with one line naming it (run parses the flags; the only test that
// calls it, since it registers them on the process's flag set).
func TestMissingModel(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.safetensors")
	err := run([]string{"score", "--model", missing, "--data", writeTable(t, dir, 3), "--out", filepath.Join(dir, "s")}, io.Discard)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), missing) {
		t.Fatalf("run = %v, want one line naming %s", err, missing)
	}
	if _, err := os.Stat(wgmlbeam.ShardName(filepath.Join(dir, "s"), 0, 1)); !os.IsNotExist(err) {
		t.Errorf("a failed build wrote output: %v", err)
	}
}

// fitScored trains a small model on the table at path, saves it in dir and
// returns it, its checkpoint and the library's scores of the same file
// (the path of wgml score).
func fitScored(t *testing.T, dir, path string) (m *wgml.Model, ckpt string, scores []float64) {
	t.Helper()
	m, _, err := wgml.FitFile(path, data.OpenOptions{}, wgml.Options{Layers: []int{2}, Epochs: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ckpt = filepath.Join(dir, "model.safetensors")
	if err := m.Save(ckpt); err != nil {
		t.Fatal(err)
	}
	if scores, _, err = m.ScoreFile(path); err != nil {
		t.Fatal(err)
	}
	return m, ckpt, scores
}
