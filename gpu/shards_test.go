package gpu

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

// tinyBinding is the MaxBindingEnv value the several-bindings tests force:
// small enough to split every dataset they upload.
const tinyBinding = "1000"

// TestGatherSeveralBindings runs the Gather conformance cases with
// datasets split over buffers of at most tinyBinding bytes.
func TestGatherSeveralBindings(t *testing.T) {
	t.Setenv(MaxBindingEnv, tinyBinding)
	backendtest.RunGather(t, func(t *testing.T) nn.Backend { return openBackend(t) })
}

// TestShardLayout checks how uploadData splits a dataset: whole rows per
// buffer, each buffer within the cap, the shards in order covering every
// row once, an odd row count leaving a shorter last shard.
func TestShardLayout(t *testing.T) {
	t.Setenv(MaxBindingEnv, tinyBinding)
	b := openBackend(t)
	for _, c := range []struct {
		rows, cols, elem int
		shards           int
	}{
		{101, 7, 4, 3},   // 28 bytes a row: 35 rows a buffer, 35+35+31
		{101, 7, 1, 1},   // 707 bytes fit one buffer
		{333, 9, 1, 3},   // 111 rows a buffer (999 bytes, a row never split across words' buffers)
		{25, 250, 4, 25}, // 1000 bytes: exactly one row a buffer
	} {
		var (
			ten nn.Tensor
			err error
		)
		if c.elem == 1 {
			ten, err = b.UploadBytes(c.rows, c.cols, make([]uint8, c.rows*c.cols))
		} else {
			ten, err = b.UploadFloats(c.rows, c.cols, make([]float32, c.rows*c.cols))
		}
		if err != nil {
			t.Fatal(err)
		}
		parts := ten.(*Tensor).parts()
		if len(parts) != c.shards {
			t.Errorf("%d×%d×%d bytes: %d buffers, want %d", c.rows, c.cols, c.elem, len(parts), c.shards)
		}
		next := 0
		for _, p := range parts {
			if p.lo != next || p.cols != c.cols || p.rows < 1 {
				t.Errorf("%d×%d: shard of rows %d..%d follows row %d", c.rows, c.cols, p.lo, p.lo+p.rows, next)
			}
			if p.buf.size > 1000 || p.buf.size < uint64(p.rows*c.cols*c.elem) {
				t.Errorf("%d×%d: shard of %d rows in a buffer of %d bytes", c.rows, c.cols, p.rows, p.buf.size)
			}
			next = p.lo + p.rows
		}
		if next != c.rows {
			t.Errorf("%d×%d: shards end at row %d", c.rows, c.cols, next)
		}
	}
	if _, err := b.UploadFloats(2, 251, make([]float32, 502)); err == nil || !strings.Contains(err.Error(), "one row of 1004 bytes exceeds") {
		t.Errorf("a row larger than a binding: %v", err)
	}
}

// TestMaxBindingEnvInvalid: a cap that is not a byte count fails New.
func TestMaxBindingEnvInvalid(t *testing.T) {
	t.Setenv(MaxBindingEnv, "12k")
	b, err := New(Options{AdapterIndex: BestAdapter})
	if errors.Is(err, ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		t.Skip("no WebGPU adapter (set WGML_REQUIRE_GPU=1 to make this a failure)")
	}
	if err == nil {
		b.Release()
		t.Fatal("New accepted WGML_MAX_BINDING=12k")
	}
	if !strings.Contains(err.Error(), MaxBindingEnv) {
		t.Errorf("error %q does not name %s", err, MaxBindingEnv)
	}
}

// stepsAndParams trains c on b for two epochs of float rows (the last
// batch of each short) and returns every step's batch loss sum and the
// final parameters, as bits.
func stepsAndParams(t *testing.T, b nn.Backend, c nn.Config, x []float32, rows, batch int) (losses, params []uint32) {
	t.Helper()
	m, err := nn.NewModel(b, c, 21)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := nn.NewTrainer(b, m, nn.Source{Rows: rows, Cols: c.Input(), Floats: x}, nil,
		nn.TrainOptions{Epochs: 2, Batch: batch, Adam: nn.DefaultAdam, Seed: 22, LogEvery: 1})
	if err != nil {
		t.Fatal(err)
	}
	tr.OnProgress = func(p nn.Progress) { losses = append(losses, math.Float32bits(float32(p.Loss*float64(p.Rows)))) }
	for range 2 {
		if _, err := tr.RunEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	p := make([]float32, m.Params.Total)
	if err := b.Read(m.Params.Flat, p); err != nil {
		t.Fatal(err)
	}
	for _, v := range p {
		params = append(params, math.Float32bits(v))
	}
	return losses, params
}

// TestSeveralBindingsBitEqual trains one AE and one VAE on the gpu with
// the dataset in one buffer and split over 56 buffers of 6 rows (the
// batches of 16 straddle them at every offset, the last batch of each
// epoch is 13 rows): a Gather that reads a row from the wrong buffer, or
// drops or repeats one at a boundary, changes the steps' losses, so they
// and the final parameters must be the same bits — not merely close, as
// against the cpu.
func TestSeveralBindingsBitEqual(t *testing.T) {
	const rows, cols, batch = 333, 37, 16
	rng := rand.New(rand.NewPCG(23, 24))
	x := make([]float32, rows*cols)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	for _, c := range []nn.Config{
		{Kind: nn.KindAE, Layers: []int{cols, 24, 5}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Identity, Loss: nn.LossMSE, Init: "torch"},
		{Kind: nn.KindVAE, Layers: []int{cols, 24, 3}, HiddenAct: nn.Tanh, OutputAct: nn.Identity, Loss: nn.LossMSE, Beta: 1, Init: "torch"},
	} {
		t.Run(c.Kind, func(t *testing.T) {
			oneLoss, oneP := stepsAndParams(t, openBackend(t), c, x, rows, batch)
			t.Setenv(MaxBindingEnv, "1000") // 6 rows of 148 bytes a buffer
			g := openBackend(t)
			sevLoss, sevP := stepsAndParams(t, g, c, x, rows, batch)
			if n := countGathers(g); n < 56 {
				t.Fatalf("%d gather dispatches, want one per buffer (56)", n)
			}
			if len(oneLoss) != 2*21 || len(sevLoss) != len(oneLoss) {
				t.Fatalf("%d and %d steps, want 42", len(oneLoss), len(sevLoss))
			}
			for i := range oneLoss {
				if oneLoss[i] != sevLoss[i] {
					t.Fatalf("step %d: running loss sum %v in one buffer, %v in 56", i+1, math.Float32frombits(oneLoss[i]), math.Float32frombits(sevLoss[i]))
				}
			}
			if !slices.Equal(oneP, sevP) {
				t.Errorf("final parameters differ between one buffer and 56")
			}
		})
	}
}

// TestGatherRowsPast2e24 gathers rows above 2^21 and 2^24 (where a row
// index held in a float32 would lose its last bits) from a 1-column byte
// dataset of 2^24+2^21+5 rows split over buffers at odd offsets: every
// gathered value must be its row's.
func TestGatherRowsPast2e24(t *testing.T) {
	const rows = 1<<24 + 1<<21 + 5
	t.Setenv(MaxBindingEnv, "3000001") // 7 buffers of 3000000 rows (whole words), the last shorter
	b := openBackend(t)
	px := make([]uint8, rows)
	for i := range px {
		px[i] = uint8(i*7 + i>>8 + i>>16)
	}
	data, err := b.UploadBytes(rows, 1, px)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(data.(*Tensor).parts()); n != 7 {
		t.Fatalf("%d buffers, want 7", n)
	}
	var idx []int32
	for _, base := range []int{1 << 21, 1 << 24, rows - 9, 2999999, 6000000} {
		for d := -3; d <= 4; d++ {
			if r := base + d; r < rows {
				idx = append(idx, int32(r))
			}
		}
	}
	index, err := b.AllocIndex(len(idx))
	if err != nil {
		t.Fatal(err)
	}
	b.UploadIndex(index, idx)
	dst, err := b.Alloc(len(idx), 1)
	if err != nil {
		t.Fatal(err)
	}
	b.Gather(dst, data, index, 0, 1)
	got := make([]float32, len(idx))
	if err := b.Read(dst, got); err != nil {
		t.Fatal(err)
	}
	for i, r := range idx {
		if got[i] != float32(px[r]) {
			t.Errorf("row %d: gathered %v, want %d", r, got[i], px[r])
		}
	}
}
