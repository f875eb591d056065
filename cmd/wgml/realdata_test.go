package main

// Real data in (issue 11): a mixed table with missing values, an image
// folder of PNGs in class subfolders and a .npy array, each trained and
// used end to end by the wgml binary TestMain built.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"
)

// irisMessy is the mixed table in testdata: ; separated, a text column,
// empty fields, NA and ?.
var irisMessy, _ = filepath.Abs(filepath.Join("..", "..", "testdata", "iris_messy", "iris.csv"))

// npyBytes encodes a C-order .npy (version 1.0) of descr ('<f4', '<f8',
// '|u1', '<i8') and shape holding data, already in descr's bytes.
func npyBytes(descr string, shape []int, data []byte) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, tuple)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
	return append(append(b, h...), data...)
}

// npyFloats is a (rows, cols) float32 .npy of smooth values.
func npyFloats(rows, cols int) []byte {
	var data []byte
	for i := range rows {
		for j := range cols {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(math.Sin(float64(i*cols+j)*0.3))))
		}
	}
	return npyBytes("<f4", []int{rows, cols}, data)
}

// npyLabels is an int64 .npy vector of n labels 0, 1, 0, …
func npyLabels(n int) []byte {
	var data []byte
	for i := range n {
		data = binary.LittleEndian.AppendUint64(data, uint64(i%2))
	}
	return npyBytes("<i8", []int{n}, data)
}

// pngBytes draws a w×h RGB picture: class 0 a bright red diagonal band,
// class 1 a blue blob, shifted by k so that no two are alike.
func pngBytes(w, h, class, k int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{A: 255, G: uint8(20 * k % 256)}
			if class == 0 && (x+y+k)%w < 3 {
				c.R = 230
			}
			if class == 1 && (x-w/2)*(x-w/2)+(y-h/2-k%3)*(y-h/2-k%3) < w*h/8 {
				c.B = 220
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// imageFolder is a folder dir of n PNGs of w×h in each of the class
// subfolders "circle" and "stripe".
func imageFolder(dir string, n, w, h int) map[string][]byte {
	files := map[string][]byte{}
	for k := range n {
		files[filepath.Join(dir, "stripe", fmt.Sprintf("s%02d.png", k))] = pngBytes(w, h, 0, k)
		files[filepath.Join(dir, "circle", fmt.Sprintf("c%02d.png", k))] = pngBytes(w, h, 1, k)
	}
	return files
}

// messyCSV is a ; separated table with a text column, empty fields and NA.
func messyCSV(rows int) []byte {
	var b strings.Builder
	b.WriteString("x;colour;y;z\n")
	for i := range rows {
		x, y := strconv.FormatFloat(float64(i%9)*0.5, 'g', -1, 64), strconv.FormatFloat(math.Cos(float64(i)), 'g', 4, 64)
		switch i % 7 {
		case 2:
			x = ""
		case 5:
			y = "NA"
		}
		fmt.Fprintf(&b, "%s;%s;%s;%d\n", x, []string{"red", "green", "blue"}[i%3], y, i%4)
	}
	return []byte(b.String())
}

// manyCategories is a table whose text column c has n distinct values.
func manyCategories(n int) string {
	var b strings.Builder
	b.WriteString("a,c\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,v%d\n", i%5, i)
	}
	return b.String()
}

// wgmlIn runs the wgml binary in dir and returns its stdout, failing the
// test on a non-zero exit.
func wgmlIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(wgmlBin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("wgml %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	t.Logf("wgml %s:\n%s%s", strings.Join(args, " "), lastLines(stdout.String(), 4), stderr.String())
	return stdout.String() + stderr.String()
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n") + "\n"
}

// TestMixedTable: the messy iris table trains with --missing mask (the
// table loss: squared errors, the species' cross-entropy, gaps left out),
// scores every row to a finite score, and denoise writes the original
// columns back, the species as a species name.
func TestMixedTable(t *testing.T) {
	dir := t.TempDir()
	out := wgmlIn(t, dir, "train", "--backend", "cpu", "--data", irisMessy, "--missing", "mask", "--layers", "7,6,3",
		"--epochs", "40", "--batch", "16", "--lr", "0.01", "--out", "iris")
	if !strings.Contains(out, "test loss") {
		t.Fatalf("train printed no test loss:\n%s", out)
	}
	wgmlIn(t, dir, "score", "--backend", "cpu", "--model", "iris/model.safetensors", "--split", "train", "--out", "scores.csv")
	recs := readCSV(t, filepath.Join(dir, "scores.csv"))
	if len(recs) != 121 { // header and 120 training rows
		t.Fatalf("scores.csv has %d records, want 121", len(recs))
	}
	col := slices.Index(recs[0], "score")
	if col < 0 {
		t.Fatalf("scores.csv header %v has no score column", recs[0])
	}
	for i, r := range recs[1:] {
		if v, err := strconv.ParseFloat(r[col], 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("row %d: score %q is not a finite non-negative number", i, r[col])
		}
	}
	wgmlIn(t, dir, "denoise", "--backend", "cpu", "--model", "iris/model.safetensors", "--split", "train", "--out", "clean.csv")
	recs = readCSV(t, filepath.Join(dir, "clean.csv"))
	if got := strings.Join(recs[0], ","); got != "index,sepal_length,sepal_width,petal_length,petal_width,species" {
		t.Fatalf("denoised header %s, want the index and the original columns", got)
	}
	species := map[string]int{}
	for _, r := range recs[1:] {
		species[r[5]]++
	}
	for s := range species {
		if s != "setosa" && s != "versicolor" && s != "virginica" {
			t.Fatalf("denoised species %q is not one of iris's", s)
		}
	}
}

// TestSemicolonTable: a ; separated CSV with a text column, empty fields
// and NA trains with --missing mask; a new file with a colour the training
// rows lack scores with one warning line, and the training columns.
func TestSemicolonTable(t *testing.T) {
	dir := t.TempDir()
	if err := writeFiles(dir, map[string][]byte{"t.csv": messyCSV(60), "new.csv": []byte("x;colour;y;z\n1;red;0.5;1\n;purple;NA;2\n2;blue;0.1;3\n")}); err != nil {
		t.Fatal(err)
	}
	wgmlIn(t, dir, "train", "--backend", "cpu", "--data", "t.csv", "--missing", "mask", "--layers", "6,3", "--epochs", "3", "--batch", "12", "--out", "run")
	out := wgmlIn(t, dir, "score", "--backend", "cpu", "--model", "run/model.safetensors", "--test", "new.csv", "--out", "s.csv")
	if recs := readCSV(t, filepath.Join(dir, "s.csv")); len(recs) != 4 {
		t.Errorf("s.csv has %d records, want a header and new.csv's 3 rows", len(recs))
	}
	if n := strings.Count(out, "purple"); n != 1 {
		t.Errorf("the unseen category purple is reported %d times, want once:\n%s", n, out)
	}
}

// TestImageFolder: a folder of RGB PNGs in class subfolders trains (at
// --image-size, --channels 3), encode --with-labels writes the class names
// and draws the scatter, and reconstruct draws an RGB grid.
func TestImageFolder(t *testing.T) {
	dir := t.TempDir()
	if err := writeFiles(dir, imageFolder("pics", 12, 10, 8)); err != nil {
		t.Fatal(err)
	}
	wgmlIn(t, dir, "train", "--backend", "cpu", "--data", "pics", "--image-size", "8x6", "--channels", "3", "--layers", "144,16,2",
		"--epochs", "3", "--batch", "8", "--out", "run")
	wgmlIn(t, dir, "encode", "--backend", "cpu", "--model", "run/model.safetensors", "--with-labels", "--out", "z.csv")
	recs := readCSV(t, filepath.Join(dir, "z.csv"))
	for _, r := range recs[1:] {
		if l := r[len(r)-1]; l != "circle" && l != "stripe" {
			t.Fatalf("label %q, want a class folder's name", l)
		}
	}
	for _, name := range []string{"latent.png"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Fatalf("encode drew no %s: %v", name, err)
		}
	}
	wgmlIn(t, dir, "reconstruct", "--backend", "cpu", "--model", "run/model.safetensors", "--out", "rec.png")
	img := pngtest.Read(t, filepath.Join(dir, "rec.png"))
	if _, gray := img.(*image.Gray); gray {
		t.Error("reconstruct of an RGB model drew a grayscale grid")
	}
}

// TestNPY: a float32 .npy with .npy labels trains and scores, and score
// reports AUROC against the labels.
func TestNPY(t *testing.T) {
	dir := t.TempDir()
	if err := writeFiles(dir, map[string][]byte{"x.npy": npyFloats(50, 5), "y.npy": npyLabels(50)}); err != nil {
		t.Fatal(err)
	}
	wgmlIn(t, dir, "train", "--backend", "cpu", "--data", "x.npy", "--labels", "y.npy", "--layers", "5,2", "--epochs", "2", "--batch", "10", "--out", "run")
	out := wgmlIn(t, dir, "score", "--backend", "cpu", "--model", "run/model.safetensors", "--outlier-label", "1", "--out", "s.csv")
	if !strings.Contains(out, "AUROC") {
		t.Errorf("score on labelled .npy data printed no AUROC:\n%s", out)
	}
}

// TestGPUTableMatchesCPU trains the messy iris table with --missing mask
// (the table loss with a mask gathered with every batch) on --backend cpu
// and --backend gpu, and scores its test rows on both from the cpu's
// checkpoint: losses, threshold, weights and scores must agree (e2eTol).
func TestGPUTableMatchesCPU(t *testing.T) {
	needGPU(t)
	dir := t.TempDir()
	out := map[string]string{}
	for _, be := range []string{"cpu", "gpu"} {
		out[be] = wgmlIn(t, dir, "train", "--backend", be, "--data", irisMessy, "--missing", "mask", "--layers", "7,6,3",
			"--epochs", "5", "--batch", "16", "--lr", "0.01", "--out", be)
	}
	for _, key := range []string{"test loss: ", "outlier threshold: "} {
		closeNumber(t, "train: "+key, number(out["gpu"], key), number(out["cpu"], key))
	}
	cpuCk, gpuCk := loadCk(t, filepath.Join(dir, "cpu", "model.safetensors")), loadCk(t, filepath.Join(dir, "gpu", "model.safetensors"))
	for _, k := range slices.Sorted(mapKeys(cpuCk.Weights)) {
		closeSlices(t, "train: weights "+k, toF64(gpuCk.Weights[k]), toF64(cpuCk.Weights[k]))
	}
	for _, be := range []string{"cpu", "gpu"} {
		wgmlIn(t, dir, "score", "--backend", be, "--model", "cpu/model.safetensors", "--out", "scores-"+be+".csv")
	}
	cs, gs := readCSV(t, filepath.Join(dir, "scores-cpu.csv")), readCSV(t, filepath.Join(dir, "scores-gpu.csv"))
	closeSlices(t, "score: scores", column(t, gs, 1), column(t, cs, 1))
}
