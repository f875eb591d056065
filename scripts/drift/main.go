// Command drift measures how fast two runs of one training come apart,
// step by step: the runs train the same AE on the same rows in the same
// order (one Philox stream), differing only in how they round — another
// backend, another cpu kernel, another thread count, another shard size of
// the gpu's dataset — or in their seed, which gives the spread a
// different run of the same recipe has. Not a test: it takes minutes.
//
// Each run is key=value pairs joined by commas:
//
//	be=cpu|gpu  kernel=NAME (cpu: WGML_CPU_KERNEL)  procs=N (GOMAXPROCS)
//	binding=BYTES (gpu: WGML_MAX_BINDING)  seed=N (weights and order)
//
// The first run is the reference. At steps 1, 2, 4, … and every -every
// steps, each run reports its loss on a fixed probe set (the -test rows
// after the training rows) and, against the reference at the same step,
//
//	dp = |p - p_ref| / |p_ref|   over the whole parameter vector
//	dl = (loss - loss_ref) / loss_ref   on the probe set
//
// printed as TSV: step, then loss, dp, dl per run. Rows are the first
// -rows of the .npy, z-scored by their own statistics.
//
//	go run ./scripts/drift -data big.npy -rows 100000 -steps 2000 be=cpu be=gpu be=cpu,kernel=generic
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// run is one training to compare: where it computes and its seed.
type run struct {
	be, kernel, binding string
	procs               int
	seed                uint64
	name                string
}

// snapshot is a run's state at one step.
type snapshot struct {
	step   int
	loss   float64
	params []float32
}

func main() {
	path := flag.String("data", "", "float32 .npy table")
	rows := flag.Int("rows", 100000, "training rows (the first of the file)")
	test := flag.Int("test", 10000, "probe rows (those after the training rows)")
	steps := flag.Int("steps", 2000, "training steps")
	every := flag.Int("every", 100, "steps between snapshots after the powers of two")
	batch := flag.Int("batch", 512, "rows per batch")
	layers := flag.String("layers", "256,64,16", "encoder widths after the input")
	flag.Parse()
	runs, err := parseRuns(flag.Args())
	if err == nil && *path == "" {
		err = fmt.Errorf("want -data FILE.npy")
	}
	if err != nil {
		fail(err)
	}
	train, probe, err := readRows(*path, *rows, *test)
	if err != nil {
		fail(err)
	}
	cfg := nn.Config{Kind: nn.KindAE, Layers: []int{train.Cols}, HiddenAct: nn.ReLU, LatentAct: nn.Identity,
		OutputAct: nn.Identity, Loss: nn.LossMSE, Init: "torch"}
	for _, w := range strings.Split(*layers, ",") {
		n, err := strconv.Atoi(w)
		if err != nil {
			fail(fmt.Errorf("-layers %q: %v", *layers, err))
		}
		cfg.Layers = append(cfg.Layers, n)
	}
	at := schedule(*steps, *every)
	var ref []snapshot
	header := "step"
	out := make([]string, len(at))
	for k, s := range at {
		out[k] = strconv.Itoa(s)
	}
	for i, r := range runs {
		snaps, err := r.train(cfg, train, probe, *batch, at)
		if err != nil {
			fail(fmt.Errorf("%s: %v", r.name, err))
		}
		if i == 0 {
			ref = snaps
		}
		header += fmt.Sprintf("\tloss[%s]\tdp\tdl", r.name)
		for k, s := range snaps {
			dp, dl := relDiff(s.params, ref[k].params), (s.loss-ref[k].loss)/ref[k].loss
			out[k] += fmt.Sprintf("\t%.6g\t%.3g\t%.3g", s.loss, dp, dl)
		}
		// the table so far, so that a long comparison shows its first runs
		fmt.Fprintf(os.Stderr, "drift: %s done\n%s\n%s\n", r.name, header, strings.Join(out, "\n"))
	}
	fmt.Println(header)
	fmt.Println(strings.Join(out, "\n"))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "drift:", err)
	os.Exit(1)
}

// parseRuns parses the run arguments (see the package comment).
func parseRuns(args []string) ([]run, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("want at least one run, e.g. be=cpu be=gpu")
	}
	var runs []run
	for _, a := range args {
		r := run{be: "cpu", seed: 1, name: a}
		for _, kv := range strings.Split(a, ",") {
			k, v, _ := strings.Cut(kv, "=")
			var err error
			switch k {
			case "be":
				r.be = v
			case "kernel":
				r.kernel = v
			case "binding":
				r.binding = v
			case "procs":
				r.procs, err = strconv.Atoi(v)
			case "seed":
				r.seed, err = strconv.ParseUint(v, 10, 64)
			default:
				err = fmt.Errorf("unknown key")
			}
			if err != nil {
				return nil, fmt.Errorf("run %q: %s: %v", a, kv, err)
			}
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// schedule returns the snapshot steps: powers of two below every, then
// multiples of every, and the last step.
func schedule(steps, every int) []int {
	var at []int
	for s := 1; s < min(every, steps); s *= 2 {
		at = append(at, s)
	}
	for s := every; s < steps; s += every {
		at = append(at, s)
	}
	return append(at, steps)
}

// readRows reads the first rows+test rows of path as two z-scored
// sources, the statistics from the training rows.
func readRows(path string, rows, test int) (train, probe nn.Source, err error) {
	s, err := data.OpenNPYStream(path)
	if err != nil {
		return train, probe, err
	}
	defer s.Close()
	cols := s.Cols
	x := make([]float32, (rows+test)*cols)
	if err := s.ReadRows(x, 0, rows+test); err != nil {
		return train, probe, err
	}
	st := data.NewStats(cols)
	st.Add(x[:rows*cols], nil)
	d := &data.Dataset{Rows: rows + test, Cols: cols, Floats: x}
	if err := st.Normalizer("zscore", nil).ApplyInPlace(d); err != nil {
		return train, probe, err
	}
	return nn.Source{Rows: rows, Cols: cols, Floats: x[:rows*cols]},
		nn.Source{Rows: test, Cols: cols, Floats: x[rows*cols:]}, nil
}

// backend opens r's backend, its environment set while it is made.
func (r run) backend() (nn.Backend, func(), error) {
	if r.procs > 0 {
		old := runtime.GOMAXPROCS(r.procs)
		defer runtime.GOMAXPROCS(old)
	}
	switch r.be {
	case "cpu":
		if r.kernel == "" {
			return cpu.New(), func() {}, nil
		}
		b, err := cpu.NewKernel(r.kernel)
		return b, func() {}, err
	case "gpu":
		os.Setenv(gpu.MaxBindingEnv, r.binding)
		defer os.Unsetenv(gpu.MaxBindingEnv)
		b, err := gpu.New(gpu.Options{AdapterIndex: gpu.BestAdapter})
		if err != nil {
			return nil, nil, err
		}
		return b, b.Release, nil
	}
	return nil, nil, fmt.Errorf("be=%s: want cpu or gpu", r.be)
}

// train trains a fresh model of cfg for at[len(at)-1] steps and returns
// its snapshots at the steps at.
func (r run) train(cfg nn.Config, train, probe nn.Source, batch int, at []int) ([]snapshot, error) {
	if r.procs > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(r.procs))
	}
	b, release, err := r.backend()
	if err != nil {
		return nil, err
	}
	defer release()
	m, err := nn.NewModel(b, cfg, r.seed)
	if err != nil {
		return nil, err
	}
	tr, err := nn.NewTrainer(b, m, train, &probe, nn.TrainOptions{Epochs: 1 << 20, Batch: batch, Adam: nn.DefaultAdam, Seed: r.seed})
	if err != nil {
		return nil, err
	}
	var snaps []snapshot
	done := 0
	for _, s := range at {
		if err := tr.RunSteps(s - done); err != nil {
			return nil, err
		}
		done = s
		recon, _, err := tr.Evaluate()
		if err != nil {
			return nil, err
		}
		p := make([]float32, m.Params.Total)
		if err := b.Read(m.Params.Flat, p); err != nil {
			return nil, err
		}
		snaps = append(snaps, snapshot{step: s, loss: recon, params: p})
	}
	return snaps, nil
}

// relDiff is |a-b|/|b| over the whole vectors.
func relDiff(a, b []float32) float64 {
	var d, n float64
	for i := range b {
		d += (float64(a[i]) - float64(b[i])) * (float64(a[i]) - float64(b[i]))
		n += float64(b[i]) * float64(b[i])
	}
	return math.Sqrt(d / n)
}
