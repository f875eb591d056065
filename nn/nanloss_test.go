package nn_test

import (
	"math"
	"strings"
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestNonFiniteLossStopsTheEpoch checks the end-of-epoch check: with no
// progress reads (LogEvery 0), a NaN in an output bias makes RunEpoch return
// an error naming the loss and the epoch's steps instead of finishing the
// epoch, and the trainer does not count the epoch as done.
func TestNonFiniteLossStopsTheEpoch(t *testing.T) {
	tr, b := newTrainer(t, tinyAE, nn.TrainOptions{Epochs: 1, Batch: 16, Adam: nn.DefaultAdam, Seed: 3})
	p := params(t, tr)
	ps := tr.M.Params
	last := len(ps.Names) - 1 // the output bias: no ReLU between it and the loss
	if !strings.HasSuffix(ps.Names[last], "bias") {
		t.Fatalf("last parameter %q, want the output bias", ps.Names[last])
	}
	p[ps.Offsets[last]] = float32(math.NaN())
	if err := tr.M.SetParams(b, p); err != nil {
		t.Fatal(err)
	}
	_, err := tr.RunEpoch()
	if err == nil || !strings.Contains(err.Error(), "loss became NaN in epoch 1 (steps 1 to 13)") {
		t.Fatalf("RunEpoch with a NaN weight: %v, want the end-of-epoch loss error", err)
	}
	if tr.Epoch != 0 || len(tr.History) != 0 {
		t.Errorf("after the error: epoch %d, %d history entries; want none done", tr.Epoch, len(tr.History))
	}
}
