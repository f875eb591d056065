package wgml

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/outlier"
)

// streamRows writes rows×cols values (a seeded table) to a .npy file and
// the same float32s to a CSV with a header; it returns both paths and the
// values.
func streamRows(t *testing.T, rows, cols int) (npy, csvPath string, vals []float32) {
	t.Helper()
	dir := t.TempDir()
	vals = make([]float32, rows*cols)
	for i := range vals {
		vals[i] = float32(3*math.Sin(float64(i%cols+1)*float64(i/cols)) + math.Cos(float64(i)*0.37))
	}
	npy, csvPath = filepath.Join(dir, "rows.npy"), filepath.Join(dir, "rows.csv")
	if err := data.WriteNPY(npy, rows, cols, func(i int, dst []float32) { copy(dst, vals[i*cols:]) }); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for j := range cols {
		fmt.Fprintf(&b, "%sc%d", map[bool]string{true: ",", false: ""}[j > 0], j)
	}
	for i := range rows {
		b.WriteByte('\n')
		for j := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(float64(vals[i*cols+j]), 'g', -1, 32))
		}
	}
	b.WriteByte('\n')
	if err := os.WriteFile(csvPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return npy, csvPath, vals
}

// streamJob is a Job streaming spec in chunks of 16 rows, 2 per shuffle
// buffer, into a new folder.
func streamJob(t *testing.T, spec string, epochs int) Job {
	return Job{Options: Options{Layers: []int{4, 2}, Epochs: epochs, Batch: 8, Seed: 3, Stream: StreamOn, StreamChunk: 16, StreamWindow: 2, Backend: cpu.New()},
		Data: spec, Out: t.TempDir()}
}

// runJob prepares and runs job, returning the model and the Training.
func runJob(t *testing.T, job Job, h Hooks) (*Model, *Training, error) {
	t.Helper()
	tr, err := Prepare(job)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	m, err := tr.Run(context.Background(), cpu.New(), h)
	return m, tr, err
}

// TestStreamedJobIsTheStreamedTrainer trains a Job with --stream on a
// .npy and on the same rows as a CSV (through its cache): both must give,
// loss for loss, the history of nn's streamed trainer on the rows the
// split keeps for training (the rows data.Split's index leaves, in file
// order, 300 rows being 300 blocks of one), normalised by the in-memory
// FitNormalizer of those rows, which the stream's one pass must equal
// exactly.
func TestStreamedJobIsTheStreamedTrainer(t *testing.T) {
	const rows, cols = 300, 5
	npy, csvPath, vals := streamRows(t, rows, cols)
	m, tr, err := runJob(t, streamJob(t, npy, 2), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	perm := philox.Shuffle(rows, 3, philox.SplitStream)
	nTest := int(math.Round(0.2 * rows))
	testIdx, trainIdx := perm[:nTest], slices.Sorted(slices.Values(perm[nTest:]))
	pick := func(idx []int32) *data.Dataset {
		d := &data.Dataset{Name: "rows", Rows: len(idx), Cols: cols}
		for _, i := range idx {
			d.Floats = append(d.Floats, vals[int(i)*cols:int(i+1)*cols]...)
		}
		return d
	}
	train, test := pick(trainIdx), pick(testIdx)
	norm, err := data.FitNormalizer("zscore", train)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Norm.Offset, norm.Offset) || !slices.Equal(m.Norm.Scale, norm.Scale) {
		t.Fatalf("streamed normaliser %+v, in memory %+v", m.Norm, norm)
	}
	nt, _ := norm.Apply(train)
	path := filepath.Join(t.TempDir(), "train.npy")
	if err := data.WriteNPY(path, nt.Rows, cols, func(i int, dst []float32) { copy(dst, nt.Floats[i*cols:]) }); err != nil {
		t.Fatal(err)
	}
	s, err := data.OpenNPYStream(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ntest, _ := norm.Apply(test)
	b := cpu.New()
	model, err := nn.NewModel(b, tr.Config, tr.Train.Seed)
	if err != nil {
		t.Fatal(err)
	}
	want, err := nn.NewTrainer(b, model, nn.Source{Rows: nt.Rows, Cols: cols, Stream: s}, &nn.Source{Rows: test.Rows, Cols: cols, Floats: ntest.Floats}, tr.Train)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := want.RunEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	same := func(name string, got []nn.EpochStats) {
		for e, st := range got {
			w := want.History[e]
			if st.Loss != w.Loss || st.TestLoss != w.TestLoss {
				t.Errorf("%s epoch %d: loss %v test %v, the streamed trainer's %v and %v", name, e+1, st.Loss, st.TestLoss, w.Loss, w.TestLoss)
			}
		}
	}
	same("npy", m.History)
	mc, trc, err := runJob(t, streamJob(t, csvPath, 2), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	same("csv", mc.History)
	if !strings.Contains(trc.Streamed, "built now") || trc.Rows.Rows != len(trainIdx) || trc.Test.Rows != nTest {
		t.Errorf("csv: %q, %d train rows, %d test rows", trc.Streamed, trc.Rows.Rows, trc.Test.Rows)
	}
}

// TestStreamCacheReusedOrRebuilt: a second run over the same CSV reuses
// the cache in its folder; a source with another modification time makes
// it rebuild.
func TestStreamCacheReusedOrRebuilt(t *testing.T) {
	_, csvPath, _ := streamRows(t, 60, 3)
	job := streamJob(t, csvPath, 1)
	for k, want := range []string{"built now", "reused", "built now"} {
		if k == 2 {
			later := time.Now().Add(time.Hour)
			if err := os.Chtimes(csvPath, later, later); err != nil {
				t.Fatal(err)
			}
		}
		job.Start = StartOver
		tr, err := Prepare(job)
		if err != nil {
			t.Fatal(err)
		}
		tr.Close()
		if !strings.Contains(tr.Streamed, want) {
			t.Errorf("run %d: %q, want %q", k+1, tr.Streamed, want)
		}
	}
}

// TestStreamedJobResumesExactly stops a streamed Job after k steps, at a
// chunk boundary (k = 2: 16 rows) and inside a chunk (k = 3), and resumes
// it from its folder: the final model and history equal an uninterrupted
// run's.
func TestStreamedJobResumesExactly(t *testing.T) {
	npy, _, _ := streamRows(t, 200, 4)
	whole, _, err := runJob(t, streamJob(t, npy, 2), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	want := whole.History
	for _, k := range []int{2, 3} {
		job := streamJob(t, npy, 2)
		steps := 0
		_, _, err := runJob(t, job, Hooks{Hooks: nn.Hooks{Stop: func() bool { steps++; return steps > k }}})
		var stopped *StoppedError
		if !errors.As(err, &stopped) || stopped.Step != k {
			t.Fatalf("stop after %d steps: %v", k, err)
		}
		job.Start = StartResume
		job.Stream = StreamAuto // a resumed run streams as it did
		m, tr, err := runJob(t, job, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Streamed == "" {
			t.Fatalf("stopped after %d steps: the resumed run does not stream", k)
		}
		for e := range want {
			if m.History[e].Loss != want[e].Loss || m.History[e].TestLoss != want[e].TestLoss {
				t.Errorf("stopped after %d steps: epoch %d loss %v, uninterrupted %v", k, e+1, m.History[e].Loss, want[e].Loss)
			}
		}
		if m.Threshold != whole.Threshold {
			t.Errorf("stopped after %d steps: threshold %v, uninterrupted %v", k, m.Threshold, whole.Threshold)
		}
	}
}

// TestStreamedFileChangesEndTraining: a .npy that shrinks or disappears
// after the first epoch ends the run with one line naming the file and
// the rows, the first epoch's checkpoint kept.
func TestStreamedFileChangesEndTraining(t *testing.T) {
	for _, change := range []string{"shrank", "disappeared"} {
		npy, _, _ := streamRows(t, 200, 4)
		job := streamJob(t, npy, 3)
		_, _, err := runJob(t, job, Hooks{Hooks: nn.Hooks{EpochEnd: func(st nn.EpochStats) error {
			if st.Epoch != 1 {
				return nil
			}
			if change == "shrank" {
				return os.Truncate(npy, 1000)
			}
			return os.Remove(npy)
		}}})
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), npy+": reading rows") ||
			!strings.Contains(err.Error(), change) || !strings.Contains(err.Error(), "last good checkpoint kept") {
			t.Errorf("%s: %v", change, err)
		}
		ck, err := nn.LoadCheckpoint(filepath.Join(job.Out, CheckpointName))
		if err != nil || ck.Epoch != 1 {
			t.Errorf("%s: the checkpoint kept: %v (epoch %v)", change, err, ck)
		}
	}
}

// failingAlloc is a cpu backend whose allocations fail once fail is set.
type failingAlloc struct {
	nn.Backend
	fail bool
}

func (f *failingAlloc) Alloc(rows, cols int) (nn.Tensor, error) {
	if f.fail {
		return nil, fmt.Errorf("out of device memory allocating %d×%d", rows, cols)
	}
	return f.Backend.Alloc(rows, cols)
}

// TestStreamedAllocFailure: a device allocation failing after the last
// epoch, in the streamed pass that scores the training rows for the
// thresholds, ends the run with one line naming the rows; the previous
// epoch's checkpoint stays.
func TestStreamedAllocFailure(t *testing.T) {
	npy, _, _ := streamRows(t, 100, 4)
	job := streamJob(t, npy, 2)
	tr, err := Prepare(job)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	b := &failingAlloc{Backend: cpu.New()}
	_, err = tr.Run(context.Background(), b, Hooks{Hooks: nn.Hooks{EpochEnd: func(st nn.EpochStats) error {
		b.fail = st.Epoch == 2
		return nil
	}}})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "scoring the training rows: training rows 0 to 79") || !strings.Contains(err.Error(), "out of device memory") {
		t.Errorf("run: %v", err)
	}
	if ck, err := nn.LoadCheckpoint(filepath.Join(job.Out, CheckpointName)); err != nil || ck.Epoch != 1 {
		t.Errorf("the checkpoint kept: %v", err)
	}
}

// TestStreamAuto: auto streams a file whose values would not fit the
// available memory, saying why, and holds a small one (or one with a row
// limit) in memory; a resumed run keeps its mode and refuses another one.
func TestStreamAuto(t *testing.T) {
	npy, _, _ := streamRows(t, 100, 4)
	keep := memAvailable
	defer func() { memAvailable = keep }()
	job := streamJob(t, npy, 1)
	job.Stream = StreamAuto
	for _, c := range []struct {
		avail int64
		want  string
	}{{1 << 30, ""}, {1000, "auto: in memory its 100 rows × 4 values would take"}} {
		memAvailable = func() (int64, bool) { return c.avail, true }
		job.Start = StartOver
		_, tr, err := runJob(t, job, Hooks{})
		if err != nil || (c.want == "") != (tr.Streamed == "") || !strings.Contains(tr.Streamed, c.want) {
			t.Errorf("%d bytes available: %q, %v", c.avail, tr.Streamed, err)
		}
	}
	limited := job
	limited.Limit, limited.Start, limited.Out = 50, StartNew, t.TempDir()
	if _, tr, err := runJob(t, limited, Hooks{}); err != nil || tr.Streamed != "" {
		t.Errorf("auto with a limit: %q, %v; want it in memory", tr.Streamed, err)
	}
	job.Start, job.Stream, job.Epochs = StartResume, StreamOff, 2
	if _, err := Prepare(job); err == nil || !strings.Contains(err.Error(), "stream off: the run resumed streamed its training set") {
		t.Errorf("resuming a streamed run with stream off: %v", err)
	}
}

// TestStreamTrainingScores: a loaded streamed model's training scores,
// read back from disk through the run folder's split, give the threshold
// training fitted, for the training rows and for the validation rows.
func TestStreamTrainingScores(t *testing.T) {
	npy, _, _ := streamRows(t, 300, 5)
	for _, on := range []string{"train", "val"} {
		job := streamJob(t, npy, 2)
		job.ValFrac, job.ThresholdOn = 0.25, on
		if _, _, err := runJob(t, job, Hooks{}); err != nil {
			t.Fatal(err)
		}
		m, err := Load(filepath.Join(job.Out, CheckpointName), cpu.New())
		if err != nil {
			t.Fatal(err)
		}
		scores, err := m.StreamTrainingScores(job.Out, nn.ScoreRecon, 64)
		if err != nil {
			t.Fatal(err)
		}
		q, err := outlier.Quantile(scores, m.Contamination)
		if err != nil || q != m.Threshold || len(scores) != m.Card().Thresholds.Rows {
			t.Errorf("threshold on %s: %d scores give %v, training fitted %v on %d rows (%v)", on, len(scores), q, m.Threshold, m.Card().Thresholds.Rows, err)
		}
	}
}
