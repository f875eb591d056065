package main

// The bad-input table: every row runs the real wgml binary (built once by
// TestMain) in a fresh working directory and checks the design's promise
// "errors are answers": one stderr line "wgml: <what>: <why>" naming the
// file and the line or field, exit status 2 for usage errors and 1 for the
// rest, no panic, and no file written or changed.
//
// To cover a new command, add rows to cliCases (or a command to
// modelCommands, which repeats every bad-checkpoint row for it).

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/internal/safetensors"
	"github.com/wgml/wgml/nn"
)

// wgmlBin is the wgml binary TestMain builds; fixDir holds the shared,
// read-only fixtures (a tiny IDX data set, CSVs, trained checkpoints).
var wgmlBin, fixDir string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "wgml-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	wgmlBin = filepath.Join(tmp, "wgml")
	build := exec.Command(goTool(), "build", "-o", wgmlBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building wgml:", err)
		return 1
	}
	fixDir = filepath.Join(tmp, "fix")
	if err := makeFixtures(fixDir); err != nil {
		fmt.Fprintln(os.Stderr, "fixtures:", err)
		return 1
	}
	return m.Run()
}

// goTool is the go command that runs the tests.
func goTool() string {
	if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); os.Getenv("GOROOT") != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// Fixture sizes: a 6x6 "image" data set, 40 training and 20 test rows.
const (
	fixH, fixW        = 6, 6
	fixTrain, fixTest = 40, 20
)

// idxBytes encodes an IDX file of element type typ with dims and data.
func idxBytes(typ byte, dims []int, data []byte) []byte {
	b := []byte{0, 0, typ, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// idxSet returns the four MNIST-style files of a tiny image data set, as
// file name → contents; the test files are gzipped.
func idxSet() map[string][]byte {
	img := func(n, seed int) []byte {
		b := make([]byte, n*fixH*fixW)
		for i := range b {
			b[i] = byte((i*37 + seed*11 + (i/fixW)*5) % 256)
		}
		return b
	}
	lab := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 10)
		}
		return b
	}
	return map[string][]byte{
		"train-images-idx3-ubyte":   idxBytes(8, []int{fixTrain, fixH, fixW}, img(fixTrain, 1)),
		"train-labels-idx1-ubyte":   idxBytes(8, []int{fixTrain}, lab(fixTrain)),
		"t10k-images-idx3-ubyte.gz": gzipBytes(idxBytes(8, []int{fixTest, fixH, fixW}, img(fixTest, 2))),
		"t10k-labels-idx1-ubyte.gz": gzipBytes(idxBytes(8, []int{fixTest}, lab(fixTest))),
	}
}

// idxDir returns idxSet under folder dir, with change applied to it (it may
// replace, add or delete entries).
func idxDir(dir string, change func(set map[string][]byte)) map[string][]byte {
	set := idxSet()
	if change != nil {
		change(set)
	}
	out := map[string][]byte{}
	for name, b := range set {
		out[filepath.Join(dir, name)] = b
	}
	return out
}

// goodCSV is a small table: a header, three features and a class label.
func goodCSV(rows int) []byte {
	var b strings.Builder
	b.WriteString("a,b,c,label\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,%g,%g,%s\n", i%7, float64(i)*0.5-3, math.Sin(float64(i)), []string{"x", "y"}[i%2])
	}
	return []byte(b.String())
}

// numCSV is a small table of three numeric features and no label.
func numCSV(rows int) []byte {
	var b strings.Builder
	b.WriteString("a,b,c\n")
	for i := range rows {
		fmt.Fprintf(&b, "%d,%g,%g\n", i%7, float64(i)*0.5-3, math.Cos(float64(i)))
	}
	return []byte(b.String())
}

// writeFiles writes name → contents under dir, making folders as needed.
func writeFiles(dir string, files map[string][]byte) error {
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// makeFixtures writes the shared data and trains the shared checkpoints,
// then derives the broken checkpoints from them.
func makeFixtures(dir string) error {
	files := idxDir("idx", nil)
	files["good.csv"] = goodCSV(50)
	if err := writeFiles(dir, files); err != nil {
		return err
	}
	idx, csv := filepath.Join(dir, "idx"), filepath.Join(dir, "good.csv")
	for _, args := range [][]string{
		{"train", "--backend", "cpu", "--data", idx, "--layers", "36,8,2", "--epochs", "1", "--batch", "10", "--out", filepath.Join(dir, "ae")},
		{"train", "--backend", "cpu", "--data", idx, "--model", "vae", "--layers", "36,8,2", "--epochs", "1", "--batch", "10", "--out", filepath.Join(dir, "vae")},
		{"train", "--backend", "cpu", "--data", csv, "--label-col", "label", "--layers", "3,2", "--epochs", "1", "--batch", "10", "--out", filepath.Join(dir, "csvae")},
	} {
		cmd := exec.Command(wgmlBin, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("wgml %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	good := filepath.Join(dir, "ae", "model.safetensors")
	raw, err := os.ReadFile(good)
	if err != nil {
		return err
	}
	tensors, meta, err := safetensors.Read(good)
	if err != nil {
		return err
	}
	// rewrite writes the ae checkpoint's tensors (edited by editT, nil to
	// keep) with its metadata edited by editM.
	rewrite := func(name string, editT func(map[string]safetensors.Tensor), editM func(map[string]string)) error {
		ts := map[string]safetensors.Tensor{}
		for k, v := range tensors {
			ts[k] = safetensors.Tensor{Name: v.Name, Shape: v.Shape, Data: slices.Clone(v.Data)}
		}
		m := map[string]string{}
		for k, v := range meta {
			m[k] = v
		}
		if editT != nil {
			editT(ts)
		}
		if editM != nil {
			editM(m)
		}
		names := make([]string, 0, len(ts))
		for k := range ts {
			names = append(names, k)
		}
		slices.Sort(names)
		list := make([]safetensors.Tensor, len(names))
		for i, k := range names {
			list[i] = ts[k]
		}
		return safetensors.Write(filepath.Join(dir, name), list, m)
	}
	headerLen := int(binary.LittleEndian.Uint64(raw))
	corruptHeader := slices.Clone(raw)
	copy(corruptHeader[8+headerLen/2:], "\x00\xff{]")
	corruptData := slices.Clone(raw)
	binary.LittleEndian.PutUint32(corruptData[8+headerLen+40:], math.Float32bits(float32(math.NaN())))
	for name, b := range map[string][]byte{
		"ck-truncated.safetensors":      raw[:len(raw)/2],
		"ck-cut-header.safetensors":     raw[:8+headerLen/3],
		"ck-corrupt-header.safetensors": corruptHeader,
		"ck-corrupt-data.safetensors":   corruptData,
		"ck-empty.safetensors":          nil,
		"ck-text.safetensors":           []byte("a,b,c\n1,2,3\n"),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	// The edits below replace text in the config: check it is there.
	if !strings.Contains(meta["config"], `"kind":"ae"`) || !strings.Contains(meta["config"], `"hidden_act":"relu"`) {
		return fmt.Errorf("ae checkpoint config %s: the fixture edits need kind ae and hidden_act relu", meta["config"])
	}
	for _, r := range []struct {
		name  string
		editT func(map[string]safetensors.Tensor)
		editM func(map[string]string)
	}{
		{"ck-newer.safetensors", nil, func(m map[string]string) { m["format_version"] = "99" }},
		{"ck-version-text.safetensors", nil, func(m map[string]string) { m["format_version"] = "one" }},
		{"ck-foreign.safetensors", nil, func(m map[string]string) { clear(m) }}, // e.g. PyTorch's
		{"ck-gan.safetensors", nil, func(m map[string]string) {
			m["config"] = strings.Replace(m["config"], `"kind":"ae"`, `"kind":"gan"`, 1)
		}},
		{"ck-bad-act.safetensors", nil, func(m map[string]string) {
			m["config"] = strings.Replace(m["config"], `"hidden_act":"relu"`, `"hidden_act":"swish"`, 1)
		}},
		{"ck-no-data-meta.safetensors", nil, func(m map[string]string) { delete(m, "data") }},
		{"ck-mid-epoch.safetensors", nil, func(m map[string]string) { m["epoch_batch"], m["epoch_sums"] = "2", "50,0" }},
		{"ck-negative-step.safetensors", nil, func(m map[string]string) { m["step"] = "-4" }},
		{"ck-missing-tensor.safetensors", func(ts map[string]safetensors.Tensor) { delete(ts, "decoder.0.bias") }, nil},
		{"ck-wrong-shape.safetensors", func(ts map[string]safetensors.Tensor) {
			w := ts["encoder.0.weight"]
			ts["encoder.0.weight"] = safetensors.Tensor{Name: w.Name, Shape: []int{w.Shape[1], w.Shape[0]}, Data: w.Data}
		}, nil},
		{"ck-inf-weight.safetensors", func(ts map[string]safetensors.Tensor) {
			ts["decoder.1.weight"].Data[3] = float32(math.Inf(1))
		}, nil},
		{"ck-weights-only.safetensors", func(ts map[string]safetensors.Tensor) {
			for k := range ts {
				if strings.HasPrefix(k, "adam.") {
					delete(ts, k)
				}
			}
		}, nil},
	} {
		if err := rewrite(r.name, r.editT, r.editM); err != nil {
			return err
		}
	}
	return nil
}

// cliCase is one bad input.
type cliCase struct {
	name string
	// args are the command line; "$F" stands for the fixtures folder.
	args []string
	// files are written in the working directory before the run.
	files map[string][]byte
	env   []string // added to the environment
	gpu   bool     // needs a WebGPU adapter: skipped where there is none
	code  int      // expected exit status: 2 usage error, 1 other error, 0 success
	want  string   // the stderr line must contain this
}

// files merges file maps.
func files(ms ...map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func file(name, content string) map[string][]byte {
	return map[string][]byte{name: []byte(content)}
}

// fixture returns the contents of a fixture file.
func fixture(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join(fixDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// modelCommands are the commands that read a checkpoint given by --model,
// with the arguments that make each run on the idx fixture and write its
// outputs under out/. Each gets a control row with a good checkpoint, every
// bad checkpoint, an output path it cannot write and a missing GPU.
var modelCommands = map[string][]string{
	"encode":      {"encode", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--data", "$F/idx", "--out", "out/latents.csv"},
	"score":       {"score", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--data", "$F/idx", "--out", "out/scores.csv"},
	"denoise":     {"denoise", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--data", "$F/idx", "--out", "out/denoise.png", "--noise", "mask:0.2"},
	"reconstruct": {"reconstruct", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--data", "$F/idx", "--out", "out/rec.png"},
	"interpolate": {"interpolate", "--backend", "cpu", "--model", "$F/vae/model.safetensors", "--data", "$F/idx", "--out", "out/path.png"},
	"sample":      {"sample", "--backend", "cpu", "--model", "$F/vae/model.safetensors", "--out", "out/samples.png"},
	"export":      {"export", "--backend", "cpu", "--model", "$F/vae/model.safetensors", "--out", "out/model.onnx"},
}

// noGPU is an environment in which wgpu-native finds no adapter: no
// Vulkan driver, and Mesa's EGL finds no Gallium driver (quietly). Hiding
// the EGL vendor libraries instead (__EGL_VENDOR_LIBRARY_FILENAMES) makes
// wgpu-native v0.19's GL backend panic inside wgpuCreateInstance.
var noGPU = []string{"VK_ICD_FILENAMES=/nonexistent", "GALLIUM_DRIVER=nonexistent", "EGL_LOG_LEVEL=fatal"}

func cliCases(t *testing.T) []cliCase {
	// train runs wgml train on the cpu with a tiny model and extra flags.
	train := func(extra ...string) []string {
		return append([]string{"train", "--backend", "cpu", "--epochs", "1", "--batch", "10", "--out", "run"}, extra...)
	}
	// withLayers gives --layers layers unless extra gives its own (pflag's
	// slice flags append when repeated).
	withLayers := func(layers string, extra []string) []string {
		if slices.Contains(extra, "--layers") {
			return extra
		}
		return append([]string{"--layers", layers}, extra...)
	}
	onIDX := func(extra ...string) []string {
		return train(append([]string{"--data", "$F/idx"}, withLayers("36,8,2", extra)...)...)
	}
	onCSV := func(extra ...string) []string {
		return train(append([]string{"--data", "t.csv"}, withLayers("3,2", extra)...)...)
	}
	csvFile := func(content string) map[string][]byte { return file("t.csv", content) }
	// idx replaces (or with nil deletes) one file of the image set in ./d.
	idx := func(name string, b []byte) map[string][]byte {
		return idxDir("d", func(set map[string][]byte) {
			if b == nil {
				delete(set, name)
			} else {
				set[name] = b
			}
		})
	}
	onD := train("--data", "d", "--layers", "36,8,2")
	scoreIDX := func() []string {
		return []string{"score", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--data", "$F/idx", "--out", "out/scores.csv"}
	}
	imgs := func(dims ...int) []byte {
		n := 1
		for _, d := range dims {
			n *= d
		}
		return make([]byte, n)
	}
	trainImages := idxSet()["train-images-idx3-ubyte"]
	testImagesGz := idxSet()["t10k-images-idx3-ubyte.gz"]
	badCRC := slices.Clone(testImagesGz)
	badCRC[len(badCRC)-6] ^= 0xff // the CRC-32 in the gzip trailer
	aeCk := fixture(t, "ae/model.safetensors")
	vaeCk := fixture(t, "vae/model.safetensors")
	ckIn := func(dir string, b []byte) map[string][]byte { return map[string][]byte{dir + "/model.safetensors": b} }

	cases := []cliCase{
		// Controls: the fixtures work, so the failures below are the inputs'.
		{name: "control train idx", args: onIDX(), code: 0},
		{name: "control train csv", args: onCSV("--label-col", "label"), files: file("t.csv", string(goodCSV(30))), code: 0},
		{name: "control resume", args: onIDX("--resume", "--epochs", "2"), files: ckIn("run", aeCk), code: 0},

		// Missing files.
		{name: "missing csv", args: train("--data", "missing.csv"), code: 1, want: "missing.csv: no such file"},
		{name: "missing idx folder", args: train("--data", "nodir"), code: 1, want: `data "nodir": no such file or directory`},
		{name: "idx folder lacks a file", args: onD, files: idx("t10k-labels-idx1-ubyte.gz", nil), code: 1, want: "no t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz"},
		{name: "missing test csv", args: onCSV("--test", "nope.csv"), files: file("t.csv", string(numCSV(30))), code: 1, want: "nope.csv: no such file"},
		{name: "empty data spec", args: train("--data", ""), code: 1, want: `data ""`},

		// Empty files.
		{name: "empty csv", args: onCSV(), files: csvFile(""), code: 1, want: "t.csv: no data rows"},
		{name: "csv of blank lines", args: onCSV(), files: csvFile("\n\n\n"), code: 1, want: "t.csv: no data rows"},
		{name: "csv header only", args: onCSV(), files: csvFile("a,b,c\n"), code: 1, want: "t.csv: no data rows"},
		{name: "empty test csv", args: onCSV("--test", "test.csv"), files: files(csvFile("a,b,c\n1,2,3\n4,5,6\n"), file("test.csv", "")), code: 1, want: "test.csv: no data rows"},
		{name: "empty idx file", args: onD, files: idx("train-images-idx3-ubyte", []byte{}), code: 1, want: "train-images-idx3-ubyte: file ends inside the IDX header"},
		{name: "empty gz file", args: onD, files: idx("t10k-labels-idx1-ubyte.gz", []byte{}), code: 1, want: "t10k-labels-idx1-ubyte.gz: file ends inside the IDX header"},
		{name: "gzip of nothing", args: onD, files: idx("t10k-labels-idx1-ubyte.gz", gzipBytes(nil)), code: 1, want: "t10k-labels-idx1-ubyte.gz: file ends inside the IDX header"},

		// IDX headers and sizes.
		{name: "idx wrong magic", args: onD, files: idx("train-images-idx3-ubyte", append([]byte("PK\x03\x04"), trainImages[4:]...)), code: 1, want: "train-images-idx3-ubyte: not an IDX file (magic 0x504b0304)"},
		{name: "idx float type", args: onD, files: idx("train-images-idx3-ubyte", idxBytes(0x0d, []int{fixTrain, 3}, make([]byte, 4*3*fixTrain))), code: 1, want: "train-images-idx3-ubyte: IDX data type 0x0d (float32) is not supported"},
		{name: "idx header cut", args: onD, files: idx("train-images-idx3-ubyte", trainImages[:9]), code: 1, want: "train-images-idx3-ubyte: file ends inside the IDX header"},
		{name: "idx dims exceed file", args: onD, files: idx("train-images-idx3-ubyte", trainImages[:1000]), code: 1, want: "train-images-idx3-ubyte: header says 40x6x6 = 1440 bytes, file has 984"},
		{name: "idx surplus bytes", args: onD, files: idx("train-images-idx3-ubyte", append(slices.Clone(trainImages), 1, 2, 3)), code: 1, want: "header says 40x6x6 = 1440 bytes, file has 1443"},
		{name: "idx huge dims", args: onD, files: idx("train-images-idx3-ubyte", idxBytes(8, []int{1 << 31, 1 << 31, 1 << 31}, nil)), code: 1, want: "train-images-idx3-ubyte: header says 2147483648x2147483648x2147483648, too large"},
		{name: "idx large dims small file", args: onD, files: idx("train-images-idx3-ubyte", idxBytes(8, []int{60000, 28, 28}, make([]byte, 100))), code: 1, want: "= 47040000 bytes, file has 100"},
		{name: "idx zero images", args: onD, files: idx("train-images-idx3-ubyte", idxBytes(8, []int{0, 6, 6}, nil)), code: 1, want: "train-images-idx3-ubyte: no images"},
		{name: "idx zero-size images", args: onD, files: idx("train-images-idx3-ubyte", idxBytes(8, []int{fixTrain, 0, 6}, nil)), code: 1, want: "train-images-idx3-ubyte: images of 0x6 pixels, want at least one pixel"},
		{name: "idx images one-dimensional", args: onD, files: idx("train-images-idx3-ubyte", idxBytes(8, []int{fixTrain}, imgs(fixTrain))), code: 1, want: "train-images-idx3-ubyte: 1-dimensional"},
		{name: "idx labels are images", args: onD, files: idx("train-labels-idx1-ubyte", trainImages), code: 1, want: "train-labels-idx1-ubyte: 3-dimensional, want a vector of labels"},
		{name: "idx label count", args: onD, files: idx("train-labels-idx1-ubyte", idxBytes(8, []int{fixTrain - 1}, imgs(fixTrain-1))), code: 1, want: "train-labels-idx1-ubyte: 39 labels for 40 images"},
		{name: "idx test width differs", args: onD, files: idx("t10k-images-idx3-ubyte.gz", gzipBytes(idxBytes(8, []int{fixTest, 5, 5}, imgs(fixTest, 5, 5)))), code: 1, want: "t10k-images-idx3-ubyte.gz: 5x5 images, the training images in d/train-images-idx3-ubyte are 6x6 images"},
		{name: "truncated gz", args: onD, files: idx("t10k-images-idx3-ubyte.gz", testImagesGz[:len(testImagesGz)/2]), code: 1, want: "t10k-images-idx3-ubyte.gz: truncated or corrupt data: unexpected EOF"},
		{name: "gz without trailer", args: onD, files: idx("t10k-images-idx3-ubyte.gz", testImagesGz[:len(testImagesGz)-8]), code: 1, want: "t10k-images-idx3-ubyte.gz: truncated or corrupt data"},
		{name: "gz bad checksum", args: onD, files: idx("t10k-images-idx3-ubyte.gz", badCRC), code: 1, want: "t10k-images-idx3-ubyte.gz: truncated or corrupt data: gzip: invalid checksum"},
		{name: "gz bad header", args: onD, files: idx("t10k-images-idx3-ubyte.gz", []byte{0x1f, 0x8b, 0x01, 0x02, 0x03}), code: 1, want: "t10k-images-idx3-ubyte.gz: bad gzip data"},
		{name: "idx is a folder", args: onD, files: files(idx("train-images-idx3-ubyte", nil), file("d/train-images-idx3-ubyte/x", "")), code: 1, want: "train-images-idx3-ubyte"},

		// Real data in: tables with gaps and text, image folders, .npy arrays.
		{name: "control mixed table mask", args: train("--data", irisMessy, "--missing", "mask", "--layers", "7,3"), code: 0},
		{name: "control messy csv mask", args: onCSV("--missing", "mask", "--layers", "6,2"), files: csvFile(string(messyCSV(30))), code: 0},
		{name: "control messy csv mean", args: onCSV("--missing", "mean", "--sep", ";", "--layers", "6,2"), files: csvFile(string(messyCSV(30))), code: 0},
		{name: "control categorical by name", args: onCSV("--categorical", "a", "--layers", "9,2"), files: csvFile(string(numCSV(30))), code: 0},
		{name: "control image folder", args: train("--data", "pics", "--layers", "80,4,2"), files: imageFolder("pics", 8, 10, 8), code: 0},
		{name: "control image folder skip bad", args: train("--data", "pics", "--skip-bad", "--layers", "80,4,2"), files: files(imageFolder("pics", 8, 10, 8), file("pics/circle/bad.png", "not a png")), code: 0},
		{name: "control npy", args: train("--data", "x.npy", "--labels", "y.npy", "--layers", "5,2"), files: map[string][]byte{"x.npy": npyFloats(30, 5), "y.npy": npyLabels(30)}, code: 0},
		{name: "too many categories", args: onCSV("--layers", "2,1"), files: csvFile(manyCategories(10000)), code: 1, want: `t.csv: column "c": more than 100 categories; raise --max-categories`},
		{name: "too many categories lower max", args: onCSV("--max-categories", "3", "--missing", "mask", "--layers", "6,2"), files: csvFile(string(messyCSV(30))), code: 0},
		{name: "over max categories", args: onCSV("--max-categories", "2", "--missing", "mask", "--layers", "6,2"), files: csvFile(string(messyCSV(30))), code: 1, want: `t.csv: column "colour": more than 2 categories`},
		{name: "missing value names the flag", args: onCSV("--layers", "6,2"), files: csvFile(string(messyCSV(30))), code: 1, want: "use --missing mean or --missing mask"},
		{name: "unknown missing policy", args: onCSV("--missing", "drop"), files: csvFile(string(numCSV(30))), code: 2, want: `missing "drop": want error, mean or mask`},
		{name: "categorical unknown column", args: onCSV("--categorical", "q"), files: csvFile(string(numCSV(30))), code: 1, want: `t.csv: categorical column "q" not found`},
		{name: "max categories zero", args: onCSV("--max-categories", "0"), files: csvFile(string(numCSV(30))), code: 2, want: "max-categories 0: want at least 1"},
		{name: "bad separator", args: onCSV("--sep", ";;"), files: csvFile(string(numCSV(30))), code: 1, want: `t.csv: separator ";;": want one character`},
		{name: "image folder mixed sizes", args: train("--data", "pics", "--layers", "80,2"), files: files(imageFolder("pics", 4, 10, 8), file("pics/circle/big.png", string(pngBytes(12, 12, 1, 0)))), code: 1, want: "give --image-size WxH to resize every image"},
		{name: "image folder corrupt image", args: train("--data", "pics", "--layers", "80,2"), files: files(imageFolder("pics", 4, 10, 8), file("pics/circle/bad.png", "not a png")), code: 1, want: "pics/circle/bad.png: not a readable PNG or JPEG image"},
		{name: "image folder empty", args: train("--data", "pics"), files: file("pics/circle/readme.txt", "x"), code: 1, want: "pics: no PNG or JPEG images"},
		{name: "image size bad", args: train("--data", "pics", "--image-size", "0x5"), files: imageFolder("pics", 4, 10, 8), code: 2, want: `image size "0x5": want WIDTHxHEIGHT`},
		{name: "channels two", args: train("--data", "pics", "--channels", "2"), files: imageFolder("pics", 4, 10, 8), code: 2, want: "channels 2: want 1 (grayscale) or 3 (RGB)"},
		{name: "npy wrong header", args: train("--data", "x.npy", "--layers", "5,2"), files: map[string][]byte{"x.npy": append([]byte("\x93NUMPY\x01\x00\x10\x00{'descr': 4}    \n"), make([]byte, 40)...)}, code: 1, want: "x.npy: .npy header"},
		{name: "npy not npy", args: train("--data", "x.npy", "--layers", "5,2"), files: file("x.npy", "a,b\n1,2\n"), code: 1, want: "x.npy"},
		{name: "npy unsupported dtype", args: train("--data", "x.npy", "--layers", "5,2"), files: map[string][]byte{"x.npy": npyBytes("<c16", []int{10, 5}, make([]byte, 16*50))}, code: 1, want: "x.npy: .npy header: dtype '<c16' is not supported"},
		{name: "npy fortran order", args: train("--data", "x.npy", "--layers", "5,2"), files: map[string][]byte{"x.npy": bytes.Replace(npyFloats(30, 5), []byte("False"), []byte("True "), 1)}, code: 1, want: "x.npy"},
		{name: "npy labels wrong length", args: train("--data", "x.npy", "--labels", "y.npy", "--layers", "5,2"), files: map[string][]byte{"x.npy": npyFloats(30, 5), "y.npy": npyLabels(20)}, code: 1, want: "y.npy: 20 labels for 30 rows"},
		{name: "labels without npy", args: onCSV("--labels", "y.npy"), files: files(csvFile(string(numCSV(30))), map[string][]byte{"y.npy": npyLabels(30)}), code: 1, want: "labels y.npy: a labels file goes with a .npy data file"},
		{name: "score table other columns", args: []string{"score", "--backend", "cpu", "--model", "$F/csvae/model.safetensors", "--data", "t.csv", "--out", "s.csv"}, files: csvFile(string(messyCSV(10))), code: 1, want: "t.csv"},

		// CSV contents.
		{name: "csv ragged short", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,5\n"), code: 1, want: "t.csv:3: 2 fields, want 3"},
		{name: "csv ragged long", args: onCSV(), files: csvFile("1,2,3\n4,5,6\n7,8,9,10\n"), code: 1, want: "t.csv:3: 4 fields, want 3"},
		{name: "csv non-numeric", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,abc,6\n"), code: 1, want: `t.csv:3: column "b": "abc" is not a number`},
		{name: "csv non-numeric no header", args: onCSV("--header", "no"), files: csvFile("1,2,3\n4,5,x\n"), code: 1, want: `t.csv:2: column "col2": "x" is not a number`},
		{name: "csv header yes on numbers", args: onCSV("--header", "yes"), files: csvFile("a,b,c\n1,2,3\nq,5,6\n"), code: 1, want: `t.csv:3: column "a": "q" is not a number`},
		{name: "csv NaN", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,NaN,6\n"), code: 1, want: `t.csv:3: column "b": "NaN" is not a finite number`},
		{name: "csv Inf", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,5,-Inf\n"), code: 1, want: `t.csv:3: column "c": "-Inf" is not a finite number`},
		{name: "csv infinity word", args: onCSV(), files: csvFile("a,b,c\n1,2,3\ninfinity,5,6\n"), code: 1, want: `t.csv:3: column "a": "infinity" is not a finite number`},
		{name: "csv float32 overflow", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,1e39,6\n"), code: 1, want: `t.csv:3: column "b": "1e39" is out of float32 range`},
		{name: "csv empty field", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,,6\n"), code: 1, want: `t.csv:3: column "b": empty field`},
		{name: "csv empty column", args: onCSV(), files: csvFile("a,b,c\n1,,3\n4,,6\n"), code: 1, want: `t.csv:2: column "b": empty field`},
		{name: "csv trailing comma", args: onCSV(), files: csvFile("a,b,c,\n1,2,3,\n4,5,6,\n"), code: 1, want: `t.csv:2: column "col3": empty field`},
		{name: "csv blank field spaces", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,  ,6\n"), code: 1, want: `t.csv:3: column "b": empty field`},
		{name: "csv bare quote", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,5\"x,6\n"), code: 1, want: `t.csv:3:4: bare " in non-quoted-field`},
		{name: "csv unterminated quote", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n4,\"5,6\n"), code: 1, want: `t.csv:3`},
		{name: "csv binary junk", args: onCSV(), files: csvFile("\x00\x01\x02,\xff\xfe\n\x89PNG,\x1a\n"), code: 1, want: `t.csv:1: column "col0"`},
		{name: "csv late bad row", args: onCSV(), files: csvFile("a,b,c\n" + strings.Repeat("1,2,3\n", 500) + "1,2,three\n"), code: 1, want: `t.csv:502: column "c": "three" is not a number`},
		{name: "csv test columns differ", args: onCSV("--test", "test.csv"), files: files(csvFile("a,b,c\n1,2,3\n4,5,6\n"), file("test.csv", "a,b,d\n1,2,3\n")), code: 1, want: "test.csv: columns a,b,d differ from t.csv's a,b,c"},
		{name: "csv test bad row", args: onCSV("--test", "test.csv"), files: files(csvFile("a,b,c\n1,2,3\n4,5,6\n"), file("test.csv", "a,b,c\n1,2,3\n1,2\n")), code: 1, want: "test.csv:3: 2 fields, want 3"},
		{name: "csv one row", args: onCSV(), files: csvFile("a,b,c\n1,2,3\n"), code: 2, want: "batch 10: larger than the training set (1 rows)"},

		// Label column.
		{name: "label col out of range", args: onCSV("--label-col", "9"), files: csvFile("a,b,c\n1,2,3\n"), code: 1, want: "t.csv: label column 9 out of range (3 columns)"},
		{name: "label col negative", args: onCSV("--label-col", "-1"), files: csvFile("a,b,c\n1,2,3\n"), code: 1, want: "t.csv: label column -1 out of range (3 columns)"},
		{name: "label col unknown name", args: onCSV("--label-col", "kind"), files: csvFile("a,b,c\n1,2,3\n"), code: 1, want: `t.csv: label column "kind" not found (columns: a, b, c)`},
		{name: "label col name without header", args: onCSV("--label-col", "kind"), files: csvFile("1,2,3\n"), code: 1, want: `t.csv: label column "kind": the file has no header`},
		{name: "label col is every column", args: onCSV("--label-col", "0"), files: csvFile("1\n2\n3\n"), code: 1, want: "t.csv: no feature columns"},
		{name: "label empty", args: onCSV("--label-col", "c"), files: csvFile("a,b,c\n1,2,x\n1,2,\n"), code: 1, want: `t.csv:3: column "c": empty field`},

		// Layers.
		{name: "layers first width", args: train("--data", "$F/idx", "--layers", "784,8,2"), code: 2, want: "layers [784 8 2]: the first width must be the data's 36 columns"},
		{name: "layers first width csv", args: onCSV("--layers", "4,2"), files: file("t.csv", string(numCSV(30))), code: 2, want: "layers [4 2]: the first width must be the data's 3 columns"},
		{name: "layers not numbers", args: onIDX("--layers", "36,eight,2"), code: 2, want: `invalid argument "36,eight,2" for "--layers" flag`},
		{name: "layers one width", args: onIDX("--layers", "36"), code: 2, want: "want at least an input and a latent width"},
		{name: "layers zero width", args: onIDX("--layers", "36,0,2"), code: 2, want: "width 0 at position 2 is not positive"},
		{name: "layers negative width", args: onIDX("--layers", "36,8,-2"), code: 2, want: "width -2 at position 3 is not positive"},
		{name: "layers empty", args: onIDX("--layers", ","), code: 2, want: `invalid argument "," for "--layers" flag`},
		{name: "layers too big", args: onIDX("--layers", "36,4000000000000,2"), code: 2, want: "layers [36 4000000000000 2]: 312000000000038 parameters, more than the 1073741824 wgml supports"},

		// Numeric flags.
		{name: "epochs zero", args: onIDX("--epochs", "0"), code: 2, want: "epochs 0: want at least 1"},
		{name: "epochs negative", args: onIDX("--epochs", "-3"), code: 2, want: "epochs -3: want at least 1"},
		{name: "epochs not a number", args: onIDX("--epochs", "ten"), code: 2, want: `invalid argument "ten" for "--epochs"`},
		{name: "batch zero", args: onIDX("--batch", "0"), code: 2, want: "batch 0: want a positive batch size"},
		{name: "batch negative", args: onIDX("--batch", "-8"), code: 2, want: "batch -8: want a positive batch size"},
		{name: "batch larger than data", args: onIDX("--batch", "41"), code: 2, want: "batch 41: larger than the training set (40 rows)"},
		{name: "batch larger than limited data", args: onIDX("--limit", "5"), code: 2, want: "batch 10: larger than the training set (5 rows)"},
		{name: "lr zero", args: onIDX("--lr", "0"), code: 2, want: "lr 0: want a positive learning rate"},
		{name: "lr negative", args: onIDX("--lr", "-0.1"), code: 2, want: "lr -0.1: want a positive learning rate"},
		{name: "lr NaN", args: onIDX("--lr", "NaN"), code: 2, want: "lr NaN: want a positive learning rate"},
		{name: "lr Inf", args: onIDX("--lr", "Inf"), code: 2, want: "lr +Inf: want a positive learning rate"},
		{name: "beta negative", args: onIDX("--model", "vae", "--beta", "-1"), code: 2, want: "beta -1: want a non-negative number"},
		{name: "beta1 one", args: onIDX("--beta1", "1"), code: 2, want: "beta1 1, beta2 0.999: want values in [0, 1)"},
		{name: "adam eps negative", args: onIDX("--adam-eps", "-1e-8"), code: 2, want: "adam-eps -1e-08: want a small non-negative number"},
		{name: "weight decay NaN", args: onIDX("--weight-decay", "NaN"), code: 2, want: "weight-decay NaN: want a non-negative number"},
		{name: "kl warmup negative", args: onIDX("--kl-warmup", "-1"), code: 2, want: "kl-warmup -1: want a non-negative epoch count"},
		{name: "val frac above one", args: onIDX("--val-frac", "1.5"), code: 2, want: "val-frac 1.5: want a fraction of the training rows in (0, 1)"},
		{name: "val frac leaves none", args: onIDX("--val-frac", "0.001"), code: 2, want: "val-frac 0.001: of 40 training rows leaves 40 for training and 0 for validation"},
		{name: "patience zero", args: onIDX("--patience", "0", "--val-frac", "0.2"), code: 2, want: "patience 0: want at least 1 epoch"},
		{name: "patience negative", args: onIDX("--patience", "-1", "--val-frac", "0.2"), code: 2, want: "patience -1: want at least 1 epoch"},
		{name: "patience without val frac", args: onIDX("--patience", "3"), code: 2, want: "patience 3: early stopping watches the validation loss; give --val-frac too"},
		{name: "min delta negative", args: onIDX("--min-delta", "-1"), code: 2, want: "min-delta -1: want a finite number >= 0"},
		{name: "threshold on val without val frac", args: onIDX("--threshold-on", "val"), code: 2, want: "threshold-on val: there are no validation rows; give --val-frac too"},
		{name: "threshold on unknown", args: onIDX("--threshold-on", "test"), code: 2, want: `threshold-on "test": want train or val`},
		{name: "lr schedule unknown", args: onIDX("--lr-schedule", "linear"), code: 2, want: `lr-schedule "linear": want constant, cosine or step:EPOCHS:GAMMA`},
		{name: "lr schedule warmup too long", args: onIDX("--lr-schedule", "cosine,warmup:1"), code: 2, want: `lr-schedule "cosine,warmup:1": a warm-up of 1 epochs: want fewer than the run's 1`},
		{name: "resume other schedule", args: onIDX("--resume", "--epochs", "2", "--lr-schedule", "cosine"), files: ckIn("run", aeCk), code: 2, want: "lr-schedule cosine: the run was trained with --lr-schedule constant; resume with that schedule"},
		{name: "threshold method fpr above one", args: append(scoreIDX(), "--threshold-method", "fpr:2"), code: 2, want: `threshold-method "fpr:2": want fpr:X with X a false-positive rate in [0, 1)`},
		{name: "threshold method unknown", args: append(scoreIDX(), "--threshold-method", "otsu"), code: 2, want: `threshold-method "otsu": want quantile, mad, max-f1 or fpr:X`},
		{name: "threshold method with threshold", args: append(scoreIDX(), "--threshold-method", "mad", "--threshold", "1"), code: 2, want: "threshold-method and threshold/contamination: give one of them"},
		{name: "mad k without mad", args: append(scoreIDX(), "--mad-k", "2"), code: 2, want: "mad-k: only with --threshold-method mad"},
		{name: "mad k negative", args: append(scoreIDX(), "--threshold-method", "mad", "--mad-k", "-1"), code: 2, want: "mad-k -1: want a finite number >= 0"},
		{name: "max f1 without labels", args: append(scoreIDX(), "--threshold-method", "max-f1"), code: 2, want: "threshold-method max-f1: needs labelled rows"},
		{name: "per feature on images", args: append(scoreIDX(), "--per-feature"), code: 2, want: "per-feature: the 36 input columns of"},
		{name: "heatmap on a table", args: []string{"score", "--backend", "cpu", "--model", "$F/csvae/model.safetensors", "--out", "out/scores.csv", "--heatmap", "2"}, code: 2, want: "heatmap: "},
		{name: "heatmap negative", args: append(scoreIDX(), "--heatmap", "-1"), code: 2, want: "heatmap -1: want a number of images >= 1"},
		{name: "limit negative", args: onIDX("--limit", "-1"), code: 2, want: "limit: want a non-negative row count"},
		{name: "test frac one", args: onCSV("--test-frac", "1"), files: file("t.csv", string(numCSV(30))), code: 2, want: "test-frac 1: want a fraction in [0, 1)"},

		// Names.
		{name: "unknown model", args: onIDX("--model", "gan"), code: 2, want: `model "gan": want ae or vae`},
		{name: "unknown hidden act", args: onIDX("--hidden-act", "swish"), code: 2, want: `hidden-act: unknown activation "swish"`},
		{name: "unknown latent act", args: onIDX("--latent-act", "gelu"), code: 2, want: `latent-act: unknown activation "gelu"`},
		{name: "unknown output act", args: onIDX("--output-act", "softmax"), code: 2, want: `output-act: unknown activation "softmax"`},
		{name: "unknown loss", args: onIDX("--loss", "hinge"), code: 2, want: `loss "hinge": want mse, bce or table`},
		{name: "bce without sigmoid", args: onIDX("--loss", "bce", "--output-act", "identity"), code: 2, want: "loss bce needs output activation sigmoid"},
		{name: "unknown init", args: onIDX("--init", "zeros"), code: 2, want: `init "zeros": want torch, he or xavier`},
		{name: "unknown backend", args: append(onIDX(), "--backend", "tpu"), code: 2, want: `backend "tpu": want auto, gpu or cpu`},
		{name: "unknown noise", args: onIDX("--noise", "pink:0.1"), code: 2, want: "pink"},
		{name: "unknown normalize", args: onCSV("--normalize", "l2"), files: file("t.csv", string(numCSV(30))), code: 2, want: `normalize "l2": want auto, zscore, minmax or none`},
		{name: "normalize images", args: onIDX("--normalize", "zscore"), code: 2, want: "normalize zscore: image data is scaled to [0,1] already"},
		{name: "unknown header mode", args: onCSV("--header", "maybe"), files: file("t.csv", string(numCSV(30))), code: 2, want: `header "maybe": want auto, yes or no`},
		{name: "unknown flag", args: onIDX("--epoch", "3"), code: 2, want: "unknown flag: --epoch"},
		{name: "stray argument", args: onIDX("extra"), code: 2, want: `unexpected argument "extra"`},
		{name: "unknown command", args: []string{"trian"}, code: 2, want: `unknown command "trian"`},
		// bench.
		{name: "bench unknown backend", args: []string{"bench", "--backends", "tpu", "--data", "$F/idx"}, code: 2, want: `backends "tpu": "tpu" is not cpu or gpu`},
		{name: "bench backend twice", args: []string{"bench", "--backends", "cpu,cpu", "--data", "$F/idx"}, code: 2, want: "cpu is named twice"},
		{name: "bench unknown model", args: []string{"bench", "--backends", "cpu", "--model", "gan", "--data", "$F/idx"}, code: 2, want: `model "gan": want ae or vae`},
		{name: "bench layers not numbers", args: []string{"bench", "--backends", "cpu", "--layers", "36,x", "--data", "$F/idx"}, code: 2, want: `invalid argument "36,x" for "--layers" flag`},
		{name: "bench layers first width", args: []string{"bench", "--backends", "cpu", "--layers", "784,8", "--data", "$F/idx"}, code: 2, want: "layers 784,8: the first width must be the data's 36 columns"},
		{name: "bench batch zero", args: []string{"bench", "--backends", "cpu", "--batch", "0", "--data", "$F/idx"}, code: 2, want: "batch 0"},
		{name: "bench steps negative", args: []string{"bench", "--backends", "cpu", "--steps", "-1", "--data", "$F/idx"}, code: 2, want: "steps -1"},
		{name: "bench batch larger than data", args: []string{"bench", "--backends", "cpu", "--batch", "41", "--growth=false", "--data", "$F/idx"}, code: 2, want: "batch 41: larger than the data set (40 rows)"},
		{name: "bench growth batches", args: []string{"bench", "--backends", "cpu", "--growth-batches", "a", "--data", "$F/idx"}, code: 2, want: `invalid argument "a" for "--growth-batches" flag`},
		{name: "bench missing data", args: []string{"bench", "--backends", "cpu", "--data", "nope.csv"}, code: 1, want: "nope.csv: no such file"},
		{name: "bench bad data", args: []string{"bench", "--backends", "cpu", "--data", "d"}, files: idx("train-images-idx3-ubyte", trainImages[:1000]), code: 1, want: "train-images-idx3-ubyte: header says 40x6x6 = 1440 bytes, file has 984"},
		{name: "bench gpu without adapter", args: []string{"bench", "--backends", "gpu", "--growth=false", "--steps", "2", "--batch", "10", "--layers", "36,8,2", "--data", "$F/idx"}, env: append([]string{"WGML_REQUIRE_GPU=1"}, noGPU...), code: 1, want: "backend gpu: gpu: no WebGPU adapter found"},

		{name: "devices stray argument", args: []string{"devices", "gpu0"}, code: 2, want: `unexpected argument "gpu0"`},
		{name: "devices without adapter", args: []string{"devices"}, env: noGPU, code: 0},

		{name: "noise NaN", args: onIDX("--noise", "gaussian:NaN"), code: 2, want: `noise "gaussian:nan": level "nan" is not a non-negative number`},

		// GPU: none found, or a layer beyond the adapter's buffer limits.
		{name: "train gpu without adapter", args: append(onIDX(), "--backend", "gpu"), env: noGPU, code: 1, want: "backend gpu: gpu: no WebGPU adapter found"},
		{name: "train auto without adapter", args: append(onIDX(), "--backend", "auto"), env: noGPU, code: 0},

		// Resuming from a bad checkpoint: the checkpoint stays as it was.
		{name: "resume mid-epoch other batch", args: onIDX("--resume", "--batch", "5"), files: ckIn("run", fixture(t, "ck-mid-epoch.safetensors")), code: 2, want: "batch 5: the run stopped inside epoch 2 with batch 10; resume with that batch size"},
		{name: "resume mid-epoch other seed", args: onIDX("--resume", "--seed", "9"), files: ckIn("run", fixture(t, "ck-mid-epoch.safetensors")), code: 2, want: "seed 9: the run stopped inside epoch 2 with seed 1; resume with that seed"},
		{name: "resume mid-epoch less data", args: onIDX("--resume", "--limit", "10"), files: ckIn("run", fixture(t, "ck-mid-epoch.safetensors")), code: 1, want: "resume: run/model.safetensors: checkpoint stopped after batch 2 of an epoch, but an epoch here has 1 batches"},
		{name: "resume other activation", args: onIDX("--resume", "--hidden-act", "tanh"), files: ckIn("run", aeCk), code: 2, want: "hidden-act tanh: the checkpoint run/model.safetensors has relu"},
		{name: "resume without checkpoint", args: onIDX("--resume"), code: 1, want: "resume: open run/model.safetensors: no such file or directory"},
		{name: "resume truncated", args: onIDX("--resume"), files: ckIn("run", fixture(t, "ck-truncated.safetensors")), code: 1, want: "resume: run/model.safetensors: truncated"},
		{name: "resume corrupt", args: onIDX("--resume"), files: ckIn("run", fixture(t, "ck-corrupt-header.safetensors")), code: 1, want: "resume: run/model.safetensors: header"},
		{name: "resume newer", args: onIDX("--resume"), files: ckIn("run", fixture(t, "ck-newer.safetensors")), code: 1, want: "run/model.safetensors: checkpoint format version 99 is newer than this wgml reads (2)"},
		{name: "resume weights only", args: onIDX("--resume"), files: ckIn("run", fixture(t, "ck-weights-only.safetensors")), code: 1, want: "resume: run/model.safetensors: checkpoint holds no optimizer state"},
		{name: "resume vae as ae", args: onIDX("--resume", "--model", "ae"), files: ckIn("run", vaeCk), code: 2, want: "model ae: the checkpoint run/model.safetensors holds a vae; leave --model out to resume it"},
		{name: "resume other layers", args: onIDX("--resume", "--layers", "36,4,2"), files: ckIn("run", aeCk), code: 2, want: "layers 36,4,2: the checkpoint run/model.safetensors has layers [36 8 2]; leave --layers out"},
		{name: "resume other normal class", args: onIDX("--resume", "--epochs", "2", "--normal-class", "1"), files: ckIn("run", aeCk), code: 2, want: `normal-class "1": run/model.safetensors was trained with --normal-class ""; resume with the same`},
		{name: "resume other data", args: onCSV("--resume"), files: files(ckIn("run", aeCk), file("t.csv", string(numCSV(30)))), code: 1, want: "data t.csv train has 3 columns, the checkpoint run/model.safetensors expects 36"},

		// Outputs that cannot be written: nothing is trained for nothing.
		{name: "train out under a file", args: append(onIDX(), "--out", "f/sub"), files: file("f", "x"), code: 1, want: "output directory f/sub: not a directory"},
		{name: "train out is a file", args: append(onIDX(), "--out", "f"), files: file("f", "x"), code: 1, want: "output directory f: not a directory"},
		{name: "train checkpoint is a folder", args: onIDX(), files: file("run/model.safetensors/x", ""), code: 1, want: "run/model.safetensors: is a directory, want a file name"},
		{name: "train loss plot is a folder", args: onIDX(), files: file("run/loss.png/x", ""), code: 1, want: "run/loss.png: is a directory, want a file name"},
		{name: "encode plot under a file", args: []string{"encode", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--data", "$F/idx", "--out", "l.csv", "--plot", "f/sub/p.png"}, files: file("f", "x"), code: 1, want: "f/sub/p.png"},

		// Other encode inputs.
		{name: "encode default model missing", args: []string{"encode", "--backend", "cpu"}, code: 1, want: "open runs/ae-mnist/model.safetensors: no such file or directory"},
		{name: "encode batch zero", args: []string{"encode", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--batch", "0"}, code: 2, want: "batch 0: want a positive batch size"},
		{name: "encode unknown split", args: []string{"encode", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--split", "val"}, code: 2, want: `split "val": want test or train`},
		{name: "encode bad data", args: []string{"encode", "--backend", "cpu", "--model", "$F/csvae/model.safetensors", "--data", "t.csv", "--label-col", "label"}, files: csvFile("a,b,c,label\n1,2,3,x\n1,2,zz,y\n"), code: 1, want: `t.csv:3: column "c": "zz" is not a number`},
	}

	cases = append(cases, gpuLimitCases(train)...)

	// Every command that reads a checkpoint: it works on a good one, fails
	// cleanly on every bad one, on an output path it cannot write and
	// without a GPU.
	for _, name := range slices.Sorted(mapKeys(modelCommands)) {
		args := modelCommands[name]
		cases = append(cases,
			cliCase{name: name + " control", args: args, files: file("out/.keep", ""), code: 0},
			cliCase{name: name + " out under a file", args: append(slices.Clone(args), "--out", "f/sub/x.out"), files: file("f", "x"), code: 1, want: "f/sub/x.out"},
			cliCase{name: name + " out is a folder", args: append(slices.Clone(args), "--out", "d"), files: file("d/x", ""), code: 1, want: "d: is a directory, want a file name"},
			cliCase{name: name + " gpu without adapter", args: append(slices.Clone(args), "--backend", "gpu"), env: noGPU, code: 1, want: "backend gpu: gpu: no WebGPU adapter found"},
			cliCase{name: name + " unknown backend", args: append(slices.Clone(args), "--backend", "tpu"), code: 2, want: `backend "tpu": want auto, gpu or cpu`},
		)
		if slices.Contains(args, "--data") {
			cases = append(cases,
				cliCase{name: name + " missing data", args: append(slices.Clone(args), "--data", "nope.csv"), code: 1, want: "nope.csv: no such file"},
				cliCase{name: name + " truncated gz data", args: append(slices.Clone(args), "--data", "d"), files: idx("t10k-images-idx3-ubyte.gz", testImagesGz[:len(testImagesGz)/2]), code: 1, want: "t10k-images-idx3-ubyte.gz: truncated or corrupt data: unexpected EOF"},
				cliCase{name: name + " data of another width", args: append(slices.Clone(args), "--data", "t.csv"), files: file("t.csv", string(numCSV(30))), code: 1, want: "data t.csv has 3 columns, model"},
			)
		}
	}
	for _, c := range []struct{ file, want string }{
		{"missing.safetensors", "open $F/missing.safetensors: no such file or directory"},
		{"ck-empty.safetensors", "ck-empty.safetensors: truncated: 0 bytes"},
		{"ck-truncated.safetensors", "ck-truncated.safetensors: truncated"},
		{"ck-cut-header.safetensors", "ck-cut-header.safetensors: truncated"},
		{"ck-corrupt-header.safetensors", "ck-corrupt-header.safetensors: header"},
		{"ck-corrupt-data.safetensors", "ck-corrupt-data.safetensors: tensor "},
		{"ck-inf-weight.safetensors", "ck-inf-weight.safetensors: tensor decoder.1.weight holds +Inf at index 3"},
		{"ck-text.safetensors", "ck-text.safetensors: header length"},
		{"ck-foreign.safetensors", "ck-foreign.safetensors: not a wgml checkpoint"},
		{"ck-newer.safetensors", "ck-newer.safetensors: checkpoint format version 99 is newer than this wgml reads (2); upgrade wgml"},
		{"ck-version-text.safetensors", `ck-version-text.safetensors: format_version "one" is not a number`},
		{"ck-gan.safetensors", `ck-gan.safetensors: metadata config: model "gan": want ae or vae`},
		{"ck-bad-act.safetensors", `ck-bad-act.safetensors: metadata config: unknown activation "swish"`},
		{"ck-negative-step.safetensors", `ck-negative-step.safetensors: metadata step "-4" is not a step count`},
		{"ck-no-data-meta.safetensors", "ck-no-data-meta.safetensors: metadata data"},
		{"ck-missing-tensor.safetensors", "ck-missing-tensor.safetensors: tensor decoder.0.bias is missing"},
		{"ck-wrong-shape.safetensors", "ck-wrong-shape.safetensors: tensor encoder.0.weight has shape [36 8], the config needs [8 36]"},
		{".", "$F: is a directory"},
	} {
		for _, name := range slices.Sorted(mapKeys(modelCommands)) {
			args := append(slices.Clone(modelCommands[name]), "--model", "$F/"+c.file)
			if c.file == "." {
				args[len(args)-1] = "$F"
			}
			cases = append(cases, cliCase{name: name + " " + strings.TrimSuffix(c.file, ".safetensors"), args: args, code: 1, want: c.want})
		}
	}
	exportAE := []string{"export", "--backend", "cpu", "--model", "$F/ae/model.safetensors", "--out", "out/model.onnx"}
	return append(cases, cliCase{name: "export unknown format", args: append(slices.Clone(exportAE), "--format", "tflite"), code: 2, want: `format "tflite": want onnx`})
}

func mapKeys[M ~map[K]V, K comparable, V any](m M) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestBadInputs runs the table and counts the outcomes.
func TestBadInputs(t *testing.T) {
	cases := cliCases(t)
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("two rows named %q", c.name)
		}
		seen[c.name] = true
	}
	type outcome struct{ clear, panicked, partial, wrong int }
	results := make([]outcome, len(cases))
	t.Run("table", func(t *testing.T) {
		for i, c := range cases {
			t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
				t.Parallel()
				results[i] = runCase(t, c)
			})
		}
	})
	var sum outcome
	bad := 0
	for i, r := range results {
		if cases[i].code == 0 || r == (outcome{}) { // a control, or not run
			continue
		}
		bad++
		sum.clear += r.clear
		sum.panicked += r.panicked
		sum.partial += r.partial
		sum.wrong += r.wrong
	}
	t.Logf("%d bad inputs: %d clear errors, %d panics, %d partial files, %d other failures",
		bad, sum.clear, sum.panicked, sum.partial, sum.wrong)
}

// runCase runs one row and checks it; the outcome counts it.
func runCase(t *testing.T, c cliCase) (o struct{ clear, panicked, partial, wrong int }) {
	if c.gpu {
		needGPU(t)
	}
	dir := t.TempDir()
	if err := writeFiles(dir, c.files); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	args := make([]string, len(c.args))
	for i, a := range c.args {
		args[i] = strings.ReplaceAll(a, "$F", fixDir)
	}
	stdout, stderr, code := wgmlRunEnv(t, dir, c.env, args...)
	errText := strings.ReplaceAll(stderr, fixDir, "$F")
	both := stdout + stderr
	failed := false
	fail := func(format string, args ...any) {
		t.Helper()
		failed = true
		t.Errorf("wgml %s\n%s\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), fmt.Sprintf(format, args...), stdout, errText)
	}
	if strings.Contains(both, "panic") || strings.Contains(both, "goroutine ") {
		o.panicked = 1
		fail("panicked")
		return o
	}
	if code != c.code {
		fail("exit status %d, want %d", code, c.code)
	}
	if c.code == 0 {
		return o
	}
	lines := strings.Split(strings.TrimSuffix(errText, "\n"), "\n")
	switch {
	case len(lines) != 1 || !strings.HasSuffix(errText, "\n"):
		fail("stderr has %d lines, want one", len(lines))
	case !strings.HasPrefix(lines[0], "wgml: "):
		fail("stderr does not start with \"wgml: \"")
	case !strings.Contains(lines[0], c.want):
		fail("stderr does not say %q", c.want)
	}
	if changed := diffFiles(before, snapshot(t, dir)); len(changed) > 0 {
		o.partial = 1
		fail("files written or changed: %s", strings.Join(changed, ", "))
	}
	switch {
	case o.partial > 0:
	case failed:
		o.wrong = 1
	default:
		o.clear = 1
	}
	return o
}

// gpuProbe returns the largest storage binding of the adapter --backend gpu
// takes, or why WebGPU finds none.
var gpuProbe = sync.OnceValues(func() (uint64, error) {
	infos, err := gpu.Adapters()
	if err == nil && len(infos) == 0 {
		err = gpu.ErrNoAdapter
	}
	if err != nil {
		return 0, err
	}
	return infos[0].MaxStorageBinding, nil
})

// gpuBinding is gpuProbe's binding size, 0 where there is no adapter.
func gpuBinding() uint64 {
	lim, _ := gpuProbe()
	return lim
}

func haveGPU() bool { return gpuBinding() > 0 }

// gpuLimitCases are models and batches too large for the adapter's
// largest storage binding, sized from it. Where there is no adapter they
// cannot be sized: one gpu row stands for them, which runCase skips, or
// fails under WGML_REQUIRE_GPU.
func gpuLimitCases(train func(...string) []string) []cliCase {
	lim := gpuBinding()
	if lim == 0 {
		return []cliCase{{name: "train gpu limits", gpu: true}}
	}
	// 36,h,2 has 77h+38 parameters, in one flat buffer.
	h := lim/(4*77) + 1
	want := "exceeds the largest storage binding"
	if 77*h+38 > nn.MaxParams {
		want = "more than the 1073741824 wgml supports"
	}
	// A batch of n rows of a 1024-wide layer needs 4096n bytes.
	n := int(lim/4096 + 1)
	cases := []cliCase{
		{name: "train gpu parameters too large", args: append(train("--data", "$F/idx", "--layers", fmt.Sprintf("36,%d,2", h)), "--backend", "gpu"), gpu: true, code: 1, want: want},
		{name: "train gpu batch too large", args: append(train("--data", "tall", "--layers", "1,1024,1", "--batch", fmt.Sprint(n)), "--backend", "gpu"), gpu: true,
			files: idxDir("tall", func(set map[string][]byte) {
				set["train-images-idx3-ubyte"] = idxBytes(8, []int{n, 1, 1}, make([]byte, n))
				set["train-labels-idx1-ubyte"] = idxBytes(8, []int{n}, make([]byte, n))
				set["t10k-images-idx3-ubyte.gz"] = gzipBytes(idxBytes(8, []int{fixTest, 1, 1}, make([]byte, fixTest)))
			}), code: 1, want: "exceeds the largest storage binding"},
	}
	// A data set larger than one binding is split over several (gpu/shards.go);
	// a row larger than one is refused. WGML_MAX_BINDING makes a 1 KiB row that.
	cases = append(cases, cliCase{name: "train gpu row past the binding", args: append(train("--data", "wide", "--layers", "1024,2"), "--backend", "gpu"), gpu: true,
		env: []string{"WGML_MAX_BINDING=1000"},
		files: idxDir("wide", func(set map[string][]byte) {
			set["train-images-idx3-ubyte"] = idxBytes(8, []int{30, 32, 32}, make([]byte, 30*1024))
			set["train-labels-idx1-ubyte"] = idxBytes(8, []int{30}, make([]byte, 30))
			set["t10k-images-idx3-ubyte.gz"] = gzipBytes(idxBytes(8, []int{fixTest, 32, 32}, make([]byte, fixTest*1024)))
		}), code: 1, want: "one row of 1024 bytes exceeds the largest storage binding"})
	return cases
}

// snapshot maps every regular file under dir to a hash of its contents.
// Folders are not listed: an empty output folder is no partial output.
func snapshot(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffFiles lists the files that are new, changed or gone in after.
func diffFiles(before, after map[string]string) []string {
	var out []string
	for p, h := range after {
		if b, ok := before[p]; !ok {
			out = append(out, p+" (new)")
		} else if b != h {
			out = append(out, p+" (changed)")
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p+" (gone)")
		}
	}
	slices.Sort(out)
	return out
}
