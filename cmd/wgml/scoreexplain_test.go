package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/internal/pngtest"
	"github.com/wgml/wgml/nn"
)

// TestSelectAndExplain trains a table with a validation split and early
// stopping, then scores it by each threshold method with per-feature
// errors: the operating-point line, the probability column, 4 err_ columns
// whose sum is the row's score, and top_features naming the corrupted
// column.
func TestSelectAndExplain(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		var b strings.Builder
		b.WriteString("a,b,c,d,kind\n")
		for i := range n {
			u := float64(i%17) / 17 * 10
			r := []float64{u, 2*u + 100, -u, 0.5 * u}
			kind := "normal"
			if i%5 == 4 {
				r[2], kind = r[2]+30, "odd" // only c is off the line
			}
			fmt.Fprintf(&b, "%g,%g,%g,%g,%s\n", r[0], r[1], r[2], r[3], kind)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	train, test := write("train.csv", 200), write("test.csv", 50)
	run := filepath.Join(dir, "m")
	out := outlierCLI(t, 0, "train", "--data", train, "--test", test, "--label-col", "kind", "--normal-class", "normal",
		"--layers", "4,8,2", "--epochs", "500", "--batch", "16", "--lr", "0.01", "--backend", "cpu", "--out", run,
		"--val-frac", "0.25", "--patience", "3", "--lr-schedule", "step:20:0.5", "--threshold-on", "val")
	if !strings.Contains(out, "120 train rows (+40 validation rows)") || !strings.Contains(out, "early stop at epoch ") || !strings.Contains(out, "40 validation rows' scores") {
		t.Fatalf("train with early stopping:\n%s", out)
	}
	best, err := nn.LoadCheckpoint(filepath.Join(run, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	last, err := nn.LoadCheckpoint(filepath.Join(run, lib.LastName))
	if err != nil {
		t.Fatal(err)
	}
	if best.BestEpoch == 0 || best.Epoch != best.BestEpoch || last.Epoch != best.BestEpoch+3 || best.Meta["threshold_on"] != "val" {
		t.Errorf("best checkpoint epoch %d (best_epoch %d), last epoch %d, threshold_on %q; want best + 3 = last, val",
			best.Epoch, best.BestEpoch, last.Epoch, best.Meta["threshold_on"])
	}
	if !fileExists(filepath.Join(run, "loss.png")) {
		t.Error("no loss.png")
	}
	ck := filepath.Join(run, "model.safetensors")
	for _, c := range []struct{ method, how string }{
		{"max-f1", "max-f1: the F1-optimal cut"}, {"fpr:0.1", "fpr:0.1: false-positive rate at most 0.1"},
		{"mad", "mad: median + 3·1.4826·MAD of 40 validation rows' scores"}, {"quantile", "fitted by train: the 0.9 quantile of 40 validation rows"},
	} {
		csvPath := filepath.Join(dir, c.method+".csv")
		out := outlierCLI(t, 0, "score", "--model", ck, "--backend", "cpu", "--threshold-method", c.method, "--per-feature", "--out", csvPath)
		if !strings.Contains(out, c.how) || !strings.Contains(out, "at the threshold: precision ") || !strings.Contains(out, " recall ") || !strings.Contains(out, " F1 ") {
			t.Errorf("%s:\n%s", c.method, out)
		}
		if fitted := strings.Contains(out, "fitted on these rows"); fitted != (c.method == "max-f1" || c.method == "fpr:0.1") {
			t.Errorf("%s: the optimistic-figure note is %v", c.method, fitted)
		}
		header, rows := readScores(t, csvPath)
		if got := strings.Join(header, ","); got != "index,score,is_outlier,label,probability,err_a,err_b,err_c,err_d,top_features" {
			t.Fatalf("%s: header %s", c.method, got)
		}
		for _, r := range rows {
			score, _ := strconv.ParseFloat(r[1], 64)
			p, _ := strconv.ParseFloat(r[4], 64)
			sum := 0.0
			for _, v := range r[5:9] {
				e, _ := strconv.ParseFloat(v, 64)
				sum += e
			}
			if !(p >= 0 && p <= 1) || diff(sum, score) > 1e-4*max(1, score) {
				t.Fatalf("%s row %s: probability %v, errors sum %v, score %v", c.method, r[0], p, sum, score)
			}
			if r[3] == "odd" && !strings.HasPrefix(r[9], "c;") {
				t.Errorf("%s row %s (c corrupted): top_features %q", c.method, r[0], r[9])
			}
		}
	}
}

// TestHeatmap writes the --heatmap PNG of a small image model: one row per
// image of input, reconstruction and error map.
func TestHeatmap(t *testing.T) {
	mn := smallMNIST(t)
	dir := t.TempDir()
	outlierCLI(t, 0, "train", "--data", mn, "--limit", "200", "--layers", "784,32,4", "--epochs", "1", "--batch", "50", "--backend", "cpu", "--out", dir)
	out := outlierCLI(t, 0, "score", "--model", filepath.Join(dir, "model.safetensors"), "--backend", "cpu", "--heatmap", "3", "--scale", "2")
	if !strings.Contains(out, "heatmap.png (the 3 highest-scoring rows") {
		t.Errorf("score --heatmap:\n%s", out)
	}
	b := pngtest.Read(t, filepath.Join(dir, "heatmap.png")).Bounds()
	if w, h := 2+3*(56+2), 2+3*(56+2); b.Dx() != w || b.Dy() != h {
		t.Errorf("heatmap %dx%d, want %dx%d", b.Dx(), b.Dy(), w, h)
	}
}

func diff(a, b float64) float64 { return max(a-b, b-a) }

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
