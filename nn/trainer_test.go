package nn_test

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// blobs returns n rows of width d in [0,1]: copies of 3 fixed prototypes
// with noise drawn from seed, as bytes, so the trainer reads them the way it
// reads images.
func blobs(n, d int, seed uint64) nn.Source {
	rng := rand.New(rand.NewPCG(0, 1))
	protos := make([][]float64, 3)
	for k := range protos {
		protos[k] = make([]float64, d)
		for j := range protos[k] {
			protos[k][j] = rng.Float64()
		}
	}
	rng = rand.New(rand.NewPCG(seed, 1))
	px := make([]uint8, n*d)
	for i := 0; i < n; i++ {
		p := protos[i%3]
		for j := 0; j < d; j++ {
			v := p[j] + 0.1*rng.NormFloat64()
			px[i*d+j] = uint8(255 * math.Min(math.Max(v, 0), 1))
		}
	}
	return nn.Source{Rows: n, Cols: d, Bytes: px}
}

// entropy is the mean per row of Σ_j H(x_ij), the least BCE can reach.
func entropy(s nn.Source) float64 {
	h := 0.0
	for _, v := range s.Bytes {
		p := float64(v) / 255
		if p > 0 && p < 1 {
			h -= p*math.Log(p) + (1-p)*math.Log(1-p)
		}
	}
	return h / float64(s.Rows)
}

var (
	tinyAE  = nn.Config{Kind: nn.KindAE, Layers: []int{20, 12, 3}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "torch"}
	tinyVAE = nn.Config{Kind: nn.KindVAE, Layers: []int{20, 12, 2}, HiddenAct: nn.ReLU, OutputAct: nn.Sigmoid, Loss: nn.LossBCE, Beta: 1, Init: "torch"}
)

func newTrainer(t *testing.T, c nn.Config, opt nn.TrainOptions) (*nn.Trainer, nn.Backend) {
	t.Helper()
	b := cpu.New()
	m, err := nn.NewModel(b, c, 5)
	if err != nil {
		t.Fatal(err)
	}
	train, test := blobs(203, 20, 1), blobs(50, 20, 2)
	tr, err := nn.NewTrainer(b, m, train, &test, opt)
	if err != nil {
		t.Fatal(err)
	}
	return tr, b
}

func params(t *testing.T, tr *nn.Trainer) []float32 {
	t.Helper()
	p := make([]float32, tr.M.Params.Total)
	if err := tr.B.Read(tr.M.Params.Flat, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrainingReducesLoss(t *testing.T) {
	for _, c := range []nn.Config{tinyAE, tinyVAE} {
		t.Run(c.Kind, func(t *testing.T) {
			tr, _ := newTrainer(t, c, nn.TrainOptions{Epochs: 30, Batch: 16, Adam: nn.DefaultAdam, Seed: 3})
			var first, last nn.EpochStats
			for e := 0; e < 30; e++ {
				st, err := tr.RunEpoch()
				if err != nil {
					t.Fatal(err)
				}
				if e == 0 {
					first = st
				}
				last = st
			}
			// BCE cannot go below the targets' own entropy; MSE can reach 0.
			floor := 0.0
			if c.Loss == nn.LossBCE {
				floor = entropy(blobs(50, 20, 2))
			}
			t.Logf("test loss %.4f -> %.4f (floor %.4f)", first.TestLoss, last.TestLoss, floor)
			if !(last.TestLoss-floor < 0.7*(first.TestLoss-floor)) {
				t.Errorf("test loss %.4f after 30 epochs, %.4f after 1: not learning", last.TestLoss, first.TestLoss)
			}
		})
	}
}

// TestResumeIsExact interrupts training mid-epoch (through Stop), saves a
// checkpoint, loads it into a fresh trainer and finishes: the parameters
// must equal those of an uninterrupted run bit for bit.
func TestResumeIsExact(t *testing.T) {
	for _, c := range []nn.Config{tinyAE, tinyVAE} {
		t.Run(c.Kind, func(t *testing.T) {
			opt := nn.TrainOptions{Epochs: 3, Batch: 16, Adam: nn.DefaultAdam, Seed: 3, Noise: noise.Noise{Kind: noise.Mask, Level: 0.2}}
			straight, _ := newTrainer(t, c, opt)
			for e := 0; e < 3; e++ {
				if _, err := straight.RunEpoch(); err != nil {
					t.Fatal(err)
				}
			}
			first, b := newTrainer(t, c, opt)
			if _, err := first.RunEpoch(); err != nil {
				t.Fatal(err)
			}
			steps := 0
			first.Stop = func() bool { steps++; return steps > 5 }
			if _, err := first.RunEpoch(); err != nn.ErrStopped {
				t.Fatalf("RunEpoch with Stop: %v, want ErrStopped", err)
			}
			ck, err := nn.Snapshot(b, first.M, first, map[string]string{"note": "x"})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "ck.safetensors")
			if err := ck.Save(path); err != nil {
				t.Fatal(err)
			}
			ck, err = nn.LoadCheckpoint(path)
			if err != nil {
				t.Fatal(err)
			}
			if ck.Meta["note"] != "x" || ck.EpochBatch != 5 || ck.Epoch != 1 {
				t.Fatalf("checkpoint meta %v, epoch %d, batch %d", ck.Meta, ck.Epoch, ck.EpochBatch)
			}
			b2 := cpu.New()
			m2, err := ck.Build(b2)
			if err != nil {
				t.Fatal(err)
			}
			train, test := blobs(203, 20, 1), blobs(50, 20, 2)
			resumed, err := nn.NewTrainer(b2, m2, train, &test, opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := ck.Restore(resumed); err != nil {
				t.Fatal(err)
			}
			for resumed.Epoch < 3 {
				if _, err := resumed.RunEpoch(); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(params(t, straight), params(t, resumed)) {
				t.Error("resumed parameters differ from the uninterrupted run")
			}
			a, r := straight.History[2], resumed.History[2]
			if a.Loss != r.Loss || a.TestLoss != r.TestLoss {
				t.Errorf("epoch 3 losses: straight %v/%v, resumed %v/%v", a.Loss, a.TestLoss, r.Loss, r.TestLoss)
			}
		})
	}
}

func TestCheckpointRoundTripGivesSameTestLoss(t *testing.T) {
	tr, b := newTrainer(t, tinyVAE, nn.TrainOptions{Epochs: 2, Batch: 32, Adam: nn.DefaultAdam, Seed: 4})
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	want, wantKL, err := tr.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	ck, err := nn.Snapshot(b, tr.M, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	ck, err = nn.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	b2 := cpu.New()
	m2, err := ck.Build(b2)
	if err != nil {
		t.Fatal(err)
	}
	train, test := blobs(203, 20, 1), blobs(50, 20, 2)
	tr2, err := nn.NewTrainer(b2, m2, train, &test, nn.TrainOptions{Epochs: 1, Batch: 32, Adam: nn.DefaultAdam, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	got, gotKL, err := tr2.Evaluate()
	if err != nil {
		t.Fatal(err)
	}
	if got != want || gotKL != wantKL {
		t.Errorf("reloaded test loss %v+%v, want %v+%v", got, gotKL, want, wantKL)
	}
	if err := ck.Restore(tr2); err == nil {
		t.Error("Restore from a weights-only checkpoint succeeded")
	}
}

func TestTrainerRejectsBadOptions(t *testing.T) {
	b := cpu.New()
	m, err := nn.NewModel(b, tinyAE, 1)
	if err != nil {
		t.Fatal(err)
	}
	src := blobs(10, 20, 1)
	for _, opt := range []nn.TrainOptions{
		{Batch: 0, Adam: nn.DefaultAdam},
		{Batch: 11, Adam: nn.DefaultAdam},
		{Batch: 4},
	} {
		if _, err := nn.NewTrainer(b, m, src, nil, opt); err == nil {
			t.Errorf("NewTrainer(%+v) succeeded", opt)
		}
	}
	if _, err := nn.NewTrainer(b, m, blobs(10, 7, 1), nil, nn.TrainOptions{Batch: 2, Adam: nn.DefaultAdam}); err == nil {
		t.Error("NewTrainer with mismatched width succeeded")
	}
}
