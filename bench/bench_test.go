package bench

// The benchmarks: go test -run '^$' -bench . ./bench/ (see make bench).
// Names are Benchmark<What>/<backend>/<shape>, so benchstat compares
// backends and runs; every GPU figure is timed between fences (the
// operation's work is waited for before the timer stops).

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// benchBackends are the backends every benchmark runs on, in order.
var benchBackends = []string{"cpu", "gpu"}

var (
	opened   = map[string]nn.Backend{}
	openErrs = map[string]error{}
	trainers = map[string]*nn.Trainer{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, b := range opened {
		b.Release()
	}
	os.Exit(code)
}

// backend opens name once per process. A gpu benchmark skips where no
// adapter exists, unless WGML_REQUIRE_GPU is set.
func backend(tb testing.TB, name string) nn.Backend {
	tb.Helper()
	if b, ok := opened[name]; ok {
		return b
	}
	err, failed := openErrs[name]
	if !failed {
		var b nn.Backend
		if b, err = nn.Open(name); err == nil {
			opened[name] = b
			return b
		}
		openErrs[name] = err
	}
	if errors.Is(err, gpu.ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		tb.Skipf("%s: %v (set WGML_REQUIRE_GPU=1 to make this a failure)", name, err)
	}
	tb.Fatalf("%s: %v", name, err)
	return nil
}

// skipBigOnSoftware skips a large shape on a software adapter unless
// WGML_BENCH_ALL is set: lavapipe checks the kernels, not speed.
func skipBigOnSoftware(tb testing.TB, b nn.Backend, flops float64) {
	if Software(b) && flops > 1.5e9 && os.Getenv("WGML_BENCH_ALL") == "" {
		tb.Skipf("%.1f GFLOP per op on a software adapter (%s); set WGML_BENCH_ALL=1 to run it", flops/1e9, b.Device())
	}
}

// matMulShapes are M×K×N products c(M,N) = op(a)·op(b); the suffix names
// the transposes the trainer uses: nt is a forward layer (x·wᵀ), tn a
// weight gradient (dzᵀ·x), none the input gradient (dz·w).
// WGML_BENCH_MATMUL replaces the list (e.g. 4096x4096x4096).
var matMulShapes = []string{
	"128x784x400", "128x400x784", "512x784x256", "1024x1024x1024",
	"128x784x400nt", "400x128x784tn",
}

// matMulsPerFlush is how many products BenchmarkMatMul records per
// submit.
const matMulsPerFlush = 32

// operands holds BenchmarkMatMul's tensors by backend and shape.
var operands = map[string][3]nn.Tensor{}

type mmShape struct {
	m, k, n        int
	transA, transB nn.Transpose
}

// matMulOperands returns the cached A, B and C of C = op(A)·op(B) for sh on
// be under key (A is m×k or k×m when transA, B k×n or n×k when transB),
// filling them once per process: backends cannot free tensors.
func matMulOperands(b *testing.B, be nn.Backend, key string, sh mmShape) (a, bm, c nn.Tensor) {
	abc, ok := operands[key]
	if !ok {
		rng := rand.New(rand.NewPCG(1, 2))
		ar, ac := sh.transA.Dims(sh.m, sh.k)
		br, bc := sh.transB.Dims(sh.k, sh.n)
		abc = [3]nn.Tensor{filled(b, be, ar, ac, rng), filled(b, be, br, bc, rng), filled(b, be, sh.m, sh.n, rng)}
		operands[key] = abc
	}
	return abc[0], abc[1], abc[2]
}

func parseShape(s string) (mmShape, error) {
	var sh mmShape
	switch {
	case strings.HasSuffix(s, "nt"):
		sh.transB, s = nn.Trans, strings.TrimSuffix(s, "nt")
	case strings.HasSuffix(s, "tn"):
		sh.transA, s = nn.Trans, strings.TrimSuffix(s, "tn")
	case strings.HasSuffix(s, "tt"):
		sh.transA, sh.transB, s = nn.Trans, nn.Trans, strings.TrimSuffix(s, "tt")
	}
	f := strings.Split(s, "x")
	if len(f) != 3 {
		return sh, fmt.Errorf("shape %q: want MxKxN with an optional nt, tn or tt suffix", s)
	}
	var d [3]int
	for i, v := range f {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return sh, fmt.Errorf("shape %q: %q is not a positive width", s, v)
		}
		d[i] = n
	}
	sh.m, sh.k, sh.n = d[0], d[1], d[2]
	return sh, nil
}

// filled allocates a (rows, cols) tensor of values uniform in [-1, 1).
func filled(tb testing.TB, b nn.Backend, rows, cols int, rng *rand.Rand) nn.Tensor {
	t, err := b.Alloc(rows, cols)
	if err != nil {
		tb.Fatal(err)
	}
	v := make([]float32, rows*cols)
	for i := range v {
		v[i] = 2*rng.Float32() - 1
	}
	b.Upload(t, v)
	return t
}

// reportCounters reports a backend's work per op (unit: "op", "step").
func reportCounters(b *testing.B, ps PerStep, unit string) {
	b.ReportMetric(ps.Submits, "submits/"+unit)
	b.ReportMetric(ps.Dispatches, "dispatches/"+unit)
	b.ReportMetric(ps.BytesUploaded, "upB/"+unit)
	b.ReportMetric(ps.Readbacks, "readbacks/"+unit)
}

func counters(b nn.Backend) nn.Counters {
	if c, ok := b.(nn.Counting); ok {
		return c.Counters()
	}
	return nn.Counters{}
}

// BenchmarkMatMul times products on every backend; on cpu, on each
// kernel this machine runs (BenchmarkMatMul/cpu/<kernel>/<shape>, the
// default kernel first), gonum's blas32 included.
func BenchmarkMatMul(b *testing.B) {
	shapes := matMulShapes
	if s := os.Getenv("WGML_BENCH_MATMUL"); s != "" {
		shapes = strings.Split(s, ",")
	}
	for _, name := range benchBackends {
		b.Run(name, func(b *testing.B) {
			if name != "cpu" {
				benchMatMuls(b, name, shapes, func(b *testing.B) nn.Backend { return backend(b, name) })
				return
			}
			for _, kernel := range cpuKernels() {
				b.Run(kernel, func(b *testing.B) {
					be, err := cpu.NewKernel(kernel)
					if err != nil {
						b.Skip(err)
					}
					benchMatMuls(b, "cpu/"+kernel, shapes, func(*testing.B) nn.Backend { return be })
				})
			}
		})
	}
}

// cpuKernels lists cpu.Kernels with the default (what nn.Open("cpu")
// picks) first.
func cpuKernels() []string {
	def := cpu.New().Kernel()
	ks := []string{def}
	for _, k := range cpu.Kernels() {
		if k != def {
			ks = append(ks, k)
		}
	}
	return ks
}

// benchMatMuls runs BenchmarkMatMul's shapes on the backend open returns;
// key names it in the operand cache.
func benchMatMuls(b *testing.B, key string, shapes []string, open func(*testing.B) nn.Backend) {
	for _, s := range shapes {
		b.Run(s, func(b *testing.B) {
			sh, err := parseShape(s)
			if err != nil {
				b.Fatal(err)
			}
			be := open(b)
			flops := 2 * float64(sh.m) * float64(sh.k) * float64(sh.n)
			skipBigOnSoftware(b, be, flops)
			a, bm, c := matMulOperands(b, be, key+"/"+s, sh)
			be.MatMul(c, a, bm, sh.transA, sh.transB, nn.Overwrite) // warm: pipeline, bind group
			if err := be.Sync(); err != nil {
				b.Fatal(err)
			}
			c0 := counters(be)
			b.ResetTimer()
			cpu0 := CPUTime()
			for i := range b.N {
				be.MatMul(c, a, bm, sh.transA, sh.transB, nn.Overwrite)
				if i%matMulsPerFlush == matMulsPerFlush-1 {
					be.Flush() // bounded encoders, as training steps have
				}
			}
			if err := be.Sync(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			reportCPUTime(b, cpu0)
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			if Counting(be) {
				reportCounters(b, PerStepOf(counters(be).Sub(c0), b.N), "op")
			}
		})
	}
}

// trainer returns a cached trainer of model kind at batch on backend name,
// training on synthetic data of per·batch rows (epochs of per steps), warmed
// up by a few steps.
func trainer(b *testing.B, name, kind string, batch, per int) (*nn.Trainer, nn.Config) {
	be := backend(b, name)
	c, err := Model(kind, nil)
	if err != nil {
		b.Fatal(err)
	}
	skipBigOnSoftware(b, be, StepFLOPs(c, batch))
	key := fmt.Sprintf("%s/%s/%d/%d", name, kind, batch, per)
	if t, ok := trainers[key]; ok {
		return t, c
	}
	t, err := NewTrainer(be, c, Synthetic(per*batch, c.Input(), 7), batch, 1)
	if err != nil {
		b.Fatal(err)
	}
	if err := t.RunSteps(2); err != nil {
		b.Fatal(err)
	}
	trainers[key] = t
	return t, c
}

// stepsPerEpoch of BenchmarkTrainStep's data: an epoch end costs a read
// (a fence) and a permutation upload, as in real training.
const stepsPerEpoch = 16

// stepCounters returns the exact work per training step of model kind at
// batch on backend name, from a separate small trainer (epochs of two
// steps): its trainer's StepWork over a whole epoch, after a first epoch
// that created every pipeline, bind group and uniform block. Cached; nil for
// a backend that does not count.
func stepCounters(b *testing.B, name, kind string, batch int) *PerStep {
	key := fmt.Sprintf("count/%s/%s/%d", name, kind, batch)
	if c, ok := counted[key]; ok {
		return c
	}
	be := backend(b, name)
	if !Counting(be) {
		return nil
	}
	c, _ := Model(kind, nil)
	t, err := NewTrainer(be, c, Synthetic(2*batch, c.Input(), 9), batch, 1)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := t.RunEpoch(); err != nil {
		b.Fatal(err)
	}
	w0, n0 := t.StepWork, t.StepsRun
	if _, err := t.RunEpoch(); err != nil {
		b.Fatal(err)
	}
	ps := PerStepOf(t.StepWork.Sub(w0), t.StepsRun-n0)
	counted[key] = &ps
	return &ps
}

var counted = map[string]*PerStep{}

// BenchmarkTrainStep times whole training steps (gather, forward, loss,
// backward, Adam) through nn.Trainer: one op is one step, epochs of 16
// steps (each epoch end reads the loss sums). The counters per step are
// exact and steady-state (see stepCounters).
func BenchmarkTrainStep(b *testing.B) {
	for _, name := range benchBackends {
		b.Run(name, func(b *testing.B) {
			for _, kind := range []string{nn.KindAE, nn.KindVAE} {
				b.Run(kind, func(b *testing.B) {
					for _, batch := range []int{64, 128, 512} {
						b.Run(fmt.Sprintf("b%d", batch), func(b *testing.B) {
							t, c := trainer(b, name, kind, batch, stepsPerEpoch)
							per := stepCounters(b, name, kind, batch)
							be := t.B
							if err := be.Sync(); err != nil {
								b.Fatal(err)
							}
							b.ResetTimer()
							cpu0 := CPUTime()
							if err := t.RunSteps(b.N); err != nil {
								b.Fatal(err)
							}
							if err := be.Sync(); err != nil {
								b.Fatal(err)
							}
							b.StopTimer()
							reportCPUTime(b, cpu0)
							sec := b.Elapsed().Seconds()
							b.ReportMetric(float64(b.N*batch)/sec, "samples/s")
							b.ReportMetric(StepFLOPs(c, batch)*float64(b.N)/sec/1e9, "GFLOP/s")
							if per != nil {
								reportCounters(b, *per, "step")
							}
						})
					}
				})
			}
		})
	}
}

// reportCPUTime reports the CPU time (all threads) per op since cpu0, where
// it is known: beside ns/op, a figure that a shared machine's load moves
// less (it still counts a waiting worker's spinning).
func reportCPUTime(b *testing.B, cpu0 time.Duration) {
	if d := CPUTime() - cpu0; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// epochRows is BenchmarkEpoch's data set: a tenth of MNIST.
const epochRows = 6000

// BenchmarkEpoch times one op = one training epoch over 6000 synthetic
// MNIST-sized rows at batch 128 (the last batch is 112 rows), end-of-epoch
// read included.
func BenchmarkEpoch(b *testing.B) {
	const batch = 128
	for _, name := range benchBackends {
		b.Run(name, func(b *testing.B) {
			for _, kind := range []string{nn.KindAE, nn.KindVAE} {
				b.Run(kind, func(b *testing.B) {
					be := backend(b, name)
					c, err := Model(kind, nil)
					if err != nil {
						b.Fatal(err)
					}
					skipBigOnSoftware(b, be, StepFLOPs(c, batch)*epochRows/batch)
					key := fmt.Sprintf("epoch/%s/%s", name, kind)
					t, ok := trainers[key]
					if !ok {
						if t, err = NewTrainer(be, c, Synthetic(epochRows, c.Input(), 8), batch, 1); err != nil {
							b.Fatal(err)
						}
						if err := t.RunSteps(2); err != nil {
							b.Fatal(err)
						}
						t.EpochBatch, t.EpochSums = 0, [2]float64{}
						trainers[key] = t
					}
					w0, n0 := t.StepWork, t.StepsRun
					b.ResetTimer()
					for range b.N {
						if _, err := t.RunEpoch(); err != nil {
							b.Fatal(err)
						}
					}
					if err := be.Sync(); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					b.ReportMetric(float64(b.N*epochRows)/b.Elapsed().Seconds(), "samples/s")
					if Counting(be) {
						reportCounters(b, PerStepOf(t.StepWork.Sub(w0), t.StepsRun-n0), "step")
					}
				})
			}
		})
	}
}
