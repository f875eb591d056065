package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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
// of the same rows.
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
}

// TestEncodeDenoiseStreamPipe: wgml encode and denoise with --data -
// --out - write on stdout exactly the file their in-memory path writes
// for the same table (the cpu backend: bit-equal), and with --shard 0/1
// and a file --out the same file. The in-memory path is given the table as
// its --test file: it then takes every row in file order, where by
// default it holds out a shuffled test split.
func TestEncodeDenoiseStreamPipe(t *testing.T) {
	table, ck := streamTable(t)
	dir := t.TempDir()
	for _, c := range [][]string{{"encode", "--with-labels", "--plot", "none"}, {"denoise"}} {
		mem := filepath.Join(dir, c[0]+".csv")
		outlierCLI(t, 0, append(c, "--model", ck, "--data", table, "--test", table, "--out", mem, "--backend", "cpu")...)
		want, err := os.ReadFile(mem)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		withStdin(t, table, func() {
			got = outlierCLI(t, 0, c[0], "--model", ck, "--data", "-", "--out", "-", "--backend", "cpu")
		})
		if got != string(want) || strings.Count(got, "\n") != 201 {
			t.Errorf("wgml %s --data - --out -:\n%.300s\nin memory:\n%.300s", c[0], got, want)
		}
		shard := filepath.Join(dir, c[0]+"-shard.csv")
		outlierCLI(t, 0, c[0], "--model", ck, "--data", table, "--shard", "0/1", "--out", shard, "--backend", "cpu")
		if b, _ := os.ReadFile(shard); string(b) != string(want) {
			t.Errorf("wgml %s --shard 0/1 --out %s:\n%.300s\nin memory:\n%.300s", c[0], shard, b, want)
		}
	}
}

// TestStreamBadInput: for score, encode and denoise, --shard I/N out of
// range or malformed is a usage error naming the flag, a flag a stream
// cannot honour is refused by name, and a malformed row deep in the table
// answers in one line naming its line, after whole rows only on stdout
// and with no --out file at all.
func TestStreamBadInput(t *testing.T) {
	table, ck := streamTable(t)
	text, _ := os.ReadFile(table)
	broken := filepath.Join(t.TempDir(), "broken.csv")
	if err := os.WriteFile(broken, append(text, "1,2,red,zz\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	refused := map[string][]string{"score": {"--per-feature"}, "encode": {"--plot", "x.png"}, "denoise": {"--noise", "gaussian:0.1"}}
	for _, cmd := range []string{"score", "encode", "denoise"} {
		for _, bad := range []string{"3/2", "-1/2", "1/0", "x"} {
			var out, errOut bytes.Buffer
			code := run([]string{cmd, "--model", ck, "--data", table, "--shard", bad}, &out, &errOut)
			if e := errOut.String(); code != 2 || !strings.Contains(e, "shard") || strings.Count(e, "\n") != 1 || out.Len() > 0 {
				t.Errorf("%s --shard %s: exit %d, stderr %q, stdout %q; want 2 and one line naming shard", cmd, bad, code, e, out.String())
			}
		}
		var out, errOut bytes.Buffer
		code := run(append([]string{cmd, "--model", ck, "--data", table, "--out", "-"}, refused[cmd]...), &out, &errOut)
		if e := errOut.String(); code != 2 || !strings.Contains(e, refused[cmd][0][2:]) || out.Len() > 0 {
			t.Errorf("%s --out - %v: exit %d, stderr %q; want 2 naming the flag", cmd, refused[cmd], code, e)
		}
		out.Reset()
		errOut.Reset()
		withStdin(t, broken, func() {
			if code := run([]string{cmd, "--model", ck, "--data", "-", "--out", "-", "--backend", "cpu"}, &out, &errOut); code != 1 {
				t.Errorf("%s, malformed row: exit %d, want 1", cmd, code)
			}
		})
		if e := errOut.String(); !strings.Contains(e, ":202:") || strings.Count(e, "\n") != 1 || !strings.HasSuffix(out.String(), "\n") && out.Len() > 0 {
			t.Errorf("%s, malformed row: stderr %q, stdout %q; want one line naming line 202 and whole rows only", cmd, e, out.String())
		}
		path := filepath.Join(t.TempDir(), cmd+".csv")
		out.Reset()
		errOut.Reset()
		code = run([]string{cmd, "--model", ck, "--data", broken, "--shard", "0/1", "--out", path, "--backend", "cpu"}, &out, &errOut)
		if _, err := os.Stat(path); code != 1 || !strings.Contains(errOut.String(), "broken.csv:202:") || err == nil {
			t.Errorf("%s --out FILE, malformed row: exit %d, stderr %q, %s there: %v; want 1, the line named and no file", cmd, code, errOut.String(), path, err == nil)
		}
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

// TestStreamPipeClosedEarly: a reader that closes the pipe after the first
// line ends wgml score, encode and denoise --out - as head expects: the
// process dies of SIGPIPE at its next write, with nothing on stderr.
func TestStreamPipeClosedEarly(t *testing.T) {
	table, ck := streamTable(t)
	text, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	header, rows, _ := strings.Cut(string(text), "\n")
	big := filepath.Join(t.TempDir(), "big.csv") // 6 MB: two chunks, megabytes of output
	if err := os.WriteFile(big, []byte(header+"\n"+strings.Repeat(rows, 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"score", "encode", "denoise"} {
		c := exec.Command(wgmlBin, cmd, "--model", ck, "--data", big, "--out", "-", "--backend", "cpu")
		var errOut bytes.Buffer
		c.Stderr = &errOut
		stdout, err := c.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		line, rerr := bufio.NewReader(stdout).ReadString('\n')
		stdout.Close()
		err = c.Wait()
		var ee *exec.ExitError
		if rerr != nil || !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGPIPE || errOut.Len() > 0 {
			t.Errorf("wgml %s | head -1: read %q (%v), exit %v, stderr %q; want a header, death by SIGPIPE and no message", cmd, line, rerr, err, errOut.String())
		}
	}
}
