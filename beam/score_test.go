package wgmlbeam_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/wgml/wgml"
	wgmlbeam "github.com/wgml/wgml/beam"
	"github.com/wgml/wgml/data"
)

// trained writes a 300-row table without its segment column and trains
// a small AE on it with FitFile (as wgml train reads a CSV).
func trained(t *testing.T, dir string) (string, *wgml.Model) {
	t.Helper()
	path := newTable(300, 1, "s").write(t, dir, "train.csv", "seg", nil)
	m, _, err := wgml.FitFile(path, data.OpenOptions{}, wgml.Options{Layers: []int{4, 2}, Epochs: 3, Batch: 32, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "model.safetensors")
	if err := m.Save(ckpt); err != nil {
		t.Fatal(err)
	}
	if m, err = wgml.Load(ckpt, nil); err != nil {
		t.Fatal(err)
	}
	return ckpt, m
}

// TestScoreEqualsLibrary: the pipeline's scores, flags, probabilities and
// codes of every row are bit-equal to the library's ScoreFile (the path of
// wgml score) and Encode on the whole file, though the pipeline scores
// them in batches of 37 in any order.
func TestScoreEqualsLibrary(t *testing.T) {
	dir := t.TempDir()
	ckpt, m := trained(t, dir)
	path := newTable(250, 2, "s").write(t, dir, "rows.csv", "seg", nil)
	scores, d, err := m.ScoreFile(path)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := m.Encode(tableRows(d))
	if err != nil {
		t.Fatal(err)
	}
	flags, _ := wgml.Outliers(scores, m.Threshold)
	var wantScores, wantCodes []any
	for i, s := range scores {
		wantScores = append(wantScores, wgmlbeam.Scored{File: path, Pos: int64(i), Score: s, Outlier: flags[i], Probability: m.Scaler.Probability(s)})
		wantCodes = append(wantCodes, wgmlbeam.Encoded{File: path, Pos: int64(i), Code: codes[i]})
	}

	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	bm, err := wgmlbeam.OpenModel(ctx, ckpt)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := wgmlbeam.OpenCSV(ctx, path, wgmlbeam.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows, unread := tab.Read(s)
	got, dead, err := wgmlbeam.Score(s, bm, tab, rows, wgmlbeam.ScoreOptions{Batch: 37})
	if err != nil {
		t.Fatal(err)
	}
	gotCodes, deadCodes, err := wgmlbeam.Encode(s, bm, tab, rows, wgmlbeam.ScoreOptions{Batch: 37})
	if err != nil {
		t.Fatal(err)
	}
	passert.Equals(s, got, wantScores...)
	passert.Equals(s, gotCodes, wantCodes...)
	passert.Empty(s, beam.Flatten(s, unread, dead, deadCodes))
	ptest.RunAndValidate(t, p)
}

// tableRows is the rows of d as float64s.
func tableRows(d *data.Dataset) [][]float64 {
	rows := make([][]float64, d.Rows)
	buf := make([]float32, d.Cols)
	for i := range rows {
		d.Row(i, buf)
		for _, v := range buf {
			rows[i] = append(rows[i], float64(v))
		}
	}
	return rows
}

// TestScoreDeadLetters: rows of the wrong width, with text in a numeric
// column, a missing value or an unparsable quote go to the dead letters
// with their file and line, while every other row is scored as the
// library scores a file of the good rows alone; a category the model never
// saw is scored (as wgml score does), not dead.
func TestScoreDeadLetters(t *testing.T) {
	dir := t.TempDir()
	ckpt, m := trained(t, dir)
	tab := newTable(40, 4, "s")
	good := tab.write(t, dir, "good.csv", "seg", nil)
	appendLines(t, good, "0.5,0.25,0.75,1,zzz") // an unseen category: scored
	scores, _, err := m.ScoreFile(good)
	if err != nil {
		t.Fatal(err)
	}
	path := tab.write(t, dir, "rows.csv", "seg", nil)
	appendLines(t, path,
		"0.5,0.25,0.75,1,zzz", // line 42: good
		"1,2,3",               // 43: 3 fields
		"1,abc,3,4,p",         // 44: text in a numeric column
		"1,,3,4,q",            // 45: a missing value
		`1,2,3,4,"p`,          // 46: a quote left open to the end
	)
	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	bm, err := wgmlbeam.OpenModel(ctx, ckpt)
	if err != nil {
		t.Fatal(err)
	}
	in, err := wgmlbeam.OpenCSV(ctx, path, wgmlbeam.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows, unread := in.Read(s)
	got, dead, err := wgmlbeam.Score(s, bm, in, rows, wgmlbeam.ScoreOptions{Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	var want []any
	for _, sc := range scores {
		want = append(want, sc)
	}
	passert.Equals(s, beam.ParDo(s, scoreOf, got), want...)
	out := filepath.Join(dir, "dead")
	wgmlbeam.WriteCSV(s, out, 1, wgmlbeam.DeadCSV(s, beam.Flatten(s, unread, dead)))
	ptest.RunAndValidate(t, p)

	recs := readCSV(t, wgmlbeam.ShardName(out, 0, 1))
	if !slices.Equal(recs[0], []string{"file", "line", "key", "reason"}) {
		t.Fatalf("dead-letter header %v", recs[0])
	}
	wantReasons := map[string]string{"43": "3 fields, want 5", "44": `column "b"`, "45": `column "b"`, "46": "quote"}
	if len(recs)-1 != len(wantReasons) {
		t.Errorf("%d dead letters, want %d: %v", len(recs)-1, len(wantReasons), recs[1:])
	}
	for _, r := range recs[1:] {
		sub, ok := wantReasons[r[1]]
		if !ok || r[0] != path || !strings.HasPrefix(r[3], path+":"+r[1]+":") || !strings.Contains(r[3], sub) {
			t.Errorf("dead letter %q: want file %s, one of lines 43-46, a reason naming %s:LINE and %q", r, path, path, sub)
		}
	}
}

func scoreOf(s wgmlbeam.Scored) float64 { return s.Score }

func init() {
	beam.RegisterFunction(scoreOf)
}

// TestOpenModelMissing: a missing or unreadable checkpoint fails when the
// pipeline is built, with one line naming it.
func TestOpenModelMissing(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.safetensors")
	if err := os.WriteFile(garbage, []byte("not a checkpoint"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "none.safetensors"), garbage} {
		_, err := wgmlbeam.OpenModel(context.Background(), path)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), path) {
			t.Errorf("OpenModel(%s) = %v, want one line naming the path", path, err)
		}
	}
}
