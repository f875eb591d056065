package nn_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
)

// orderRef is StreamOrder's order of epoch e written out from its doc.
func orderRef(o nn.StreamOrder, e int) []int32 {
	chunks := (o.Rows + o.Chunk - 1) / o.Chunk
	pi := philox.Shuffle(chunks, o.Seed, philox.ChunkStream+uint64(e))
	var out []int32
	for w := 0; w*o.Window < chunks; w++ {
		var list []int32
		for _, c := range pi[w*o.Window : min((w+1)*o.Window, chunks)] {
			for r := int(c) * o.Chunk; r < min((int(c)+1)*o.Chunk, o.Rows); r++ {
				list = append(list, int32(r))
			}
		}
		for _, k := range philox.Shuffle(len(list), o.Seed, philox.WindowStream+uint64(e)<<24+uint64(w)) {
			out = append(out, list[k])
		}
	}
	return out
}

// TestStreamOrder checks StreamOrder.Order against its definition, that it
// visits every row once, that one (seed, epoch) gives one order and other
// epochs or seeds others, and that a shuffle buffer of one chunk keeps each
// chunk's rows together.
func TestStreamOrder(t *testing.T) {
	for _, o := range []nn.StreamOrder{
		{Rows: 103, Chunk: 7, Window: 2, Seed: 3}, // a last chunk of 5 rows
		{Rows: 96, Chunk: 16, Window: 1, Seed: 3},
		{Rows: 50, Chunk: 64, Window: 4, Seed: 9}, // one short chunk
		{Rows: 1, Chunk: 1, Window: 1, Seed: 1},
	} {
		got, err := o.Order(2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, orderRef(o, 2)) {
			t.Errorf("%+v: order differs from its definition", o)
		}
		sorted := slices.Sorted(slices.Values(got))
		for i, r := range sorted {
			if int(r) != i {
				t.Fatalf("%+v: not a permutation of the rows: %v", o, sorted)
			}
		}
		again, _ := o.Order(2)
		other, _ := o.Order(3)
		if !slices.Equal(got, again) || (o.Rows > 1 && slices.Equal(got, other)) {
			t.Errorf("%+v: epoch 2 twice equal %v, epoch 3 differs %v", o, slices.Equal(got, again), !slices.Equal(got, other))
		}
		if o.Window == 1 {
			for p := 0; p < o.Rows; p += o.Chunk {
				c := int(got[p]) / o.Chunk
				for _, r := range got[p:min(p+o.Chunk, o.Rows)] {
					if int(r)/o.Chunk != c {
						t.Errorf("%+v: positions %d.. mix chunks %d and %d", o, p, c, int(r)/o.Chunk)
					}
				}
			}
		}
	}
	if _, err := (nn.StreamOrder{Rows: 10, Chunk: 0, Window: 1}).Order(1); err == nil {
		t.Error("a chunk of 0 rows was accepted")
	}
}

// streamNPY writes src's rows (bytes as byte/255) to a .npy file and opens
// it as a stream: a Source of the same rows as floats, read from disk.
func streamNPY(t *testing.T, src nn.Source) nn.Source {
	t.Helper()
	path := filepath.Join(t.TempDir(), "train.npy")
	err := data.WriteNPY(path, src.Rows, src.Cols, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32(src.Bytes[i*src.Cols+j]) * (1.0 / 255)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := data.OpenNPYStream(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return nn.Source{Rows: s.Rows, Cols: s.Cols, Stream: s}
}

// indexRows is rows whose values name them: row i is i, i+0.01, ….
func indexRows(t *testing.T, rows, cols int) nn.Source {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rows.npy")
	if err := data.WriteNPY(path, rows, cols, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32(i) + float32(j)/100
		}
	}); err != nil {
		t.Fatal(err)
	}
	s, err := data.OpenNPYStream(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return nn.Source{Rows: rows, Cols: cols, Stream: s}
}

// TestStreamedBatchesFollowOrder gathers every batch of two epochs of a
// streamed set, with chunks smaller than a batch (chunk boundaries inside
// batches), larger ones (several batches per upload block), a last short
// chunk and a last short batch, and batches reached out of turn, as a
// resume reaches them, epoch 2's first window read ahead during epoch 1 or
// not: each row fed is the one StreamOrder puts there.
func TestStreamedBatchesFollowOrder(t *testing.T) {
	const rows, cols, batch = 103, 3, 16
	for _, so := range []nn.StreamOptions{{Chunk: 7, Window: 2}, {Chunk: 40, Window: 1}, {Chunk: 33, Window: 3}, {Chunk: 500, Window: 1}} {
		b := cpu.New()
		m, err := nn.NewModel(b, nn.Config{Kind: nn.KindAE, Layers: []int{cols, 2}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Identity, Loss: nn.LossMSE, Init: "torch"}, 1)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := nn.NewTrainer(b, m, indexRows(t, rows, cols), nil, nn.TrainOptions{Epochs: 2, Batch: batch, Adam: nn.DefaultAdam, Seed: 4, Stream: so})
		if err != nil {
			t.Fatal(err)
		}
		ord := nn.StreamOrder{Rows: rows, Chunk: so.Chunk, Window: so.Window, Seed: 4}
		for _, visit := range [][]int{{0, 1, 2, 3, 4, 5, 6}, {3, 4, 5, 6}, {1, 2, 6}, {5, 6}} {
			for _, epoch := range []int{1, 2} {
				want, _ := ord.Order(epoch)
				if err := tr.StartEpochForTest(epoch); err != nil {
					t.Fatal(err)
				}
				for _, k := range visit {
					got, err := tr.BatchForTest(k)
					if err != nil {
						t.Fatal(err)
					}
					for i := range len(got) / cols {
						if r := want[k*batch+i]; got[i*cols] != float32(r) || got[i*cols+2] != float32(r)+0.02 {
							t.Fatalf("%+v epoch %d visiting %v: batch %d row %d is %v, want row %d", so, epoch, visit, k, i, got[i*cols:(i+1)*cols], r)
						}
					}
				}
			}
		}
	}
}

// TestStreamedResumeIsExact stops a streamed VAE run after k steps, saves
// and loads its checkpoint and resumes it on a fresh backend: its
// parameters after 20 steps must equal an uninterrupted run's bit for bit,
// for stops at an upload block's and a shuffle buffer's start (k = 4: row
// 32 of 2 windows of 2 chunks of 8), inside a block and a window (k = 5,
// k = 3), and past an epoch's end (k = 14: 96 rows make 12 batches).
func TestStreamedResumeIsExact(t *testing.T) {
	const steps = 20
	opt := nn.TrainOptions{Epochs: 3, Batch: 8, Adam: nn.DefaultAdam, Seed: 6, Stream: nn.StreamOptions{Chunk: 16, Window: 2}}
	train := blobs(96, 20, 1)
	run := func(b nn.Backend, m *nn.Model, n int) *nn.Trainer {
		tr, err := nn.NewTrainer(b, m, streamNPY(t, train), nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.RunSteps(n); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	newModel := func() (nn.Backend, *nn.Model) {
		b := cpu.New()
		m, err := nn.NewModel(b, tinyVAE, 5)
		if err != nil {
			t.Fatal(err)
		}
		return b, m
	}
	b0, m0 := newModel()
	want := params(t, run(b0, m0, steps))
	for _, k := range []int{3, 4, 5, 14} {
		b, m := newModel()
		first := run(b, m, k)
		ck, err := nn.Snapshot(b, m, first, nil)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "ck.safetensors")
		if err := ck.Save(path); err != nil {
			t.Fatal(err)
		}
		if ck, err = nn.LoadCheckpoint(path); err != nil {
			t.Fatal(err)
		}
		b2 := cpu.New()
		m2, err := ck.Build(b2)
		if err != nil {
			t.Fatal(err)
		}
		resumed, err := nn.NewTrainer(b2, m2, streamNPY(t, train), nil, *ck.Train)
		if err != nil {
			t.Fatal(err)
		}
		if err := ck.Restore(resumed); err != nil {
			t.Fatal(err)
		}
		if err := resumed.RunSteps(steps - k); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(params(t, resumed), want) {
			t.Errorf("stopped after %d steps: resumed parameters differ from the uninterrupted run's", k)
		}
	}
}

// failingRows is a RowReader over rows that fails for any read reaching row
// bad or beyond.
type failingRows struct {
	nn.RowReader
	bad int
}

func (f failingRows) ReadRows(dst []float32, first, n int) error {
	if first+n > f.bad {
		return errors.New("train.npy: reading rows: input/output error")
	}
	return f.RowReader.ReadRows(dst, first, n)
}

// TestStreamedReadErrorEndsTraining: a chunk that fails to read, whether
// read ahead in the background or at an epoch's start, ends RunEpoch with
// that error (and no panic), the trainer's state as it was at the last
// finished epoch.
func TestStreamedReadErrorEndsTraining(t *testing.T) {
	for _, so := range []nn.StreamOptions{{Chunk: 8, Window: 1}, {Chunk: 64, Window: 2}} {
		src := streamNPY(t, blobs(96, 20, 1))
		src.Stream = failingRows{src.Stream, 90}
		b := cpu.New()
		m, err := nn.NewModel(b, tinyAE, 5)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := nn.NewTrainer(b, m, src, nil, nn.TrainOptions{Epochs: 1, Batch: 8, Adam: nn.DefaultAdam, Seed: 1, Stream: so})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.RunEpoch(); err == nil || !strings.Contains(err.Error(), "train.npy: reading rows: input/output error") {
			t.Errorf("%+v: RunEpoch over a failing read: %v", so, err)
		}
		if tr.Epoch != 0 || len(tr.History) != 0 {
			t.Errorf("%+v: a failed epoch counted: epoch %d, history %d", so, tr.Epoch, len(tr.History))
		}
	}
}
