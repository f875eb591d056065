package nn_test

import (
	"slices"
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestKLWarmupTrainsWithRampedWeight checks that a training step uses the
// warm-up weight: the first step of a 2-epoch warm-up (13 steps an epoch)
// moves the parameters exactly as a step with Beta/26 and no warm-up does,
// and unlike a step with the full Beta.
func TestKLWarmupTrainsWithRampedWeight(t *testing.T) {
	oneStep := func(beta float32, warmup int) []float32 {
		c := tinyVAE
		c.Beta = beta
		tr, _ := newTrainer(t, c, nn.TrainOptions{Epochs: 1, Batch: 16, Adam: nn.DefaultAdam, Seed: 3, KLWarmup: warmup})
		steps := 0
		tr.Stop = func() bool { steps++; return steps > 1 }
		if _, err := tr.RunEpoch(); err != nn.ErrStopped {
			t.Fatalf("RunEpoch: %v, want ErrStopped after one step", err)
		}
		return params(t, tr)
	}
	const batches = (203 + 15) / 16 // newTrainer's 203 rows in batches of 16
	warm := oneStep(1, 2)
	if want := oneStep(1.0/(2*batches), 0); !slices.Equal(warm, want) {
		t.Error("first step of the warm-up differs from a step with Beta/26")
	}
	if full := oneStep(1, 0); slices.Equal(warm, full) {
		t.Error("first step of the warm-up equals a step with the full Beta")
	}
}
