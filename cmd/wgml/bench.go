package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/backends"
	"github.com/wgml/wgml/bench"
)

// processStart is when the process started (package initialisation), for
// the report's start-to-first-step time.
var processStart = time.Now()

// benchFlags are the flags of wgml bench.
type benchFlags struct {
	backends, kind, data                      string
	layers, batches, widths                   []int
	batch, steps, growthSteps, stepsPerSubmit int
	seed                                      uint64
	growth, json, tune, stream                bool
}

func addBenchFlags(fs *pflag.FlagSet) *benchFlags {
	f := &benchFlags{}
	fs.StringVar(&f.backends, "backends", "cpu,gpu", "backends to compare, side by side in this order (the first is the ratio's base)")
	fs.StringVar(&f.kind, "kind", "vae", "model kind: ae (784-256-64-16, MSE) or vae (784-400-20, BCE)")
	alias(fs, "model", "kind")
	fs.IntSliceVar(&f.layers, "layers", nil, "encoder widths instead of the model's, e.g. 784,512,32")
	fs.StringVar(&f.data, "data", "auto", "rows to train on: auto (mnist if its files are found, else synthetic), mnist, synthetic, a folder of IDX files or a .csv file")
	fs.IntVar(&f.batch, "batch", 128, "rows per mini-batch")
	fs.IntVar(&f.steps, "steps", 50, "timed training steps per backend (after 3 warm-up steps)")
	fs.IntVar(&f.stepsPerSubmit, "steps-per-submit", 0, "training steps recorded per GPU queue submit (0: by adapter, 8 on hardware, 1 on software)")
	fs.BoolVar(&f.growth, "growth", true, "also measure the cost-growth table (samples/s against batch size and hidden width)")
	fs.IntSliceVar(&f.batches, "growth-batches", []int{32, 128, 512}, "batch sizes of the cost-growth table")
	fs.IntSliceVar(&f.widths, "growth-widths", nil, "first hidden widths of the cost-growth table (default: half, once and twice the model's)")
	fs.IntVar(&f.growthSteps, "growth-steps", 0, "timed steps per cost-growth cell (default: steps/10, at least 3)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of the weights and the data order")
	fs.BoolVar(&f.json, "json", false, "write the report as JSON instead of tables")
	fs.BoolVar(&f.stream, "stream", false, "stream a .npy --data from disk in chunks (double-buffered uploads) instead of holding it resident (z-scored in one pass, as resident tables)")
	fs.BoolVar(&f.tune, "tune", false, "instead: time every matmul variant on the model's products on the gpu backend and print the tuning table")
	return f
}

func cmdBench(args []string, out, errOut io.Writer) error {
	c, f, err := prepareBench(args, out, errOut)
	if err != nil {
		return err
	}
	if f.tune {
		return bench.Tune(out, c.Config.Layers, f.batch, f.json)
	}
	rep, err := bench.Compare(c)
	if err != nil {
		return err
	}
	rep.PeakRSS = bench.PeakRSS()
	if f.json {
		return rep.WriteJSON(out)
	}
	rep.Print(out)
	return nil
}

// prepareBench parses and checks the command line and loads the rows.
func prepareBench(args []string, out, errOut io.Writer) (bench.Comparison, *benchFlags, error) {
	fs := newFlags("bench", "bench [flags]", out, errOut)
	f := addBenchFlags(fs)
	c := bench.Comparison{Open: bench.OpenOrSkip, Start: processStart}
	if err := parse(fs, args); err != nil {
		return c, nil, err
	}
	if err := f.check(); err != nil {
		return c, nil, err
	}
	var err error
	if c.Backends, err = backends.List(f.backends); err != nil {
		return c, nil, usageError{err}
	}
	c.Batch, c.Steps, c.GrowthSteps, c.StepsPerSubmit, c.Seed = f.batch, f.steps, f.growthSteps, f.stepsPerSubmit, f.seed
	c.Batches, c.Growth = f.batches, f.growth
	if f.stream {
		if !strings.HasSuffix(strings.ToLower(f.data), ".npy") {
			return c, nil, usagef("stream: data %q: only a .npy file streams so far", f.data)
		}
		c.Src, c.DataName, err = bench.StreamData(f.data)
	} else {
		c.Src, c.DataName, err = bench.Data(f.data, c.SyntheticRows(), f.seed, errOut)
	}
	if err != nil {
		return c, nil, err
	}
	if err := c.SetModel(f.kind, f.layers, f.widths); err != nil {
		return c, nil, usageError{err}
	}
	if !f.json {
		c.OnSkip = func(name, reason string) { fmt.Fprintf(errOut, "wgml: bench: %s skipped: %s\n", name, reason) }
	}
	return c, f, nil
}

// check validates the numeric flags.
func (f *benchFlags) check() error {
	if f.batch <= 0 || f.steps <= 0 || f.growthSteps < 0 || f.stepsPerSubmit < 0 {
		return usagef("batch %d, steps %d, growth-steps %d, steps-per-submit %d: want positive numbers", f.batch, f.steps, f.growthSteps, f.stepsPerSubmit)
	}
	if f.growthSteps == 0 {
		f.growthSteps = bench.GrowthSteps(f.steps)
	}
	if err := positive("growth-batches", f.batches); err != nil {
		return err
	}
	if err := positive("growth-widths", f.widths); err != nil {
		return err
	}
	if _, err := bench.Model(f.kind, nil); err != nil {
		return usageError{err}
	}
	return nil
}

// positive checks that a list flag holds positive integers only.
func positive(flag string, v []int) error {
	for _, n := range v {
		if n <= 0 {
			return usagef("%s %s: %d is not a positive integer", flag, lib.JoinInts(v), n)
		}
	}
	return nil
}
