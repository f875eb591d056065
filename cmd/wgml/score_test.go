package main

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/internal/pngtest"
	"github.com/wgml/wgml/nn"
)

// outlierCLI runs one wgml command line in-process and returns stdout; it
// fails the test unless the exit status is want.
func outlierCLI(t *testing.T, want int, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(args, &out, &errOut); code != want {
		t.Fatalf("wgml %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out.String(), errOut.String())
	}
	return out.String()
}

var mnistOnce struct {
	sync.Once
	train, test *data.Dataset
	err         error
}

// smallMNIST writes the first 1000 training and 400 test images of MNIST as
// IDX files into a fresh folder and returns it: the commands read it much
// faster than all of MNIST (which is read once per test binary).
func smallMNIST(t *testing.T) string {
	t.Helper()
	mnistOnce.Do(func() {
		train, test, err := data.Open("mnist", data.OpenOptions{})
		if err != nil {
			mnistOnce.err = err
			return
		}
		mnistOnce.train, mnistOnce.test = train.Limit(1000), test.Limit(400)
	})
	if mnistOnce.err != nil {
		t.Fatal(mnistOnce.err)
	}
	dir := t.TempDir()
	for _, f := range []struct {
		prefix string
		d      *data.Dataset
	}{{"train", mnistOnce.train}, {"t10k", mnistOnce.test}} {
		d := f.d
		images := idxFile([]int{d.Rows, d.Height, d.Width}, d.Bytes)
		labels := make([]byte, d.Rows)
		for i, l := range d.Labels {
			labels[i] = byte(l)
		}
		if err := os.WriteFile(filepath.Join(dir, f.prefix+"-images-idx3-ubyte"), images, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.prefix+"-labels-idx1-ubyte"), idxFile([]int{d.Rows}, labels), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// plantOutliers returns a copy of the smallMNIST folder dir whose test
// images 0, 10, 20, ... are inverted (255-x) and labelled 1, the others
// labelled 0.
func plantOutliers(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	for _, name := range []string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := mnistOnce.test
	images, labels := append([]byte(nil), d.Bytes...), make([]byte, d.Rows)
	size := d.Height * d.Width
	for i := 0; i < d.Rows; i += 10 {
		for j := i * size; j < (i+1)*size; j++ {
			images[j] = 255 - images[j]
		}
		labels[i] = 1
	}
	if err := os.WriteFile(filepath.Join(out, "t10k-images-idx3-ubyte"), idxFile([]int{d.Rows, d.Height, d.Width}, images), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "t10k-labels-idx1-ubyte"), idxFile([]int{d.Rows}, labels), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// idxFile encodes unsigned bytes of the given dimensions as an IDX file.
func idxFile(dims []int, values []byte) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, values...)
}

// readScores reads a scores.csv: header and rows.
func readScores(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil || len(all) == 0 {
		t.Fatalf("%s: %v (%d records)", path, err, len(all))
	}
	return all[0], all[1:]
}

// number finds the float after prefix in s (e.g. "threshold "), NaN if none.
func number(s, prefix string) float64 {
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `([-+0-9.eE]+|NaN|[+-]Inf)`).FindStringSubmatch(s)
	if m == nil {
		return math.NaN()
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestScoreDenoiseEndToEnd trains a de-noising AE for one epoch on a slice of
// MNIST, then scores the test rows in every threshold mode and de-noises them.
func TestScoreDenoiseEndToEnd(t *testing.T) {
	mn := smallMNIST(t)
	dir := t.TempDir()
	ck := filepath.Join(dir, "model.safetensors")
	out := outlierCLI(t, 0, "train", "--data", mn, "--limit", "500", "--test-limit", "200", "--epochs", "1", "--batch", "50",
		"--noise", "gaussian:0.5", "--contamination", "0.2", "--backend", "cpu", "--out", dir)
	if !strings.Contains(out, "outlier threshold: ") {
		t.Fatalf("train prints no outlier threshold:\n%s", out)
	}
	c, err := nn.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := strconv.ParseFloat(c.Meta["threshold"], 64)
	if err != nil || c.Meta["contamination"] != "0.2" || c.Meta["score"] != "recon" || c.Meta["threshold_rows"] != "500" {
		t.Fatalf("checkpoint metadata: threshold %q (%v), contamination %q, score %q, rows %q", c.Meta["threshold"], err, c.Meta["contamination"], c.Meta["score"], c.Meta["threshold_rows"])
	}

	// The stored threshold flags about 20% of the training rows.
	out = outlierCLI(t, 0, "score", "--model", ck, "--split", "train", "--data", mn, "--limit", "500", "--backend", "cpu", "--out", filepath.Join(dir, "train.csv"))
	if n := number(out, "outliers: "); n != 100 {
		t.Errorf("training rows above the 0.8 quantile: %v, want 100 of 500\n%s", n, out)
	}

	// Test rows with planted outliers (inverted digits, label 1; the rest
	// label 0): the CSV agrees with the threshold, and the AUROC of the
	// planted rows is high.
	out = outlierCLI(t, 0, "score", "--model", ck, "--data", plantOutliers(t, mn), "--test-limit", "200", "--backend", "cpu", "--outlier-label", "1")
	if got := number(out, "threshold "); math.Abs(got-stored) > 1e-5*stored {
		t.Errorf("score used threshold %v, train stored %v", got, stored)
	}
	auroc := number(out, "AUROC ")
	if !(auroc > 0.9) || !strings.Contains(out, "positive: label 1,") {
		t.Errorf("AUROC of the planted outliers (label 1) %v, want > 0.9:\n%s", auroc, out)
	}
	header, rows := readScores(t, filepath.Join(dir, "scores.csv"))
	if strings.Join(header, ",") != "index,score,is_outlier,label,probability" || len(rows) != 200 {
		t.Fatalf("scores.csv: header %v, %d rows; want index,score,is_outlier,label,probability and 200", header, len(rows))
	}
	flagged, scores, pos := 0, make([]float64, len(rows)), make([]bool, len(rows))
	for i, r := range rows {
		s, _ := strconv.ParseFloat(r[1], 64)
		scores[i], pos[i] = s, r[3] == "1"
		if (r[2] == "1") != (s > stored) || r[0] != strconv.Itoa(i) {
			t.Fatalf("scores.csv row %d: %v with threshold %v", i, r, stored)
		}
		if r[2] == "1" {
			flagged++
		}
	}
	if n := number(out, "outliers: "); int(n) != flagged {
		t.Errorf("printed %v outliers, the CSV flags %d", n, flagged)
	}
	if want, _ := lib.AUROC(scores, pos); math.Abs(want-auroc) > 1e-4 {
		t.Errorf("printed AUROC %v, the CSV's scores give %v", auroc, want)
	}

	// Overrides: --threshold and --contamination (refitted on training rows).
	out = outlierCLI(t, 0, "score", "--model", ck, "--test-limit", "200", "--backend", "cpu", "--threshold", "1e9")
	if n := number(out, "outliers: "); n != 0 {
		t.Errorf("--threshold 1e9 flags %v rows", n)
	}
	out = outlierCLI(t, 0, "score", "--model", ck, "--data", mn, "--limit", "500", "--split", "train", "--backend", "cpu", "--contamination", "0.5", "--out", filepath.Join(dir, "half.csv"))
	if n := number(out, "outliers: "); n != 250 || !strings.Contains(out, "0.5 quantile of 500 training rows") {
		t.Errorf("--contamination 0.5 on its own training rows: %v outliers, want 250\n%s", n, out)
	}

	// Usage errors.
	outlierCLI(t, 2, "score", "--model", ck, "--threshold", "1", "--contamination", "0.1")
	outlierCLI(t, 2, "score", "--model", ck, "--contamination", "1.5")
	outlierCLI(t, 2, "score", "--model", ck, "--test-limit", "20", "--backend", "cpu", "--score", "elbo")
	outlierCLI(t, 2, "score", "--model", ck, "--test-limit", "20", "--backend", "cpu", "--outlier-label", "seven")
	outlierCLI(t, 2, "denoise", "--model", ck, "--noise", "blur:3")
	outlierCLI(t, 1, "score", "--model", filepath.Join(dir, "missing.safetensors"))

	// De-noising: PSNR before and after, and the noisy / de-noised / clean grid.
	grid := filepath.Join(dir, "grid.png")
	out = outlierCLI(t, 0, "denoise", "--model", ck, "--test-limit", "200", "--backend", "cpu", "--noise", "gaussian:0.5", "--show", "4", "--out", grid)
	noisy, denoised := number(out, "noisy "), number(out, "de-noised ")
	// Clipped gaussian noise of σ 0.5 on MNIST is about 9 dB; one epoch of
	// training on 500 images already helps.
	if !(noisy > 7 && noisy < 11) || !(denoised > noisy) {
		t.Errorf("PSNR noisy %v dB, de-noised %v dB: want about 9 dB and better\n%s", noisy, denoised, out)
	}
	img := pngtest.Read(t, grid)
	// 4 columns and 3 rows of 28x28 tiles at scale 2, 2-pixel gaps.
	if b := img.Bounds(); b.Dx() != 2+4*58 || b.Dy() != 2+3*58 {
		t.Errorf("grid is %dx%d, want %dx%d", b.Dx(), b.Dy(), 2+4*58, 2+3*58)
	}
}

// TestOneClass trains on one digit only and scores the whole test slice
// with every other digit as the positive class.
func TestOneClass(t *testing.T) {
	mn := smallMNIST(t)
	dir := t.TempDir()
	ck := filepath.Join(dir, "model.safetensors")
	ones := 0
	for _, l := range mnistOnce.train.Labels {
		if l == 1 {
			ones++
		}
	}
	out := outlierCLI(t, 0, "train", "--data", mn, "--normal-class", "1", "--epochs", "5", "--batch", "16", "--lr", "0.003",
		"--layers", "784,64,8", "--backend", "cpu", "--out", dir)
	if !strings.Contains(out, fmt.Sprintf(": %d train rows, 400 test rows", ones)) {
		t.Errorf("train with --normal-class 1: want %d training rows and the whole test set\n%s", ones, out)
	}
	out = outlierCLI(t, 0, "score", "--model", ck, "--backend", "cpu")
	auroc := number(out, "AUROC ")
	// Ones are the easiest digit to reconstruct: anything else scores higher.
	if !strings.Contains(out, "positive: label != 1,") || !(auroc > 0.8) {
		t.Errorf("one-class AUROC %v, want > 0.8 with positives label != 1\n%s", auroc, out)
	}
	outlierCLI(t, 2, "train", "--data", mn, "--normal-class", "ten", "--epochs", "1", "--backend", "cpu", "--out", dir)
	outlierCLI(t, 2, "train", "--data", mn, "--normal-class", "11", "--epochs", "1", "--backend", "cpu", "--out", dir)
	outlierCLI(t, 2, "train", "--data", mn, "--contamination", "-0.1", "--epochs", "1", "--backend", "cpu", "--out", dir)
}

// TestScoreVAE scores with a VAE's reconstruction and its negative ELBO.
func TestScoreVAE(t *testing.T) {
	mn := smallMNIST(t)
	dir := t.TempDir()
	ck := filepath.Join(dir, "model.safetensors")
	outlierCLI(t, 0, "train", "--model", "vae", "--layers", "784,64,4", "--data", mn, "--limit", "500", "--epochs", "1", "--batch", "50", "--backend", "cpu", "--out", dir)
	c, err := nn.LoadCheckpoint(ck)
	if err != nil {
		t.Fatal(err)
	}
	if c.Meta["threshold"] == "" || c.Meta["threshold_elbo"] == "" {
		t.Fatalf("VAE checkpoint: threshold %q, threshold_elbo %q", c.Meta["threshold"], c.Meta["threshold_elbo"])
	}
	recon := outlierCLI(t, 0, "score", "--model", ck, "--backend", "cpu", "--out", filepath.Join(dir, "recon.csv"))
	elbo := outlierCLI(t, 0, "score", "--model", ck, "--backend", "cpu", "--score", "elbo", "--out", filepath.Join(dir, "elbo.csv"))
	tr, te := number(recon, "threshold "), number(elbo, "threshold ")
	want, _ := strconv.ParseFloat(c.Meta["threshold_elbo"], 64)
	if !(te > tr) || math.Abs(te-want) > 1e-5*want {
		t.Errorf("thresholds: recon %v, elbo %v (stored %v): want elbo = stored > recon", tr, te, want)
	}
	_, r := readScores(t, filepath.Join(dir, "recon.csv"))
	_, e := readScores(t, filepath.Join(dir, "elbo.csv"))
	for i := range r {
		a, _ := strconv.ParseFloat(r[i][1], 64)
		b, _ := strconv.ParseFloat(e[i][1], 64)
		if !(b > a) { // KL > 0
			t.Fatalf("row %d: elbo score %v not above recon %v", i, b, a)
		}
	}
}

// TestTableOutliers runs a CSV with a class-name label column through
// train (one class), score, encode and denoise.
func TestTableOutliers(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int, seed uint64) string {
		var b strings.Builder
		b.WriteString("a,b,c,d,kind\n")
		for i := range n {
			// Normal rows lie on a line in 4-D; every 5th row is off it.
			u := float64(i%17)/17*10 + float64(seed)
			r := []float64{u, 2*u + 100, -u, 0.5 * u}
			kind := "normal"
			if i%5 == 4 {
				r[1], r[2], kind = -r[1]+50, r[2]+7, "odd"
			}
			fmt.Fprintf(&b, "%g,%g,%g,%g,%s\n", r[0], r[1], r[2], r[3], kind)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	train, test := write("train.csv", 200, 0), write("test.csv", 50, 1)
	ck := filepath.Join(dir, "m", "model.safetensors")
	out := outlierCLI(t, 0, "train", "--data", train, "--test", test, "--label-col", "kind", "--normal-class", "normal",
		"--layers", "4,8,2", "--epochs", "30", "--batch", "16", "--lr", "0.01", "--backend", "cpu", "--out", filepath.Dir(ck))
	if !strings.Contains(out, "160 train rows, 50 test rows") {
		t.Errorf("want the 160 normal training rows and all 50 test rows:\n%s", out)
	}
	data := []string{"--data", train, "--test", test, "--label-col", "kind", "--backend", "cpu"}
	out = outlierCLI(t, 0, append([]string{"score", "--model", ck}, data...)...)
	if auroc := number(out, "AUROC "); !strings.Contains(out, "positive: label != normal,") || !(auroc > 0.9) {
		t.Errorf("table AUROC %v, want > 0.9 with positive label != normal\n%s", auroc, out)
	}
	_, rows := readScores(t, filepath.Join(dir, "m", "scores.csv"))
	if len(rows) != 50 || rows[4][3] != "odd" || rows[0][3] != "normal" {
		t.Errorf("scores.csv: %d rows, labels %q %q; want 50 with class names", len(rows), rows[0][3], rows[4][3])
	}
	out = outlierCLI(t, 0, append([]string{"score", "--model", ck, "--outlier-label", "odd", "--out", filepath.Join(dir, "s2.csv")}, data...)...)
	if !strings.Contains(out, "positive: label odd, 10 of 50 rows") {
		t.Errorf("--outlier-label odd:\n%s", out)
	}
	outlierCLI(t, 0, append([]string{"encode", "--model", ck, "--plot", "none"}, data...)...)

	// De-noise: cleaned rows in data units, under the input's column names.
	out = outlierCLI(t, 0, append([]string{"denoise", "--model", ck, "--noise", "gaussian:0.3"}, data...)...)
	if !strings.Contains(out, "zscore-normalised units") {
		t.Errorf("denoise output:\n%s", out)
	}
	header, den := readScores(t, filepath.Join(dir, "m", "denoised.csv"))
	if strings.Join(header, ",") != "index,a,b,c,d,kind" || len(den) != 50 || den[49][0] != "49" {
		t.Fatalf("denoised.csv: header %v and %d rows", header, len(den))
	}
	// A normal row comes back near the input: b = 2a + 100 in data units.
	a, _ := strconv.ParseFloat(den[0][1], 64)
	b, _ := strconv.ParseFloat(den[0][2], 64)
	if math.Abs(b-(2*a+100)) > 5 || den[0][5] != "normal" {
		t.Errorf("denoised row 0 %v: want b ≈ 2a+100 (data units) and kind normal", den[0])
	}
}
