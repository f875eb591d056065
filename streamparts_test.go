package wgml

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/noise"
)

// partFixture trains a VAE on iris with its species as labels (gaps
// under mask) and returns the model and bigIris's Part, as wgml score
// reads it: a stream reads several chunks.
func partFixture(t *testing.T) (*Model, Part) {
	t.Helper()
	open := data.OpenOptions{CSV: data.CSVOptions{Missing: data.MissingMask, LabelCol: "species"}}
	m, _, err := FitFile(iris, open, Options{Model: "vae", Layers: []int{5, 2}, Epochs: 2, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	big := bigIris(t)
	return m, Part{Spec: big, Open: m.DataOptions(big), Split: SplitTest, TestLimit: 20000}
}

// TestScoreDataStreamEqualsInMemory: ScoreData streams the table (several
// chunks) and answers as ScoreRows on the rows ReadSplit reads: the
// scores bit for bit, the threshold refitted on the training part, the
// summary and the CSV byte for byte, for the test and the training part.
func TestScoreDataStreamEqualsInMemory(t *testing.T) {
	m, p := partFixture(t)
	opt := ScoreOptions{Choice: ThresholdChoice{Kind: "elbo", Contamination: 0.05, Refit: true}, OutlierLabels: []string{"virginica"}}
	if !StreamsScoring(p, opt) || StreamsScoring(p, ScoreOptions{PerFeature: true}) {
		t.Fatal("StreamsScoring: want a stream without explanations only")
	}
	for _, split := range []Split{SplitTest, SplitTrain} {
		p.Split = split
		got, err := m.ScoreData(p, opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		train, test, err := ReadSplit(p.Spec, p.Open, p.Limit, p.TestLimit, nil)
		if err != nil {
			t.Fatal(err)
		}
		memOpt := opt
		memOpt.Train = func() (*data.Dataset, error) { return train, nil }
		want, err := m.ScoreRows(split.Of(train, test), memOpt)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Scores, want.Scores) || got.Threshold != want.Threshold || got.How != want.How || len(got.Scores) < 1000 {
			t.Fatalf("%s: %d scores, threshold %v (%s); in memory %d, %v (%s)", split, len(got.Scores), got.Threshold, got.How, len(want.Scores), want.Threshold, want.How)
		}
		var gr, wr bytes.Buffer
		got.Report(&gr)
		want.Report(&wr)
		if gr.String() != wr.String() {
			t.Fatalf("%s: summary\n%s\nin memory\n%s", split, gr.String(), wr.String())
		}
		sameFiles(t, string(split), got.WriteCSV, want.WriteCSV)
	}
}

// TestEncodeDataStreamEqualsInMemory: EncodeData streams the table and
// returns the codes of the rows ReadSplit reads, bit for bit, in their
// order, with their labels.
func TestEncodeDataStreamEqualsInMemory(t *testing.T) {
	m, p := partFixture(t)
	got, err := m.EncodeData(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := ReadSplit(p.Spec, p.Open, p.Limit, p.TestLimit, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Codes(test)
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b []float32) bool {
		return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
	}
	if !same(got.Floats, want) || got.Name != test.Name || got.Rows != test.Rows {
		t.Fatalf("%s: %d codes; in memory %s, %d rows", got.Name, got.Rows, test.Name, test.Rows)
	}
	for i := range got.Rows {
		if LabelName(got.Labels[i], got.Classes) != LabelName(test.Labels[i], test.Classes) {
			t.Fatalf("row %d: label %s, in memory %s", i, LabelName(got.Labels[i], got.Classes), LabelName(test.Labels[i], test.Classes))
		}
	}
}

// TestDenoisePartStreamEqualsInMemory: DenoisePart streams the table
// without noise (its rows in a temporary file) and reports and writes
// what DenoiseData does for the rows ReadSplit reads; with noise it does
// not stream.
func TestDenoisePartStreamEqualsInMemory(t *testing.T) {
	m, p := partFixture(t)
	if StreamsDenoising(p, noise.Noise{Kind: noise.Gaussian, Level: 0.1}) || !StreamsDenoising(p, noise.Noise{}) {
		t.Fatal("StreamsDenoising: want a stream without noise only")
	}
	got, err := m.DenoisePart(p, noise.Noise{}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if got.file == nil {
		t.Fatal("DenoisePart did not stream")
	}
	_, test, err := ReadSplit(p.Spec, p.Open, p.Limit, p.TestLimit, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.DenoiseData(test, noise.Noise{}, 1, m.Batch)
	if err != nil {
		t.Fatal(err)
	}
	var gr, wr bytes.Buffer
	if err := got.Report(&gr); err != nil {
		t.Fatal(err)
	}
	if err := want.Report(&wr); err != nil {
		t.Fatal(err)
	}
	if gr.String() != wr.String() {
		t.Fatalf("report\n%s\nin memory\n%s", gr.String(), wr.String())
	}
	sameFiles(t, "denoised", got.WriteCSV, want.WriteCSV)
}

// TestStreamNPYEqualsInMemory: a .npy array of floats streams (in
// several chunks) through ScoreData and EncodeData with the answers of
// the in-memory path; an array of bytes (pixels) does not stream.
func TestStreamNPYEqualsInMemory(t *testing.T) {
	dir := t.TempDir()
	path, cols := filepath.Join(dir, "x.npy"), 40
	rows := 2 * npyChunkBytes / (4 * cols) // two chunks and a bit
	rows += rows / 7
	err := data.WriteNPY(path, rows, cols, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32(math.Sin(float64(i*cols+j))) + float32(j%3)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := FitFile(path, data.OpenOptions{}, Options{Layers: []int{8, 3}, Epochs: 1, Batch: 256})
	if err != nil {
		t.Fatal(err)
	}
	p := Part{Spec: path, Open: m.DataOptions(path), Split: SplitTest}
	opt := ScoreOptions{Choice: ThresholdChoice{Kind: "recon", Contamination: 0.1, Refit: true}}
	if !StreamsScoring(p, opt) {
		t.Fatal("StreamsScoring: a .npy of floats does not stream")
	}
	got, err := m.ScoreData(p, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := ReadSplit(p.Spec, p.Open, 0, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.Train = func() (*data.Dataset, error) { return train, nil }
	want, err := m.ScoreRows(test, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Scores, want.Scores) || got.Threshold != want.Threshold || got.Rows.Name != want.Rows.Name {
		t.Fatalf("%s: %d scores, threshold %v; in memory %s: %d, %v", got.Rows.Name, len(got.Scores), got.Threshold, want.Rows.Name, len(want.Scores), want.Threshold)
	}
	codes, err := m.EncodeData(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantCodes, err := m.Codes(test)
	if err != nil || !slices.Equal(codes.Floats, wantCodes) {
		t.Fatalf("EncodeData: %d codes, in memory %d (%v)", len(codes.Floats), len(wantCodes), err)
	}
	px := filepath.Join(dir, "px.npy")
	if err := os.WriteFile(px, npyBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := data.ReadNPY(px); err != nil || d.Bytes == nil || streamsPart(Part{Spec: px}) {
		t.Fatalf("a .npy of bytes (%v) streams", err)
	}
}

// npyBytes is a .npy file of a (2, 3) uint8 array.
func npyBytes(t *testing.T) []byte {
	t.Helper()
	header := "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }"
	header += strings.Repeat(" ", 128-10-len(header)-1) + "\n" // the data at 128 bytes
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(header)), 0)
	return append(append(b, header...), 1, 2, 3, 4, 5, 6)
}

// sameFiles writes a file with got and with want and fails unless they
// are equal byte for byte.
func sameFiles(t *testing.T, what string, got, want func(path string) error) {
	t.Helper()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "got.csv"), filepath.Join(dir, "want.csv")
	if err := got(a); err != nil {
		t.Fatal(err)
	}
	if err := want(b); err != nil {
		t.Fatal(err)
	}
	ga, _ := os.ReadFile(a)
	wb, _ := os.ReadFile(b)
	if !bytes.Equal(ga, wb) || len(ga) == 0 {
		t.Fatalf("%s: the CSV differs from the in-memory one (%d and %d bytes)", what, len(ga), len(wb))
	}
}
