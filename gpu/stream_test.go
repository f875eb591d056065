package gpu

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// TestStreamedTrajectoryMatchesCPU trains a VAE for two epochs of a
// training set streamed from a .npy file in chunks of 7 rows (several per
// batch, boundaries inside batches, a last chunk of 4 rows) on cpu and gpu,
// stopping after step 5 and going on from there: per-step
// losses and the final parameters must agree as TestTrajectoryMatchesCPU's
// do, and each backend's bytes uploaded per step must be a batch's rows.
func TestStreamedTrajectoryMatchesCPU(t *testing.T) {
	const rows, cols, batch = 165, 37, 16 // 11 batches an epoch, the last of 5 rows
	rng := rand.New(rand.NewPCG(8, 9))
	path := filepath.Join(t.TempDir(), "train.npy")
	if err := data.WriteNPY(path, rows, cols, func(_ int, dst []float32) {
		for j := range dst {
			dst[j] = rng.Float32()
		}
	}); err != nil {
		t.Fatal(err)
	}
	c := nn.Config{Kind: nn.KindVAE, Layers: []int{cols, 24, 3}, HiddenAct: nn.ReLU, OutputAct: nn.Sigmoid, Loss: nn.LossBCE, Beta: 1, Init: "torch"}
	opt := nn.TrainOptions{Epochs: 2, Batch: batch, Adam: nn.DefaultAdam, Seed: 7, LogEvery: 1, Stream: nn.StreamOptions{Chunk: 7, Window: 3}}
	run := func(b nn.Backend) (losses []float64, params []float32, perStep float64) {
		s, err := data.OpenNPYStream(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		m, err := nn.NewModel(b, c, 11)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := nn.NewTrainer(b, m, nn.Source{Rows: rows, Cols: cols, Stream: s}, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		prev, prevRows := 0.0, 0
		tr.OnProgress = func(p nn.Progress) {
			sum := p.Loss * float64(p.Rows)
			if p.Batch == 1 {
				prev, prevRows = 0, 0
			}
			losses = append(losses, (sum-prev)/float64(p.Rows-prevRows))
			prev, prevRows = sum, p.Rows
		}
		for _, n := range []int{5, 17} {
			if err := tr.RunSteps(n); err != nil {
				t.Fatal(err)
			}
		}
		params = make([]float32, m.Params.Total)
		if err := b.Read(m.Params.Flat, params); err != nil {
			t.Fatal(err)
		}
		return losses, params, float64(tr.StepWork.BytesUploaded) / float64(tr.StepsRun)
	}
	wantLoss, wantP, _ := run(cpu.New())
	g := openBackend(t)
	gotLoss, gotP, perStep := run(g)
	if len(gotLoss) != 22 || len(wantLoss) != 22 {
		t.Fatalf("%d and %d steps, want 22", len(gotLoss), len(wantLoss))
	}
	for i := range wantLoss {
		if d := math.Abs(gotLoss[i] - wantLoss[i]); d > trajectoryLossTol*math.Abs(wantLoss[i]) {
			t.Errorf("step %d: gpu loss %.6f, cpu %.6f", i+1, gotLoss[i], wantLoss[i])
		}
	}
	var diff, norm float64
	for i := range wantP {
		d := float64(gotP[i] - wantP[i])
		diff += d * d
		norm += float64(wantP[i]) * float64(wantP[i])
	}
	rel := math.Sqrt(diff / norm)
	t.Logf("losses %.4f -> %.4f; final parameters: relative difference %.2g; gpu uploaded %.0f bytes a step", wantLoss[0], wantLoss[21], rel, perStep)
	if rel > trajectoryParamTol {
		t.Errorf("final parameters differ: |gpu-cpu|/|cpu| = %.2g", rel)
	}
	// A block is a batch here (chunk 7 < batch): each step uploads one
	// (every row of the two epochs once), the restart after step 5 two more.
	least, batchBytes := float64(2*rows*cols*4)/22, float64(batch*cols*4)
	if perStep < least || perStep > 1.2*batchBytes {
		t.Errorf("gpu uploaded %.0f bytes a step, want about a batch's %.0f, at least %.0f", perStep, batchBytes, least)
	}
}

// TestStreamedResumeExactOnGPU stops a gpu run on a streamed set inside
// its first epoch (step 5, inside a window of 3 chunks of 7 rows), saves
// and loads the checkpoint and resumes on a fresh gpu backend: after 22
// steps its parameters equal the uninterrupted gpu run's bit for bit.
func TestStreamedResumeExactOnGPU(t *testing.T) {
	const rows, cols, batch = 165, 37, 16
	rng := rand.New(rand.NewPCG(3, 4))
	path := filepath.Join(t.TempDir(), "train.npy")
	if err := data.WriteNPY(path, rows, cols, func(_ int, dst []float32) {
		for j := range dst {
			dst[j] = rng.Float32()
		}
	}); err != nil {
		t.Fatal(err)
	}
	c := nn.Config{Kind: nn.KindAE, Layers: []int{cols, 24, 3}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "torch"}
	opt := nn.TrainOptions{Epochs: 2, Batch: batch, Adam: nn.DefaultAdam, Seed: 5, Stream: nn.StreamOptions{Chunk: 7, Window: 3}}
	var train func(b nn.Backend, m *nn.Model, ck *nn.Checkpoint, steps int) []float32
	train = func(b nn.Backend, m *nn.Model, ck *nn.Checkpoint, steps int) []float32 {
		s, err := data.OpenNPYStream(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		tr, err := nn.NewTrainer(b, m, nn.Source{Rows: rows, Cols: cols, Stream: s}, nil, opt)
		if err != nil {
			t.Fatal(err)
		}
		if ck != nil {
			if err := ck.Restore(tr); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.RunSteps(steps); err != nil {
			t.Fatal(err)
		}
		if ck == nil && steps < 22 {
			snap, err := nn.Snapshot(b, m, tr, nil)
			if err != nil {
				t.Fatal(err)
			}
			ckPath := filepath.Join(t.TempDir(), "ck.safetensors")
			if err := snap.Save(ckPath); err != nil {
				t.Fatal(err)
			}
			if ck, err = nn.LoadCheckpoint(ckPath); err != nil {
				t.Fatal(err)
			}
			g := openBackend(t)
			m2, err := ck.Build(g)
			if err != nil {
				t.Fatal(err)
			}
			return train(g, m2, ck, 22-steps)
		}
		p := make([]float32, m.Params.Total)
		if err := b.Read(m.Params.Flat, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newModel := func() (nn.Backend, *nn.Model) {
		g := openBackend(t)
		m, err := nn.NewModel(g, c, 2)
		if err != nil {
			t.Fatal(err)
		}
		return g, m
	}
	g, m := newModel()
	want := train(g, m, nil, 22)
	g, m = newModel()
	if got := train(g, m, nil, 5); !slices.Equal(got, want) {
		t.Error("resumed gpu parameters differ from the uninterrupted gpu run's")
	}
}
