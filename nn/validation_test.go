package nn_test

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// The trainer steps the schedule once per epoch: every epoch's LR is
// Adam.LR · Factor(epoch-1, 1, Epochs), and a constant schedule keeps the
// LR bit for bit.
func TestScheduleSetsTheEpochLR(t *testing.T) {
	for _, text := range []string{"constant", "cosine", "step:2:0.5", "cosine,warmup:1"} {
		s, err := nn.ParseSchedule(text)
		if err != nil {
			t.Fatal(err)
		}
		opt := nn.TrainOptions{Epochs: 4, Batch: 64, Adam: nn.DefaultAdam, Seed: 3, Schedule: s}
		tr, _ := newTrainer(t, tinyAE, opt)
		for tr.Epoch < opt.Epochs {
			if _, err := tr.RunEpoch(); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range tr.History {
			want := opt.Adam.LR * float32(s.Factor(e.Epoch-1, 1, opt.Epochs))
			if e.LR != want {
				t.Errorf("%s: epoch %d LR %v, want %v", text, e.Epoch, e.LR, want)
			}
		}
		if text == "cosine" && !(tr.History[3].LR < tr.History[1].LR && tr.History[1].LR < tr.History[0].LR) {
			t.Errorf("cosine: LRs %v %v %v do not fall", tr.History[0].LR, tr.History[1].LR, tr.History[3].LR)
		}
	}
}

// The schedule reaches the optimizer: a cosine schedule trains other
// weights than a constant one.
func TestCosineChangesTraining(t *testing.T) {
	run := func(s nn.Schedule) []float32 {
		tr, _ := newTrainer(t, tinyAE, nn.TrainOptions{Epochs: 3, Batch: 64, Adam: nn.DefaultAdam, Seed: 3, Schedule: s})
		for tr.Epoch < 3 {
			if _, err := tr.RunEpoch(); err != nil {
				t.Fatal(err)
			}
		}
		return params(t, tr)
	}
	a, b := run(nn.Schedule{}), run(nn.Schedule{Kind: nn.ScheduleCosine})
	same := true
	for i := range a {
		same = same && a[i] == b[i]
	}
	if same {
		t.Error("a cosine schedule trained the same weights as a constant one")
	}
}

// A row's per-value errors (Want.Errors) sum to its reconstruction loss,
// for MSE and for BCE on logits.
func TestFeatureErrorsSumToRecon(t *testing.T) {
	for _, c := range []nn.Config{tinyAE, tinyVAE} {
		b := cpu.New()
		m, err := nn.NewModel(b, c, 5)
		if err != nil {
			t.Fatal(err)
		}
		src := blobs(37, 20, 4)
		res, err := m.Run(b, src, 16, nn.Want{Losses: true, Errors: true})
		if err != nil {
			t.Fatal(err)
		}
		maxdiff := 0.0
		for i := range src.Rows {
			var sum float64
			for _, e := range res.Errors[i*20 : (i+1)*20] {
				if e < 0 {
					t.Fatalf("%s: negative error %v", c.Loss, e)
				}
				sum += float64(e)
			}
			r := float64(res.Recon[i])
			d := math.Abs(sum - r)
			maxdiff = max(maxdiff, d)
			if d > 1e-5*math.Max(1, math.Abs(r)) {
				t.Errorf("%s row %d: errors sum to %v, recon %v", c.Loss, i, sum, r)
			}
		}
		t.Logf("%s: maxdiff %g", c.Loss, maxdiff)
	}
}

// Early stopping on a validation set: with a min-delta out of reach only
// epoch 1 improves, so training stops after 1+Patience epochs; the
// checkpoint keeps the state and best_epoch, and resume refuses another
// schedule, validation or patience.
func TestEarlyStopOnValidation(t *testing.T) {
	opt := nn.TrainOptions{Epochs: 50, Batch: 64, Adam: nn.DefaultAdam, Seed: 3, ValFrac: 0.2, Patience: 2, MinDelta: 1e9}
	if err := opt.Check(); err != nil {
		t.Fatal(err)
	}
	tr, b := newTrainer(t, tinyAE, opt)
	if err := tr.SetValidation(blobs(40, 20, 9)); err != nil {
		t.Fatal(err)
	}
	for tr.Epoch < opt.Epochs && !tr.EarlyStopped() {
		st, err := tr.RunEpoch()
		if err != nil {
			t.Fatal(err)
		}
		if math.IsNaN(st.ValLoss) || st.Improved != (st.Epoch == 1) {
			t.Errorf("epoch %d: val loss %v, improved %v", st.Epoch, st.ValLoss, st.Improved)
		}
	}
	if tr.Epoch != 3 || tr.Early.BestEpoch != 1 || tr.Early.BestLoss != tr.History[0].ValLoss {
		t.Fatalf("stopped after epoch %d, best %d (%v), want 3, 1 (%v)", tr.Epoch, tr.Early.BestEpoch, tr.Early.BestLoss, tr.History[0].ValLoss)
	}
	res, err := tr.RunVal(16, nn.Want{Losses: true})
	if err != nil || len(res.Recon) != 40 {
		t.Fatalf("RunVal: %v rows, %v", len(res.Recon), err)
	}
	ck, err := nn.Snapshot(b, tr.M, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "last.safetensors")
	if err := ck.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := nn.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Early == nil || *got.Early != *tr.Early || got.BestEpoch != 1 || got.Train.ValFrac != 0.2 || got.Train.Patience != 2 {
		t.Errorf("loaded early stop %+v, best epoch %d, train %+v; want %+v, 1", got.Early, got.BestEpoch, got.Train, *tr.Early)
	}
	if got.History[1].ValLoss != tr.History[1].ValLoss || got.History[1].LR != opt.Adam.LR {
		t.Errorf("history epoch 2: val loss %v, lr %v; want %v, %v", got.History[1].ValLoss, got.History[1].LR, tr.History[1].ValLoss, opt.Adam.LR)
	}
	for _, c := range []struct {
		edit func(o *nn.TrainOptions)
		want string
	}{
		{func(o *nn.TrainOptions) { o.Schedule = nn.Schedule{Kind: nn.ScheduleCosine} }, "lr-schedule cosine: the run was trained with --lr-schedule constant"},
		{func(o *nn.TrainOptions) { o.ValFrac = 0.3 }, "val-frac 0.3: the run held out 0.2"},
		{func(o *nn.TrainOptions) { o.Patience = 5 }, "patience 5, min-delta 1e+09: the run stops early with patience 2"},
	} {
		o := opt
		c.edit(&o)
		if err := got.CheckResume(o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckResume: %v, want %q", err, c.want)
		}
	}
	cos := *got
	tro := opt
	tro.Schedule = nn.Schedule{Kind: nn.ScheduleCosine}
	cos.Train = &tro
	o := tro
	o.Epochs = 60
	if err := cos.CheckResume(o); err == nil || !strings.Contains(err.Error(), "anneals over 50 epochs") {
		t.Errorf("cosine with other epochs: %v", err)
	}
}

func TestValidationOptionsCheck(t *testing.T) {
	base := nn.DefaultTrainOptions()
	for _, c := range []struct {
		edit func(o *nn.TrainOptions)
		want string
	}{
		{func(o *nn.TrainOptions) { o.ValFrac = 1.5 }, "val-frac 1.5"},
		{func(o *nn.TrainOptions) { o.ValFrac = -0.1 }, "val-frac -0.1"},
		{func(o *nn.TrainOptions) { o.Patience = 3 }, "give --val-frac too"},
		{func(o *nn.TrainOptions) { o.ValFrac, o.MinDelta = 0.2, math.NaN() }, "min-delta NaN"},
		{func(o *nn.TrainOptions) { o.Schedule = nn.Schedule{Kind: nn.ScheduleCosine, Warmup: 10} }, "a warm-up of 10 epochs"},
	} {
		o := base
		c.edit(&o)
		if err := o.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check: %v, want %q", err, c.want)
		}
	}
}
