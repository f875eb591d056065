package bench

// Tests of the measuring code itself (never of speed: benchmarks are
// benchmarks, never timed tests).

import (
	"slices"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

func TestStepFLOPs(t *testing.T) {
	c, err := Model(nn.KindAE, []int{10, 6, 3})
	if err != nil {
		t.Fatal(err)
	}
	// Layers 10→6, 6→3 (encoder), 3→6, 6→10 (decoder); per layer 2·n·In·Out
	// forward and for dW, and for dx except the first layer.
	const n = 4
	mm := func(in, out int) float64 { return 2 * n * float64(in*out) }
	want := 2*mm(10, 6) + 3*mm(6, 3) + 3*mm(3, 6) + 3*mm(6, 10)
	if got := StepFLOPs(c, n); got != want {
		t.Errorf("StepFLOPs = %v, want %v", got, want)
	}
	v, _ := Model(nn.KindVAE, nil)
	// 784-400-20: fc1 (2×), two heads, fc3, fc4 (3× each) at batch 128.
	m := func(in, out int) float64 { return 2 * 128 * float64(in*out) }
	want = 2*m(784, 400) + 3*2*m(400, 20) + 3*m(20, 400) + 3*m(400, 784)
	if got := StepFLOPs(v, 128); got != want {
		t.Errorf("VAE StepFLOPs = %v, want %v", got, want)
	}
}

// TestDeviceBytes compares the sizer's count with what a cpu backend is
// asked for by the same construction.
func TestDeviceBytes(t *testing.T) {
	for _, kind := range []string{nn.KindAE, nn.KindVAE} {
		c, err := Model(kind, nil)
		if err != nil {
			t.Fatal(err)
		}
		src := Synthetic(1000, 784, 1)
		got, err := DeviceBytes(c, src, 128)
		if err != nil {
			t.Fatal(err)
		}
		counted := &allocCounter{Backend: cpu.New()}
		if _, err := NewTrainer(counted, c, src, 128, 1); err != nil {
			t.Fatal(err)
		}
		if got != counted.bytes {
			t.Errorf("%s: DeviceBytes = %d, cpu backend was asked for %d", kind, got, counted.bytes)
		}
		specs, _ := c.ParamSpecs()
		params := 0
		for _, s := range specs {
			params += s.Rows * s.Cols
		}
		if min := int64(16*params + 1000*784); got < min {
			t.Errorf("%s: DeviceBytes = %d, less than parameters×16 + data = %d", kind, got, min)
		}
	}
}

// allocCounter counts what a real backend allocates.
type allocCounter struct {
	nn.Backend
	bytes int64
}

func (a *allocCounter) Alloc(r, c int) (nn.Tensor, error) {
	a.bytes += 4 * int64(r*c)
	return a.Backend.Alloc(r, c)
}

func (a *allocCounter) UploadBytes(r, c int, src []uint8) (nn.Tensor, error) {
	a.bytes += int64(r * c)
	return a.Backend.UploadBytes(r, c, src)
}

func (a *allocCounter) UploadFloats(r, c int, src []float32) (nn.Tensor, error) {
	a.bytes += 4 * int64(r*c)
	return a.Backend.UploadFloats(r, c, src)
}

func (a *allocCounter) AllocIndex(n int) (nn.Tensor, error) {
	a.bytes += 4 * int64(n)
	return a.Backend.AllocIndex(n)
}

func TestRunStepsExact(t *testing.T) {
	c, _ := Model(nn.KindAE, []int{784, 8, 2})
	tr, err := NewTrainer(cpu.New(), c, Synthetic(10*4, 784, 1), 4, 1) // 10 steps per epoch
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range []int{1, 3, 6, 10, 17, 2} { // across epoch ends, and ending on one
		if err := tr.RunSteps(n); err != nil {
			t.Fatal(err)
		}
		total += n
		if tr.Step != total {
			t.Fatalf("after RunSteps(%d): Step = %d, want %d", n, tr.Step, total)
		}
	}
	// 39 steps in pieces follow the same trajectory as whole epochs.
	whole, err := NewTrainer(cpu.New(), c, Synthetic(10*4, 784, 1), 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := whole.RunEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	if err := whole.RunSteps(total - 30); err != nil {
		t.Fatal(err)
	}
	got, want := make([]float32, tr.M.Params.Total), make([]float32, tr.M.Params.Total)
	if err := tr.B.Read(tr.M.Params.Flat, got); err != nil {
		t.Fatal(err)
	}
	if err := whole.B.Read(whole.M.Params.Flat, want); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Error("RunSteps in pieces and whole epochs reach different weights")
	}
}

func TestMeasure(t *testing.T) {
	c, _ := Model(nn.KindVAE, []int{784, 16, 2})
	src := Synthetic(100, 784, 1)
	r, err := Measure(cpu.New(), c, src, 16, 5, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Epochs of 5 steps over the first 80 rows.
	if r.Steps != 5 || r.Batch != 16 || r.Backend != "cpu" || r.Device == "" || r.StepsPerSubmit != 1 || !(r.FirstStepSeconds > 0) {
		t.Errorf("Measure = %+v", r)
	}
	// 100 rows hold 6 batches of 16: 10 steps round to two epochs of 6.
	if r, err := Measure(cpu.New(), c, src, 16, 10, 1, 0); err != nil || r.Steps != 12 {
		t.Errorf("Measure of 10 steps on 6-step epochs: %d steps, %v; want 12", r.Steps, err)
	}
	if !(r.SamplesPerSec > 0) || !(r.MsPerStep > 0) || r.ModelBytes <= 0 || r.DataBytes != 100*(784+4) ||
		r.DeviceBytes != r.ModelBytes+r.DataBytes {
		t.Errorf("Measure: samples/s %v, ms/step %v, model bytes %d, data bytes %d, device bytes %d",
			r.SamplesPerSec, r.MsPerStep, r.ModelBytes, r.DataBytes, r.DeviceBytes)
	}
	if r.PerStep != nil {
		t.Errorf("cpu backend counts no work, got PerStep %+v", *r.PerStep)
	}
	if _, err := Measure(cpu.New(), c, src, 200, 5, 1, 0); err == nil {
		t.Error("Measure with a batch larger than the data: no error")
	}
}

func TestParseShape(t *testing.T) {
	for s, want := range map[string]mmShape{
		"128x784x400":   {128, 784, 400, nn.NoTrans, nn.NoTrans},
		"128x784x400nt": {128, 784, 400, nn.NoTrans, nn.Trans},
		"400x128x784tn": {400, 128, 784, nn.Trans, nn.NoTrans},
		"2x3x4tt":       {2, 3, 4, nn.Trans, nn.Trans},
	} {
		got, err := parseShape(s)
		if err != nil || got != want {
			t.Errorf("parseShape(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "1x2", "1x2x0", "axbxc", "1x2x3xx"} {
		if _, err := parseShape(s); err == nil {
			t.Errorf("parseShape(%q): no error", s)
		}
	}
}
