// Command loadtest measures `wgml serve` under load, on loopback only and
// bounded in time: it starts the server on a checkpoint, runs N clients that
// post rows of the model's test data to /v1/score for T seconds, and
// prints rows/s, requests/s, p50/p99 latency, errors, the server's RSS
// before and after, and its backend passes — beside the rows/s of
// `wgml score` on the same rows (the command, start to end) and of the
// library's Model.Score in this process (the compute ceiling).
//
//	go run ./bench/loadtest --model runs/ae-mnist/model.safetensors --clients 8 --duration 10s
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
)

// maxDuration bounds a run, so that the script can never hold the machine.
const maxDuration = time.Minute

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "loadtest: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	ckpt := flag.String("model", "runs/ae-mnist/model.safetensors", "checkpoint to serve")
	spec := flag.String("data", "", "rows to send: the model's test data as wgml score reads it (default: the data the checkpoint was trained on)")
	bin := flag.String("wgml", "", "the wgml binary (default: go build ./cmd/wgml into a temporary folder)")
	clients := flag.Int("clients", 8, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "how long the clients post (at most 1m)")
	perRequest := flag.Int("rows-per-request", 1, "rows in each request")
	serveFlags := flag.String("serve-flags", "--backend cpu", "more flags for wgml serve")
	flag.Parse()
	if *duration <= 0 || *duration > maxDuration || *clients < 1 || *perRequest < 1 {
		return fmt.Errorf("want 0 < --duration <= %v, --clients >= 1, --rows-per-request >= 1", maxDuration)
	}
	tmp, err := os.MkdirTemp("", "wgml-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	m, err := wgml.Load(*ckpt, nil)
	if err != nil {
		return err
	}
	t, err := testRows(m, *spec, tmp)
	if err != nil {
		return err
	}
	if *bin == "" {
		if *bin, err = build(tmp); err != nil {
			return err
		}
	}
	fmt.Printf("model %s, %d rows of %d values (%s); %d clients × %v, %d rows per request\n",
		*ckpt, len(t.rows), len(t.rows[0]), t.spec, *clients, *duration, *perRequest)
	cmdRate, err := commandRate(*bin, *ckpt, t.scoreSpec, t.scoreRows, tmp)
	if err != nil {
		return err
	}
	rows := t.rows
	libRate, err := libraryRate(m, rows)
	if err != nil {
		return err
	}
	srv, err := startServer(*bin, *ckpt, strings.Fields(*serveFlags))
	if err != nil {
		return err
	}
	res, err := load(srv, rows, *clients, *perRequest, *duration)
	if err != nil {
		srv.kill()
		return err
	}
	if err := srv.stop(); err != nil {
		return err
	}
	res.print(cmdRate, libRate)
	if res.errors > 0 {
		return fmt.Errorf("%d requests failed", res.errors)
	}
	return nil
}

// minScoreRows is the fewest rows the wgml score baseline scores, so that
// its rows/s measures scoring more than starting the process.
const minScoreRows = 20000

// testSet is the rows to send and what the wgml score baseline scores.
type testSet struct {
	rows      [][]float64 // the test rows, as float64
	spec      string      // the data set they come from
	scoreSpec string      // the data wgml score reads: spec, or a CSV of the rows repeated
	scoreRows int
}

// testRows reads the rows wgml score would score for the model m (the
// test split of its data, or of spec: Model.TestRows). A table's rows are
// written again, repeated to at least minScoreRows rows, into a CSV in tmp
// for the wgml score baseline.
func testRows(m *wgml.Model, spec, tmp string) (*testSet, error) {
	if spec == "" {
		spec = m.Card().Data.Spec
	}
	d, err := m.TestRows(spec)
	if err != nil {
		return nil, err
	}
	if d.Mask != nil {
		return nil, errors.New(spec + " has missing values: JSON rows cannot carry them; pick complete rows")
	}
	t := &testSet{rows: make([][]float64, d.Rows), spec: d.Name, scoreSpec: spec, scoreRows: d.Rows}
	row := make([]float32, d.Cols)
	for i := range t.rows {
		d.Row(i, row)
		t.rows[i] = make([]float64, d.Cols)
		for j, v := range row {
			t.rows[i][j] = float64(v)
		}
	}
	if d.Schema != nil && d.Rows < minScoreRows {
		t.scoreSpec = filepath.Join(tmp, "rows.csv")
		t.scoreRows, err = repeatCSV(t.scoreSpec, d, m.Card().Data.Open.CSV.LabelCol)
	}
	return t, err
}

// repeatCSV writes the rows of table d, repeated to at least minScoreRows,
// as a CSV of its original columns and the label column named label, and
// returns the number of rows written.
func repeatCSV(path string, d *data.Dataset, label string) (int, error) {
	header := d.Schema.Names()
	if label != "" {
		header = append(header, label)
	}
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	row := make([]float32, d.Cols)
	n := 0
	for ; n < minScoreRows; n += d.Rows {
		for i := range d.Rows {
			d.Row(i, row)
			fields := d.Schema.Decode(row)
			if label != "" {
				fields = append(fields, labelText(d, i))
			}
			b.WriteString(strings.Join(fields, ",") + "\n")
		}
	}
	return n, os.WriteFile(path, []byte(b.String()), 0o644)
}

// labelText is row i's label as the file held it.
func labelText(d *data.Dataset, i int) string {
	if d.Classes != nil {
		return d.Classes[d.Labels[i]]
	}
	return strconv.Itoa(d.Labels[i])
}

// build compiles the wgml command into dir.
func build(dir string) (string, error) {
	bin := filepath.Join(dir, "wgml")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/wgml")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/wgml (run from the repository root): %w", err)
	}
	return bin, nil
}

// commandRate is `wgml score`'s rows per second on the rows of spec,
// process start to end (loading the model and reading the data included).
func commandRate(bin, ckpt, spec string, rows int, tmp string) (float64, error) {
	start := time.Now()
	cmd := exec.Command(bin, "score", "--model", ckpt, "--data", spec, "--backend", "cpu", "--out", filepath.Join(tmp, "scores.csv"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("wgml score: %v\n%s", err, out)
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

// libraryRate is m.Score's rows per second on rows in this process, over
// at least a second of repeated passes.
func libraryRate(m *wgml.Model, rows [][]float64) (float64, error) {
	n := 0
	start := time.Now()
	for time.Since(start) < time.Second {
		if _, err := m.Score(rows); err != nil {
			return 0, err
		}
		n += len(rows)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
