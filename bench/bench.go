// Package bench measures wgml's backends side by side: the benchmarks in
// its _test.go files (go test -bench . ./bench/, benchstat-friendly names
// such as BenchmarkTrainStep/cpu/vae/b128) and the measurements `wgml bench`
// prints. The folder peer/ holds the PyTorch peer script and gpu-run.sh the
// one-shot script for a rented GPU machine.
//
// Everything here drives the real code paths: nn.Trainer.Run on a
// resident data set, timed between fences (a read waits for all recorded
// work), so a GPU backend's asynchronous recording is never mistaken for
// speed. Timings are only ever compared as ratios from one run.
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// Model returns the standard configuration of kind, as `wgml train` builds
// it for MNIST (nn.DefaultConfig for 784 pixels):
//
//	ae:  784-256-64-16, relu, identity latent, sigmoid output, MSE
//	vae: 784-400-20, relu, sigmoid output, BCE (pytorch/examples' VAE)
//
// layers, when not nil, replaces the widths (the first must be the data's).
func Model(kind string, layers []int) (nn.Config, error) {
	c, err := nn.DefaultConfig(kind, 784, true)
	if err != nil {
		return nn.Config{}, err
	}
	if layers != nil {
		c.Layers = append([]int(nil), layers...)
	}
	return c, c.Validate()
}

// WithHidden returns c with its first hidden width set to w (the width
// that dominates the cost: 784·w weights in the first and last layers).
func WithHidden(c nn.Config, w int) nn.Config {
	c.Layers = append([]int(nil), c.Layers...)
	if len(c.Layers) > 2 {
		c.Layers[1] = w
	}
	return c
}

// Synthetic returns rows×cols bytes that look like MNIST to a dense network
// (about 80% zeros, the rest spread over 1..255), drawn from seed. Dense
// arithmetic costs the same on any values; this only saves loading files.
func Synthetic(rows, cols int, seed uint64) nn.Source {
	rng := rand.New(rand.NewPCG(seed, 0x62656e6368))
	px := make([]uint8, rows*cols)
	for i := range px {
		if r := rng.Uint32(); r%5 == 0 {
			px[i] = uint8(1 + (r>>8)%255)
		}
	}
	return nn.Source{Rows: rows, Cols: cols, Bytes: px}
}

// Head returns the first rows rows of src (sharing its memory).
func Head(src nn.Source, rows int) nn.Source {
	rows = min(rows, src.Rows)
	out := nn.Source{Rows: rows, Cols: src.Cols}
	if src.Bytes != nil {
		out.Bytes = src.Bytes[:rows*src.Cols]
	} else {
		out.Floats = src.Floats[:rows*src.Cols]
	}
	return out
}

// dims lists the (in, out) widths of c's dense layers, in parameter order.
func dims(c nn.Config) [][2]int {
	specs, err := c.ParamSpecs()
	if err != nil {
		return nil
	}
	var d [][2]int
	for _, s := range specs {
		if strings.HasSuffix(s.Name, ".weight") {
			d = append(d, [2]int{s.Cols, s.Rows})
		}
	}
	return d
}

// StepFLOPs is the floating-point work of the matrix products of one
// training step of c at batch n: per dense layer 2·n·In·Out for the forward
// product, as much for the weight gradient and, except where the layer reads
// the input, as much for the input gradient. Elementwise work is left out,
// so GFLOP/s figures are those of the products.
func StepFLOPs(c nn.Config, n int) float64 {
	var f float64
	for _, d := range dims(c) {
		mm := 2 * float64(n) * float64(d[0]) * float64(d[1])
		f += 2 * mm
		if d[0] != c.Input() {
			f += mm
		}
	}
	return f
}

// NewTrainer builds c on b from seed and a trainer over src (no test set)
// with nn.DefaultTrainOptions' Adam (PyTorch's default, lr 1e-3), for
// RunSteps.
func NewTrainer(b nn.Backend, c nn.Config, src nn.Source, batch int, seed uint64) (*nn.Trainer, error) {
	m, err := nn.NewModel(b, c, seed)
	if err != nil {
		return nil, err
	}
	opt := nn.DefaultTrainOptions()
	opt.Epochs, opt.Batch, opt.Seed = 1<<30, batch, seed
	return nn.NewTrainer(b, m, src, nil, opt)
}

// Software reports whether b runs on a software adapter (lavapipe,
// SwiftShader), as its adapter info says; the cpu backend is not one.
func Software(b nn.Backend) bool {
	a, ok := b.(interface{ Adapter() gpu.AdapterInfo })
	return ok && a.Adapter().Software
}

// PerStep is a backend's work per training step, from nn.Counters.
type PerStep struct {
	Submits       float64 `json:"submits"`
	Dispatches    float64 `json:"dispatches"`
	Readbacks     float64 `json:"readbacks"`
	BytesUploaded float64 `json:"bytes_uploaded"`
	BytesRead     float64 `json:"bytes_read"`
}

// PerStepOf divides c over steps.
func PerStepOf(c nn.Counters, steps int) PerStep {
	if steps <= 0 {
		return PerStep{}
	}
	n := float64(steps)
	return PerStep{float64(c.Submits) / n, float64(c.Dispatches) / n, float64(c.Readbacks) / n,
		float64(c.BytesUploaded) / n, float64(c.BytesRead) / n}
}

// Counting reports whether b counts its work (nn.Counting).
func Counting(b nn.Backend) bool {
	_, ok := b.(nn.Counting)
	return ok
}

// Result is one measured training run.
type Result struct {
	Backend       string  `json:"backend"`
	Device        string  `json:"device"`
	Software      bool    `json:"software"` // a software adapter (lavapipe, SwiftShader): its timings mean nothing
	Model         string  `json:"model"`
	Layers        []int   `json:"layers"`
	Batch         int     `json:"batch"`
	Steps         int     `json:"steps"`
	Seconds       float64 `json:"seconds"`
	SamplesPerSec float64 `json:"samples_per_sec"`
	MsPerStep     float64 `json:"ms_per_step"`
	GFLOPs        float64 `json:"gflops"` // matrix products only (StepFLOPs)
	// StepsPerSubmit is the number of steps recorded per submit.
	StepsPerSubmit int `json:"steps_per_submit"`
	// FirstStepSeconds runs from Measure's start (model and trainer
	// built, data uploaded, pipelines compiled) to the end of the first
	// training step.
	FirstStepSeconds float64 `json:"first_step_s"`
	// PerStep is the backend's work per step (exact: the trainer's
	// StepWork over whole epochs); nil where the backend does not count.
	PerStep *PerStep `json:"per_step,omitempty"`
	// ModelBytes is what the model and trainer allocate on the backend
	// for this batch size: parameters, gradients and Adam moments,
	// activations, loss sums (see DeviceBytes). DataBytes is what the
	// whole data set given to Measure takes there, resident (bytes stay
	// bytes) with its permutation index; DeviceBytes is their sum, the
	// device memory of training on that data set.
	ModelBytes  int64 `json:"model_device_bytes"`
	DataBytes   int64 `json:"data_device_bytes"`
	DeviceBytes int64 `json:"device_bytes"`
	// PeakRSS is the process's peak resident set after the run, in bytes.
	PeakRSS int64 `json:"host_peak_rss_bytes"`
}

// Measure trains c on b for about steps steps of batch rows and times them.
// The trainer's data set is the first steps·batch rows of src (fewer when
// src is smaller: then it trains the whole epochs nearest to steps); a few warm-up steps run
// first (pipelines, bind groups, caches; at least two submits), then whole epochs run between
// fences. The per-step counters come from the trainer's StepWork, so they
// hold training steps only, exactly. stepsPerSubmit 0 takes the backend's
// default (nn.TrainOptions).
func Measure(b nn.Backend, c nn.Config, src nn.Source, batch, steps int, seed uint64, stepsPerSubmit int) (Result, error) {
	begin := time.Now()
	if batch <= 0 || steps <= 0 {
		return Result{}, fmt.Errorf("batch %d, steps %d: want positive numbers", batch, steps)
	}
	per := min(steps, src.Rows/batch)
	if per < 1 {
		return Result{}, fmt.Errorf("batch %d: larger than the data set (%d rows)", batch, src.Rows)
	}
	epochs := max(1, (steps+per/2)/per) // whole epochs, nearest to steps
	data := Head(src, per*batch)
	r := Result{Backend: b.Name(), Device: b.Device(), Software: Software(b), Model: c.Kind, Layers: c.Layers, Batch: batch, Steps: epochs * per}
	all, err := DeviceBytes(c, data, batch)
	if err != nil {
		return Result{}, err
	}
	r.ModelBytes = all - DataBytes(data)
	r.DataBytes = DataBytes(src)
	r.DeviceBytes = r.ModelBytes + r.DataBytes
	t, err := NewTrainer(b, c, data, batch, seed)
	if err != nil {
		return Result{}, err
	}
	t.Opt.StepsPerSubmit = stepsPerSubmit
	r.StepsPerSubmit = t.StepsPerSubmit()
	// Warm up for two submits' worth of steps after the first (the gpu
	// backend's step clock alternates two banks), reading the loss once
	// after the first step; the warm-up goes on into the next epochs where
	// they are shorter.
	t.Opt.LogEvery = 1
	t.OnProgress = func(nn.Progress) {
		r.FirstStepSeconds = time.Since(begin).Seconds()
		t.Opt.LogEvery = 0
	}
	if err := t.RunSteps(max(3, 1+2*r.StepsPerSubmit)); err != nil {
		return Result{}, err
	}
	t.OnProgress = nil
	t.EpochBatch, t.EpochSums = 0, [2]float64{} // start the timed epochs clean
	if err := b.Sync(); err != nil {
		return Result{}, err
	}
	w0, n0 := t.StepWork, t.StepsRun
	start := time.Now()
	t.Opt.Epochs = t.Epoch + epochs
	if err := t.Run(context.Background(), nn.Hooks{}); err != nil {
		return Result{}, err
	}
	if err := b.Sync(); err != nil {
		return Result{}, err
	}
	r.Seconds = time.Since(start).Seconds()
	r.SamplesPerSec = float64(r.Steps*batch) / r.Seconds
	r.MsPerStep = 1e3 * r.Seconds / float64(r.Steps)
	r.GFLOPs = StepFLOPs(c, batch) * float64(r.Steps) / r.Seconds / 1e9
	if Counting(b) {
		ps := PerStepOf(t.StepWork.Sub(w0), t.StepsRun-n0)
		r.PerStep = &ps
	}
	r.PeakRSS = PeakRSS()
	return r, nil
}
