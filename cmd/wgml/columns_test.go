package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestColumnsAndParquet: an ID column stops training naming --drop;
// --drop leaves it out, and scoring the same file reads the columns the
// model was trained on; --columns keeps a subset; a Parquet file written by
// another implementation trains and scores.
func TestColumnsAndParquet(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,a,b,kind\n")
	for i := range 60 {
		fmt.Fprintf(&b, "u%d,%d.5,%d,%c\n", i, i%7, i%5, 'x'+rune(i%2))
	}
	path := filepath.Join(dir, "ids.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	common := []string{"--epochs", "1", "--batch", "8", "--backend", "cpu"}
	var out, errOut strings.Builder
	if code := run(append([]string{"train", "--data", path, "--out", filepath.Join(dir, "bad"), "--layers", "4,2"}, common...), &out, &errOut); code == 0 ||
		!strings.Contains(errOut.String(), `column "id": each of its 48 rows has its own value, an ID?: leave it out with --drop id`) {
		t.Fatalf("ID column: exit %d, stderr %q", code, errOut.String())
	}
	run1 := filepath.Join(dir, "drop")
	wgml(t, 0, append([]string{"train", "--data", path, "--drop", "id", "--out", run1, "--layers", "4,2"}, common...)...)
	wgml(t, 0, "score", "--model", filepath.Join(run1, "model.safetensors"), "--data", path, "--out", filepath.Join(dir, "s.csv"))
	run2 := filepath.Join(dir, "cols")
	wgml(t, 0, append([]string{"train", "--data", path, "--columns", "a,b", "--out", run2, "--layers", "2,1"}, common...)...)
	wgml(t, 1, "train", "--data", path, "--drop", "nope", "--out", filepath.Join(dir, "nope"))
	pq := filepath.Join("..", "..", "data", "testdata", "parquet", "mixed.parquet")
	run3 := filepath.Join(dir, "pq")
	wgml(t, 0, append([]string{"train", "--data", pq, "--label-col", "label", "--missing", "mask", "--out", run3, "--layers", "8,4,2"}, common...)...)
	if s := wgml(t, 0, "score", "--model", filepath.Join(run3, "model.safetensors"), "--out", filepath.Join(dir, "pq.csv")); !strings.Contains(s, "outliers:") {
		t.Errorf("parquet score: %s", s)
	}
}
