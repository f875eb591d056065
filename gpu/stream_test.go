package gpu

import (
	"math"
	"math/rand/v2"
	"path/filepath"
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
	// A block is a batch here (chunk 7 < batch): each step uploads one,
	// the restart after step 5 two more.
	if batchBytes := float64(batch * cols * 4); perStep < batchBytes || perStep > 1.2*batchBytes {
		t.Errorf("gpu uploaded %.0f bytes a step, want about a batch's %.0f", perStep, batchBytes)
	}
}
