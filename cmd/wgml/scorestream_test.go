package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	lib "github.com/wgml/wgml"
)

// streamTable writes a table with a categorical column and gaps, trains a
// small model on it and returns the table and the checkpoint.
func streamTable(t *testing.T) (table, ck string) {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,color,c\n")
	for i := range 200 {
		a, c := fmt.Sprint(float64(i%13)/3), fmt.Sprint(float64(i%7)-2)
		if i%11 == 3 {
			a = "" // a gap
		}
		fmt.Fprintf(&b, "%s,%g,%s,%s\n", a, float64(i%5)*1.5, []string{"red", "green", "blue"}[i%3], c)
	}
	table = filepath.Join(dir, "t.csv")
	if err := os.WriteFile(table, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ck = filepath.Join(dir, "m", "model.safetensors")
	outlierCLI(t, 0, "train", "--data", table, "--missing", "mask", "--layers", "6,4,2", "--epochs", "3", "--batch", "16", "--backend", "cpu", "--out", filepath.Dir(ck))
	return table, ck
}

// withStdin runs f with os.Stdin reading path.
func withStdin(t *testing.T, path string, f func()) {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	old := os.Stdin
	os.Stdin = in
	defer func() { os.Stdin = old }()
	f()
}

// TestScoreStreamPipe: wgml score --data - --out - reads the table on
// stdin and writes on stdout exactly the scores CSV of ScoreFile's scores
// of the same rows; --shard I/N out of range or malformed is a usage error
// naming the flag; a malformed row answers in one line with its line.
func TestScoreStreamPipe(t *testing.T) {
	table, ck := streamTable(t)
	m, err := lib.Load(ck, nil)
	if err != nil {
		t.Fatal(err)
	}
	scores, _, err := m.ScoreFile(table)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(lib.ScoreHeader(false), ",") + "\n"
	for i, s := range scores {
		row := lib.ScoreRow{Index: i, Score: s, Outlier: s > m.Threshold, Probability: m.Scaler.Probability(s)}
		want += strings.Join(row.Append(nil), ",") + "\n"
	}
	var got string
	withStdin(t, table, func() {
		got = outlierCLI(t, 0, "score", "--model", ck, "--data", "-", "--out", "-", "--backend", "cpu")
	})
	if got != want {
		t.Fatalf("stdout:\n%.300s\nwant:\n%.300s", got, want)
	}
	for _, bad := range []string{"3/2", "-1/2", "1/0", "x"} {
		var out, errOut bytes.Buffer
		code := run([]string{"score", "--model", ck, "--data", table, "--shard", bad}, &out, &errOut)
		if e := errOut.String(); code != 2 || !strings.Contains(e, "shard") || strings.Count(e, "\n") != 1 || out.Len() > 0 {
			t.Errorf("--shard %s: exit %d, stderr %q, stdout %q; want 2 and one line naming shard", bad, code, e, out.String())
		}
	}
	text, _ := os.ReadFile(table)
	broken := filepath.Join(t.TempDir(), "broken.csv")
	if err := os.WriteFile(broken, append(text, "1,2,red,zz\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	withStdin(t, broken, func() {
		if code := run([]string{"score", "--model", ck, "--data", "-", "--out", "-", "--backend", "cpu"}, &out, &errOut); code != 1 {
			t.Errorf("malformed row: exit %d, want 1", code)
		}
	})
	if e := errOut.String(); !strings.Contains(e, ":202:") || strings.Count(e, "\n") != 1 || !strings.HasSuffix(out.String(), "\n") && out.Len() > 0 {
		t.Errorf("malformed row: stderr %q, stdout %q; want one line naming line 202 and whole rows only", e, out.String())
	}
}

// TestScoreStreamShardsFile: --shard with a file --out writes it whole
// (atomically), and shards 0/2 and 1/2 of a one-chunk table split it as
// 0/1 takes it: every row, once.
func TestScoreStreamShardsFile(t *testing.T) {
	table, ck := streamTable(t)
	dir := t.TempDir()
	rows := map[string]int{}
	for _, s := range []string{"0/1", "0/2", "1/2"} {
		path := filepath.Join(dir, strings.ReplaceAll(s, "/", "of")+".csv")
		outlierCLI(t, 0, "score", "--model", ck, "--data", table, "--shard", s, "--out", path, "--backend", "cpu")
		_, r := readScores(t, path)
		rows[s] = len(r)
	}
	if rows["0/1"] != 200 || rows["0/2"]+rows["1/2"] != 200 {
		t.Fatalf("rows by shard %v: want 200 for 0/1 and 0/2 + 1/2 = 200", rows)
	}
}
