package nn_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/wgml/wgml/nn"
)

// Run is the one epoch loop: with early stopping it calls the epoch-end
// hook once per epoch, keeps the best epoch's weights in Best (taken
// before the hook) and ends with them loaded, however many epochs later it
// stopped.
func TestRunRestoresBest(t *testing.T) {
	opt := nn.TrainOptions{Epochs: 40, Batch: 64, Adam: nn.DefaultAdam, Seed: 3, ValFrac: 0.2, Patience: 2, MinDelta: 1e9}
	tr, _ := newTrainer(t, tinyAE, opt)
	if err := tr.SetValidation(blobs(40, 20, 3)); err != nil {
		t.Fatal(err)
	}
	var ends []int
	var best []float32
	err := tr.Run(context.Background(), nn.Hooks{EpochEnd: func(st nn.EpochStats) error {
		ends = append(ends, st.Epoch)
		if st.Improved {
			if tr.Best == nil || tr.Best.Epoch != st.Epoch {
				t.Errorf("epoch %d improved, Best holds %v", st.Epoch, tr.Best)
			}
			best = params(t, tr)
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	// MinDelta 1e9: only the first epoch improves; two more stop the run.
	if !slices.Equal(ends, []int{1, 2, 3}) || tr.Early.BestEpoch != 1 || !tr.EarlyStopped() {
		t.Fatalf("epochs %v, best %d, stopped %v: want 1, 2, 3, best 1, stopped", ends, tr.Early.BestEpoch, tr.EarlyStopped())
	}
	if !slices.Equal(params(t, tr), best) {
		t.Error("after Run the model does not hold the best epoch's weights")
	}
}

// Run's answers: a hook's error ends it as is, a cancelled context stops
// it at a step boundary, and early stopping without a best epoch at hand
// is an error, not a silent keep of the last weights.
func TestRunErrors(t *testing.T) {
	tr, _ := newTrainer(t, tinyAE, nn.TrainOptions{Epochs: 3, Batch: 64, Adam: nn.DefaultAdam, Seed: 3})
	stop := errors.New("hook says stop")
	if err := tr.Run(context.Background(), nn.Hooks{EpochEnd: func(nn.EpochStats) error { return stop }}); err != stop || tr.Epoch != 1 {
		t.Errorf("hook error: %v after epoch %d, want the hook's error after epoch 1", err, tr.Epoch)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tr.Run(ctx, nn.Hooks{}); !errors.Is(err, nn.ErrStopped) || tr.Epoch != 1 {
		t.Errorf("cancelled: %v after epoch %d, want ErrStopped, still epoch 1", err, tr.Epoch)
	}
	es, _ := newTrainer(t, tinyAE, nn.TrainOptions{Epochs: 1, Batch: 64, Adam: nn.DefaultAdam, Seed: 3, ValFrac: 0.2, Patience: 1})
	if err := es.SetValidation(blobs(40, 20, 3)); err != nil {
		t.Fatal(err)
	}
	es.Opt.Epochs = 0 // nothing to train: no epoch, no best weights
	if err := es.Run(context.Background(), nn.Hooks{}); !errors.Is(err, nn.ErrNoBestEpoch) {
		t.Errorf("early stopping without an epoch: %v, want ErrNoBestEpoch", err)
	}
	es.Opt.Epochs = 1
	if err := es.Run(context.Background(), nn.Hooks{}); err != nil {
		t.Fatal(err)
	}
	es.Best.Epoch = 7 // a resumed run whose best checkpoint is another epoch's
	es.Opt.Epochs = 1
	var bm *nn.BestMissingError
	if err := es.Run(context.Background(), nn.Hooks{}); !errors.As(err, &bm) || bm.Have != 7 || bm.Want != 1 {
		t.Errorf("best of another epoch: %v, want BestMissingError{7, 1}", err)
	}
}
