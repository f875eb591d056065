package gpu

import (
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// trainer is a tiny de-noising autoencoder, 20 → 8 → 20, trained with the
// operations a real step records: gather a batch from a byte dataset,
// corrupt it, two Linear layers, MSE, the backward pass and one Adam over
// the flat parameter buffer, as nn's ParamSet lays it out.
type trainer struct {
	b                    *Backend
	data, index          nn.Tensor
	x, xn, h, y          nn.Tensor
	rowLoss, lossSum     nn.Tensor
	dy, dh, dhPre        nn.Tensor
	flat, grad, m, v     nn.Tensor    // (1,paramsTotal)
	params, grads        [4]nn.Tensor // views: w1, b1, w2, b2
	rows, batch, in, hid int
}

// paramOffsets place w1, b1, w2, b2 at nn.ViewAlign boundaries.
var paramOffsets = [4]int{0, 192, 256, 448}

const paramsTotal = 512

func newTrainer(t *testing.T, b *Backend) *trainer {
	t.Helper()
	tr := &trainer{b: b, rows: 128, batch: 8, in: 20, hid: 8}
	alloc := func(r, c int) nn.Tensor {
		x, err := b.Alloc(r, c)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	raw := make([]uint8, tr.rows*tr.in)
	for i := range raw {
		raw[i] = uint8(i * 37)
	}
	var err error
	if tr.data, err = b.UploadBytes(tr.rows, tr.in, raw); err != nil {
		t.Fatal(err)
	}
	if tr.index, err = b.AllocIndex(tr.rows); err != nil {
		t.Fatal(err)
	}
	perm := make([]int32, tr.rows)
	for i := range perm {
		perm[i] = int32(i*13) % int32(tr.rows)
	}
	b.UploadIndex(tr.index, perm)
	tr.x, tr.xn, tr.y, tr.dy = alloc(tr.batch, tr.in), alloc(tr.batch, tr.in), alloc(tr.batch, tr.in), alloc(tr.batch, tr.in)
	tr.h, tr.dh, tr.dhPre = alloc(tr.batch, tr.hid), alloc(tr.batch, tr.hid), alloc(tr.batch, tr.hid)
	tr.rowLoss, tr.lossSum = alloc(tr.batch, 1), alloc(1, 1)
	shapes := [4][2]int{{tr.hid, tr.in}, {1, tr.hid}, {tr.in, tr.hid}, {1, tr.in}}
	tr.flat, tr.grad, tr.m, tr.v = alloc(1, paramsTotal), alloc(1, paramsTotal), alloc(1, paramsTotal), alloc(1, paramsTotal)
	for i, s := range shapes {
		tr.params[i] = b.View(tr.flat, paramOffsets[i], s[0], s[1])
		tr.grads[i] = b.View(tr.grad, paramOffsets[i], s[0], s[1])
		init := make([]float32, s[0]*s[1])
		for j := range init {
			init[j] = float32(math.Sin(float64(7*i+j))) * 0.3
		}
		b.Upload(tr.params[i], init)
	}
	return tr
}

// step records training step s (counting from 0) without syncing.
func (tr *trainer) step(s int) {
	b := tr.b
	w1, b1, w2, b2 := tr.params[0], tr.params[1], tr.params[2], tr.params[3]
	b.Gather(tr.x, tr.data, tr.index, (s*tr.batch)%tr.rows, 1.0/255)
	b.Corrupt(tr.xn, tr.x, noise.Noise{Kind: noise.Mask, Level: 0.2}, 1, uint64(s))
	b.Linear(tr.h, tr.xn, w1, b1, nn.ReLU)
	b.Linear(tr.y, tr.h, w2, b2, nn.Identity)
	b.MSE(tr.rowLoss, tr.dy, tr.y, tr.x, 1/float32(tr.batch))
	b.SumRows(tr.lossSum, tr.rowLoss, nn.Accumulate)
	b.MatMul(tr.grads[2], tr.dy, tr.h, nn.Trans, nn.NoTrans, nn.Overwrite)
	b.SumRows(tr.grads[3], tr.dy, nn.Overwrite)
	b.MatMul(tr.dh, tr.dy, w2, nn.NoTrans, nn.NoTrans, nn.Overwrite)
	b.ActivateBackward(tr.dhPre, tr.dh, tr.h, nn.ReLU)
	b.MatMul(tr.grads[0], tr.dhPre, tr.xn, nn.Trans, nn.NoTrans, nn.Overwrite)
	b.SumRows(tr.grads[1], tr.dhPre, nn.Overwrite)
	h := nn.AdamParams{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Step: s + 1}
	b.Adam(tr.flat, tr.grad, tr.m, tr.v, h)
}

// stepDispatches is what one step records; it uploads nothing (the step
// clock advances Gather's start, Corrupt's stream and Adam's step).
const stepDispatches = 13

// objects counts the pipelines, dispatches and bind groups b has created.
func (b *Backend) objects() (pipelines, dispatches, bindGroups int) {
	for _, d := range b.dispatches {
		bindGroups += len(d.slots)
	}
	return len(b.pipelines), len(b.dispatches), bindGroups
}

// TestStepCreatesNothing checks the core promise of the dispatch cache:
// once a step has run, repeating it creates no pipeline or bind group,
// submits exactly once per Sync, reads nothing back and uploads nothing.
func TestStepCreatesNothing(t *testing.T) {
	b := openBackend(t)
	tr := newTrainer(t, b)
	for s := range 2 { // one step on each bank of the clock
		tr.step(s)
		if err := b.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	p0, d0, g0 := b.objects()
	c0 := b.Counters()
	const steps = 10
	for s := 2; s < 2+steps; s++ {
		tr.step(s)
		if err := b.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	p1, d1, g1 := b.objects()
	if p1 != p0 || d1 != d0 || g1 != g0 {
		t.Errorf("pipelines, dispatches, bind groups went from %d, %d, %d to %d, %d, %d", p0, d0, g0, p1, d1, g1)
	}
	c1 := b.Counters()
	got := nn.Counters{
		Submits: c1.Submits - c0.Submits, Dispatches: c1.Dispatches - c0.Dispatches,
		Readbacks: c1.Readbacks - c0.Readbacks, BytesUploaded: c1.BytesUploaded - c0.BytesUploaded,
		BytesRead: c1.BytesRead - c0.BytesRead,
	}
	want := nn.Counters{Submits: steps, Dispatches: steps * stepDispatches}
	if got != want {
		t.Errorf("%d steps did %+v, want %+v", steps, got, want)
	}
	loss := make([]float32, 1)
	if err := b.Read(tr.lossSum, loss); err != nil {
		t.Fatal(err)
	}
	if c := b.Counters(); c.Readbacks != c1.Readbacks+1 || c.BytesRead != c1.BytesRead+4 || c.Submits != c1.Submits+1 {
		t.Errorf("one Read changed counters from %+v to %+v", c1, c)
	}
	if math.IsNaN(float64(loss[0])) || loss[0] <= 0 {
		t.Errorf("summed loss %v", loss[0])
	}
}

// TestStepsPerSubmit runs the same training once with a Sync after every
// step and once with three steps per submit: each dispatch is then
// recorded up to twice per submit (once per bank of the step clock), so it
// needs that many slots, made in the first two submits (the banks
// alternate), never again; and the parameters must come out bit for bit
// the same.
func TestStepsPerSubmit(t *testing.T) {
	const steps, per = 9, 3
	run := func(per int) ([]float32, *Backend) {
		b := openBackend(t)
		tr := newTrainer(t, b)
		var g int
		for s := range steps {
			tr.step(s)
			if (s+1)%per == 0 {
				if err := b.Sync(); err != nil {
					t.Fatal(err)
				}
				if s+1 == 2*per {
					_, _, g = b.objects()
				}
			}
		}
		if _, _, g1 := b.objects(); g1 != g {
			t.Errorf("%d steps per submit: bind groups grew from %d to %d after the second submit", per, g, g1)
		}
		w := make([]float32, nn.Len(tr.params[0]))
		if err := b.Read(tr.params[0], w); err != nil {
			t.Fatal(err)
		}
		return w, b
	}
	one, _ := run(1)
	three, b := run(per)
	if c := b.Counters(); c.Submits != steps/per+1 {
		t.Errorf("%d submits for %d steps in groups of %d and one Read", c.Submits, steps, per)
	}
	for i := range one {
		if math.Float32bits(one[i]) != math.Float32bits(three[i]) {
			t.Fatalf("w1[%d] = %v with a submit per step, %v with %d steps per submit", i, one[i], three[i], per)
		}
	}
}
