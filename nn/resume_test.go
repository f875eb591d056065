package nn_test

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/internal/safetensors"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// nonDefault are training options none of whose fields is a default (of
// DefaultTrainOptions or the zero value), so that a checkpoint that forgets
// one, or a resume that drops one, changes the run.
var nonDefault = nn.TrainOptions{
	Epochs: 3, Batch: 16, Seed: 11, KLWarmup: 2,
	Adam:     nn.AdamParams{LR: 3e-3, Beta1: 0.8, Beta2: 0.99, Eps: 1e-3, WeightDecay: 0.05},
	Noise:    noise.Noise{Kind: noise.Gaussian, Level: 0.2},
	Schedule: nn.Schedule{Kind: nn.ScheduleStep, Every: 1, Gamma: 0.5, Warmup: 1},
	ValFrac:  0.2, Patience: 4, MinDelta: 1e3, // only epoch 1 improves: the early-stopping state carries over
}

// newValTrainer is newTrainer with a validation set (the rows the caller
// held out for ValFrac), so that early stopping has a loss to watch.
func newValTrainer(t *testing.T, b nn.Backend, m *nn.Model, o nn.TrainOptions) *nn.Trainer {
	t.Helper()
	train, test := blobs(203, 20, 1), blobs(50, 20, 2)
	tr, err := nn.NewTrainer(b, m, train, &test, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.SetValidation(blobs(40, 20, 3)); err != nil {
		t.Fatal(err)
	}
	return tr
}

// newModelTrainer is newValTrainer on a fresh cpu backend and model.
func newModelTrainer(t *testing.T, o nn.TrainOptions) (*nn.Trainer, nn.Backend) {
	t.Helper()
	b := cpu.New()
	m, err := nn.NewModel(b, tinyVAE, 5)
	if err != nil {
		t.Fatal(err)
	}
	return newValTrainer(t, b, m, o), b
}

// TestResumeKeepsEveryOption stops a VAE run with non-default weight decay,
// KL warm-up, Adam betas and eps, learning rate, noise, LR schedule,
// validation split and early stopping inside epoch 2, saves and loads its
// checkpoint, and resumes it with the options the checkpoint recorded (what
// `wgml train --resume` does): the recorded options must equal the run's,
// and the resumed parameters, losses and early-stopping state must equal an
// uninterrupted run's bit for bit, while each option that shapes the
// parameters, dropped (reset to its default), must change them.
func TestResumeKeepsEveryOption(t *testing.T) {
	opt := nonDefault
	run := func(o nn.TrainOptions) *nn.Trainer {
		tr, _ := newModelTrainer(t, o)
		for tr.Epoch < o.Epochs {
			if _, err := tr.RunEpoch(); err != nil {
				t.Fatal(err)
			}
		}
		return tr
	}
	straightRun := run(opt)
	straight := params(t, straightRun)

	first, b := newModelTrainer(t, opt)
	if _, err := first.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	steps := 0
	first.Stop = func() bool { steps++; return steps > 4 }
	if _, err := first.RunEpoch(); err != nn.ErrStopped {
		t.Fatalf("RunEpoch with Stop: %v, want ErrStopped", err)
	}
	ck, err := nn.Snapshot(b, first.M, first, nil)
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
	if ck.Train == nil || *ck.Train != opt {
		t.Fatalf("recorded options %+v, the run's %+v", ck.Train, opt)
	}
	b2 := cpu.New()
	m2, err := ck.Build(b2)
	if err != nil {
		t.Fatal(err)
	}
	resumed := newValTrainer(t, b2, m2, *ck.Train)
	if err := ck.Restore(resumed); err != nil {
		t.Fatal(err)
	}
	for resumed.Epoch < opt.Epochs {
		if _, err := resumed.RunEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(params(t, resumed), straight) {
		t.Error("resumed parameters differ from the uninterrupted run")
	}
	// The interrupted epoch's losses include the batches before the stop.
	if len(resumed.History) != len(straightRun.History) {
		t.Fatalf("resumed history of %d epochs, want %d", len(resumed.History), len(straightRun.History))
	}
	for i, a := range straightRun.History {
		r := resumed.History[i]
		if a.Step != r.Step || a.Loss != r.Loss || a.KL != r.KL || a.TestLoss != r.TestLoss || a.ValLoss != r.ValLoss || a.LR != r.LR {
			t.Errorf("epoch %d: resumed loss %v KL %v test %v val %v lr %v at step %d, uninterrupted %v %v %v %v %v at step %d",
				a.Epoch, r.Loss, r.KL, r.TestLoss, r.ValLoss, r.LR, r.Step, a.Loss, a.KL, a.TestLoss, a.ValLoss, a.LR, a.Step)
		}
	}
	if straightRun.Early == nil || resumed.Early == nil || *resumed.Early != *straightRun.Early {
		t.Errorf("early stopping state: resumed %+v, uninterrupted %+v", resumed.Early, straightRun.Early)
	}

	// Each option matters to the run: a resume that dropped it would not
	// match the uninterrupted run above.
	def := nn.DefaultTrainOptions()
	for _, c := range []struct {
		name string
		drop func(o *nn.TrainOptions)
	}{
		{"weight-decay", func(o *nn.TrainOptions) { o.Adam.WeightDecay = def.Adam.WeightDecay }},
		{"kl-warmup", func(o *nn.TrainOptions) { o.KLWarmup = def.KLWarmup }},
		{"beta1", func(o *nn.TrainOptions) { o.Adam.Beta1 = def.Adam.Beta1 }},
		{"beta2", func(o *nn.TrainOptions) { o.Adam.Beta2 = def.Adam.Beta2 }},
		{"adam-eps", func(o *nn.TrainOptions) { o.Adam.Eps = def.Adam.Eps }},
		{"lr", func(o *nn.TrainOptions) { o.Adam.LR = def.Adam.LR }},
		{"noise", func(o *nn.TrainOptions) { o.Noise = def.Noise }},
		{"lr-schedule", func(o *nn.TrainOptions) { o.Schedule = def.Schedule }},
	} {
		o := opt
		c.drop(&o)
		if slices.Equal(params(t, run(o)), straight) {
			t.Errorf("training without %s gives the same parameters: the test cannot see it dropped", c.name)
		}
	}
}

// TestSaveRefusesNonFinite: a tensor holding NaN or ±Inf (weights or Adam
// moments) is not written, the error names it, and the previous file at
// the path stays as it was.
func TestSaveRefusesNonFinite(t *testing.T) {
	tr, b := newTrainer(t, tinyAE, nn.TrainOptions{Epochs: 1, Batch: 32, Adam: nn.DefaultAdam, Seed: 4})
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	good, err := nn.Snapshot(b, tr.M, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := good.Save(path); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		group string
		bad   float32
		want  string
	}{
		{"weights", float32(math.NaN()), "tensor decoder.1.bias holds NaN at index 2"},
		{"adam.m", float32(math.Inf(1)), "tensor adam.m.decoder.1.bias holds +Inf at index 2"},
		{"adam.v", float32(math.Inf(-1)), "tensor adam.v.decoder.1.bias holds -Inf at index 2"},
	} {
		ck, err := nn.Snapshot(b, tr.M, tr, nil)
		if err != nil {
			t.Fatal(err)
		}
		vals := map[string]map[string][]float32{"weights": ck.Weights, "adam.m": ck.AdamM, "adam.v": ck.AdamV}[c.group]
		vals["decoder.1.bias"][2] = c.bad
		err = ck.Save(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "not written") {
			t.Errorf("Save with %v in %s: %v, want an error containing %q", c.bad, c.group, err, c.want)
		}
		if after, _ := os.ReadFile(path); !slices.Equal(after, before) {
			t.Errorf("Save with %v in %s changed the file at the path", c.bad, c.group)
		}
	}
}

// TestCheckpointWithoutAdamV: a checkpoint holding adam.m but no adam.v
// loads as weights only and refuses to resume; one holding only some adam.v
// tensors fails to load, naming the first one missing.
func TestCheckpointWithoutAdamV(t *testing.T) {
	tr, b := newTrainer(t, tinyAE, nn.TrainOptions{Epochs: 1, Batch: 32, Adam: nn.DefaultAdam, Seed: 4})
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	ck, err := nn.Snapshot(b, tr.M, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	full := filepath.Join(dir, "full.safetensors")
	if err := ck.Save(full); err != nil {
		t.Fatal(err)
	}
	ts, meta, err := safetensors.Read(full)
	if err != nil {
		t.Fatal(err)
	}
	// without writes the checkpoint less the tensors drop selects.
	without := func(name string, drop func(string) bool) string {
		var out []safetensors.Tensor
		for n, v := range ts {
			if !drop(n) {
				v.Name = n
				out = append(out, v)
			}
		}
		path := filepath.Join(dir, name)
		if err := safetensors.Write(path, out, meta); err != nil {
			t.Fatal(err)
		}
		return path
	}

	noV, err := nn.LoadCheckpoint(without("nov.safetensors", func(n string) bool { return strings.HasPrefix(n, "adam.v.") }))
	if err != nil {
		t.Fatalf("checkpoint without adam.v: %v", err)
	}
	if noV.AdamV != nil || noV.AdamM == nil {
		t.Fatalf("checkpoint without adam.v: AdamM %v tensors, AdamV %v tensors; want some and none", len(noV.AdamM), len(noV.AdamV))
	}
	train := blobs(203, 20, 1)
	b2 := cpu.New()
	m2, err := noV.Build(b2)
	if err != nil {
		t.Fatal(err)
	}
	tr2, err := nn.NewTrainer(b2, m2, train, nil, nn.TrainOptions{Epochs: 2, Batch: 32, Adam: nn.DefaultAdam, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := noV.Restore(tr2); err == nil || !strings.Contains(err.Error(), "no optimizer state") {
		t.Errorf("Restore without adam.v: %v, want a no-optimizer-state error", err)
	}

	_, err = nn.LoadCheckpoint(without("somev.safetensors", func(n string) bool { return n == "adam.v.decoder.1.bias" }))
	if err == nil || !strings.Contains(err.Error(), "tensor adam.v.decoder.1.bias is missing") {
		t.Errorf("checkpoint lacking adam.v.decoder.1.bias: %v, want it named missing", err)
	}
}
