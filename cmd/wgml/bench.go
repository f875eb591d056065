package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wgml/wgml/bench"
	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// processStart is when the process started (package initialisation), for
// the report's start-to-first-step time.
var processStart = time.Now()

// benchFlags are the flags of wgml bench.
type benchFlags struct {
	backends, model, data                     string
	layers, batches, widths                   []int
	batch, steps, growthSteps, stepsPerSubmit int
	seed                                      uint64
	growth, json, tune, stream                bool
}

// benchReport is what wgml bench measures; --json writes it as is.
type benchReport struct {
	Model  string `json:"model"`
	Layers []int  `json:"layers"`
	Batch  int    `json:"batch"`
	Steps  int    `json:"steps"`
	Data   string `json:"data"`
	Rows   int    `json:"data_rows"`
	Host   struct {
		OS         string `json:"os"`
		Arch       string `json:"arch"`
		CPUs       int    `json:"cpus"`
		GOMAXPROCS int    `json:"gomaxprocs"`
	} `json:"host"`
	Results []bench.Result `json:"results"`
	Skipped []benchSkip    `json:"skipped,omitempty"`
	Growth  []growthPoint  `json:"growth,omitempty"`
	PeakRSS int64          `json:"host_peak_rss_bytes"`
	// StartToFirstStep runs from process start to the end of the first
	// backend's first training step (data loaded, device opened, model
	// built, pipelines compiled).
	StartToFirstStep float64 `json:"start_to_first_step_s"`
}

type benchSkip struct {
	Backend string `json:"backend"`
	Reason  string `json:"reason"`
}

// growthPoint is one cell of the cost-growth table.
type growthPoint struct {
	Backend       string  `json:"backend"`
	Batch         int     `json:"batch"`
	Width         int     `json:"width"` // first hidden width
	SamplesPerSec float64 `json:"samples_per_sec"`
	MsPerStep     float64 `json:"ms_per_step"`
	ModelBytes    int64   `json:"model_device_bytes"`
}

func cmdBench(args []string, out, errOut io.Writer) error {
	r, err := prepareBench(args, out, errOut)
	if err != nil {
		return err
	}
	if r.f.tune {
		return r.tune(out)
	}
	rep, err := r.run(errOut)
	if err != nil {
		return err
	}
	rep.PeakRSS = bench.PeakRSS()
	if r.f.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printBench(out, rep)
	return nil
}

// benchRun is a prepared wgml bench: flags checked, data loaded.
type benchRun struct {
	f               *benchFlags
	names           []string // backends, in the order of the table
	src             nn.Source
	dataName        string
	cfg             nn.Config
	batches, widths []int // the cost-growth table's
}

// prepareBench parses and checks the command line and loads the rows.
func prepareBench(args []string, out, errOut io.Writer) (*benchRun, error) {
	fs := newFlags("bench", "bench [flags]", out)
	f := &benchFlags{}
	fs.StringVar(&f.backends, "backends", "cpu,gpu", "backends to compare, side by side in this order (the first is the ratio's base)")
	fs.StringVar(&f.model, "model", "vae", "model: ae (784-256-64-16, MSE) or vae (784-400-20, BCE)")
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
	fs.BoolVar(&f.stream, "stream", false, "stream a .npy --data from disk in chunks (double-buffered uploads) instead of holding it resident (zscore fitted in one pass, as resident floats)")
	fs.BoolVar(&f.tune, "tune", false, "instead: time every matmul variant on the model's products on the gpu backend and print the tuning table")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if f.batch <= 0 || f.steps <= 0 || f.growthSteps < 0 || f.stepsPerSubmit < 0 {
		return nil, usagef("batch %d, steps %d, growth-steps %d, steps-per-submit %d: want positive numbers", f.batch, f.steps, f.growthSteps, f.stepsPerSubmit)
	}
	if f.growthSteps == 0 {
		f.growthSteps = max(3, f.steps/10)
	}
	names, err := benchBackendNames(f.backends)
	if err != nil {
		return nil, err
	}
	batches := f.batches
	if err := positive("growth-batches", batches); err != nil {
		return nil, err
	}
	if _, err := bench.Model(f.model, nil); err != nil {
		return nil, usageError{err}
	}
	// Synthetic rows: as many as the longest epoch needs, up to MNIST's.
	need := f.batch * f.steps
	if f.growth {
		for _, b := range batches {
			need = max(need, b*f.growthSteps)
		}
	}
	src, dataName, err := benchData(f.data, min(need, 60000), f.seed, f.stream, errOut)
	if err != nil {
		return nil, err
	}
	cfg, err := benchConfig(f.model, f.layers, src.Cols)
	if err != nil {
		return nil, err
	}
	widths := []int{}
	if len(cfg.Layers) > 2 {
		w := cfg.Layers[1]
		widths = []int{max(1, w/2), w, 2 * w}
	}
	if f.widths != nil {
		if err := positive("growth-widths", f.widths); err != nil {
			return nil, err
		}
		widths = f.widths
	}
	if f.batch > src.Rows {
		return nil, usagef("batch %d: larger than the data set (%d rows)", f.batch, src.Rows)
	}

	return &benchRun{f: f, names: names, src: src, dataName: dataName, cfg: cfg, batches: batches, widths: widths}, nil
}

// tune runs the matmul tuning pass on the gpu backend over the model's
// products and prints the tuning table.
func (br *benchRun) tune(out io.Writer) error {
	b, err := gpu.New(gpu.Options{AdapterIndex: gpu.BestAdapter})
	if err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	defer b.Release()
	return benchTune(out, b, br.cfg.Layers, br.f.batch, br.f.json)
}

// run measures every backend, then the cost-growth table.
func (br *benchRun) run(errOut io.Writer) (*benchReport, error) {
	f, src, cfg, batches, widths := br.f, br.src, br.cfg, br.batches, br.widths
	rep := &benchReport{Model: cfg.Kind, Layers: cfg.Layers, Batch: f.batch, Steps: f.steps, Data: br.dataName, Rows: src.Rows}
	rep.Host.OS, rep.Host.Arch, rep.Host.CPUs, rep.Host.GOMAXPROCS = runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0)
	var ran []string
	for _, name := range br.names {
		b, skip, err := openBenchBackend(name)
		if err != nil {
			return nil, err
		}
		if skip != "" {
			rep.Skipped = append(rep.Skipped, benchSkip{name, skip})
			if !f.json {
				fmt.Fprintf(errOut, "wgml: bench: %s skipped: %s\n", name, skip)
			}
			continue
		}
		began := time.Since(processStart)
		r, err := bench.Measure(b, cfg, src, f.batch, f.steps, f.seed, f.stepsPerSubmit)
		b.Release()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if rep.Results == nil {
			rep.StartToFirstStep = began.Seconds() + r.FirstStepSeconds
		}
		rep.Results = append(rep.Results, r)
		ran = append(ran, name)
	}
	if f.growth {
		for _, name := range ran {
			for _, g := range growthCells(cfg, batches, widths, f.batch) {
				b, _, err := openBenchBackend(name)
				if err != nil {
					return nil, err
				}
				c := bench.WithHidden(cfg, g.Width)
				if g.Batch > src.Rows {
					b.Release()
					continue
				}
				r, err := bench.Measure(b, c, src, g.Batch, f.growthSteps, f.seed, f.stepsPerSubmit)
				b.Release()
				if err != nil {
					return nil, fmt.Errorf("%s, batch %d, width %d: %w", name, g.Batch, g.Width, err)
				}
				rep.Growth = append(rep.Growth, growthPoint{name, g.Batch, g.Width, r.SamplesPerSec, r.MsPerStep, r.ModelBytes})
			}
		}
	}
	return rep, nil
}

// benchBackendNames checks a --backends list.
func benchBackendNames(s string) ([]string, error) {
	var names []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if n != "cpu" && n != "gpu" {
			return nil, usagef("backends %q: %q is not cpu or gpu", s, n)
		}
		for _, m := range names {
			if m == n {
				return nil, usagef("backends %q: %s is named twice", s, n)
			}
		}
		names = append(names, n)
	}
	return names, nil
}

// positive checks that a list flag holds positive integers only.
func positive(flag string, v []int) error {
	for _, n := range v {
		if n <= 0 {
			return usagef("%s %s: %d is not a positive integer", flag, joinInts(v), n)
		}
	}
	return nil
}

// benchData loads the rows to train on; synthetic data has synthRows. With
// stream, spec is a .npy file read from disk as the trainer goes.
func benchData(spec string, synthRows int, seed uint64, stream bool, errOut io.Writer) (nn.Source, string, error) {
	if stream {
		if !strings.HasSuffix(strings.ToLower(spec), ".npy") {
			return nn.Source{}, "", usagef("stream: data %q: only a .npy file streams so far", spec)
		}
		s, err := data.OpenNPYStream(spec)
		if err != nil {
			return nn.Source{}, "", err
		}
		if s.Normalize, err = s.FitNormalizer(benchNormalizer(s.Pixels())); err != nil {
			return nn.Source{}, "", err
		}
		return nn.Source{Rows: s.Rows, Cols: s.Cols, Stream: s}, spec + " (streamed)", nil
	}
	switch spec {
	case "synthetic":
		return bench.Synthetic(synthRows, 784, seed), "synthetic MNIST-like bytes", nil
	case "auto":
		if _, err := data.MNISTDir(); err != nil {
			fmt.Fprintf(errOut, "wgml: bench: MNIST not found (%v); using synthetic MNIST-like rows\n", err)
			return bench.Synthetic(synthRows, 784, seed), "synthetic MNIST-like bytes", nil
		}
		spec = "mnist"
	}
	train, _, err := data.Open(spec, data.OpenOptions{Seed: seed})
	if err != nil {
		return nn.Source{}, "", err
	}
	norm, err := data.FitNormalizer(benchNormalizer(train.Bytes != nil), train)
	if err != nil {
		return nn.Source{}, "", err
	}
	src, err := source(train, norm)
	return src, spec + " train", err
}

// benchNormalizer is the normaliser bench fits, on rows in memory or in
// one pass over a stream: none for pixels, else zscore.
func benchNormalizer(pixels bool) string {
	if pixels {
		return "none"
	}
	return "zscore"
}

// benchConfig is the standard model of kind for cols-wide rows, or the
// --layers widths.
func benchConfig(kind string, widths []int, cols int) (nn.Config, error) {
	if widths != nil {
		if err := positive("layers", widths); err != nil {
			return nn.Config{}, err
		}
		if widths[0] != cols {
			return nn.Config{}, usagef("layers %s: the first width must be the data's %d columns", joinInts(widths), cols)
		}
	}
	c, err := bench.Model(kind, widths)
	if err != nil {
		return nn.Config{}, usageError{err}
	}
	if widths == nil && cols != c.Input() {
		c.Layers[0] = cols
	}
	return c, nil
}

// openBenchBackend opens name; a gpu backend without an adapter is
// skipped (a reason, no error) unless WGML_REQUIRE_GPU is set.
func openBenchBackend(name string) (nn.Backend, string, error) {
	if name == "cpu" {
		return cpu.New(), "", nil
	}
	b, err := nn.Open(name)
	if errors.Is(err, gpu.ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		return nil, "no WebGPU adapter (install a GPU driver or Mesa's lavapipe; WGML_REQUIRE_GPU=1 makes this an error)", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("backend %s: %w", name, err)
	}
	return b, "", nil
}

// growthCells are the cost-growth cells: every batch size at the model's
// width, then every other width at the main batch size.
func growthCells(c nn.Config, batches, widths []int, batch int) []growthPoint {
	base := 0
	if len(c.Layers) > 2 {
		base = c.Layers[1]
	}
	var cells []growthPoint
	for _, b := range batches {
		cells = append(cells, growthPoint{Batch: b, Width: base})
	}
	for _, w := range widths {
		if w != base && base != 0 {
			cells = append(cells, growthPoint{Batch: batch, Width: w})
		}
	}
	return cells
}

func mib(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

// printBench writes the side-by-side table and the cost-growth table.
func printBench(out io.Writer, rep *benchReport) {
	fmt.Fprintf(out, "wgml bench: %s %v, batch %d, %d timed steps per backend, data %s (%d rows); host %s/%s, %d CPUs, GOMAXPROCS %d\n\n",
		rep.Model, rep.Layers, rep.Batch, rep.Steps, rep.Data, rep.Rows, rep.Host.OS, rep.Host.Arch, rep.Host.CPUs, rep.Host.GOMAXPROCS)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "backend\tsamples/s\tratio\tms/step\tGFLOP/s\tsubmits\tdispatches\tupload B\treadbacks\tmodel MiB\tdata MiB\tpeak RSS MiB\t")
	var base float64
	software := false
	for i, r := range rep.Results {
		if i == 0 {
			base = r.SamplesPerSec
		}
		sub, dis, up, rb := "-", "-", "-", "-"
		if p := r.PerStep; p != nil {
			sub, dis, up, rb = fmt.Sprintf("%.2f", p.Submits), fmt.Sprintf("%.1f", p.Dispatches), fmt.Sprintf("%.0f", p.BytesUploaded), fmt.Sprintf("%.2f", p.Readbacks)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f×\t%.2f\t%.1f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Backend, r.SamplesPerSec, r.SamplesPerSec/base,
			r.MsPerStep, r.GFLOPs, sub, dis, up, rb, mib(r.ModelBytes), mib(r.DataBytes), mib(r.PeakRSS))
		software = software || r.Software
	}
	tw.Flush()
	fmt.Fprintln(out)
	for _, r := range rep.Results {
		fmt.Fprintf(out, "  %s: %s; %d steps per submit, first step %.2f s after building\n", r.Backend, r.Device, r.StepsPerSubmit, r.FirstStepSeconds)
	}
	if len(rep.Results) > 0 {
		fmt.Fprintf(out, "  process start to first step: %.2f s\n", rep.StartToFirstStep)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(out, "  %s: skipped: %s\n", s.Backend, s.Reason)
	}
	fmt.Fprintln(out, "\nratio: samples/s over the first backend's, same model, data and seed, in this run. Counters are per training step")
	fmt.Fprintln(out, "(submits, dispatches, bytes uploaded, readbacks). Device memory: model MiB is parameters, gradients, Adam moments")
	fmt.Fprintln(out, "and one batch size's activations (a streamed set's two upload blocks too); data MiB is the whole data set resident")
	fmt.Fprintln(out, "(u8 stays u8) with its index, 0 streamed; upload B is 0 resident and about a batch's rows streamed. Peak RSS")
	fmt.Fprintln(out, "is this process's so far. GFLOP/s counts the matrix products only.")
	if software {
		fmt.Fprintln(out, "A software adapter (lavapipe, SwiftShader) checks the kernels; its timings mean nothing for speed.")
	}
	if len(rep.Growth) == 0 {
		return
	}
	fmt.Fprintln(out, "\ncost growth, samples/s (first hidden width, batch):")
	var backends []string
	cells := map[[2]int]map[string]growthPoint{}
	var order [][2]int
	for _, g := range rep.Growth {
		k := [2]int{g.Width, g.Batch}
		if cells[k] == nil {
			cells[k] = map[string]growthPoint{}
			order = append(order, k)
		}
		cells[k][g.Backend] = g
		if !contains(backends, g.Backend) {
			backends = append(backends, g.Backend)
		}
	}
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "width\tbatch\t"
	for _, b := range backends {
		head += b + "\t" + b + " ms/step\t"
	}
	if len(backends) > 1 {
		head += "ratio\t"
	}
	fmt.Fprintln(tw, head+"model MiB\t")
	for _, k := range order {
		row := fmt.Sprintf("%d\t%d\t", k[0], k[1])
		var dev int64
		for _, b := range backends {
			g, ok := cells[k][b]
			if !ok {
				row += "-\t-\t"
				continue
			}
			row += fmt.Sprintf("%.0f\t%.2f\t", g.SamplesPerSec, g.MsPerStep)
			dev = g.ModelBytes
		}
		if len(backends) > 1 {
			g0, ok0 := cells[k][backends[0]]
			g1, ok1 := cells[k][backends[len(backends)-1]]
			if ok0 && ok1 {
				row += fmt.Sprintf("%.2f×\t", g1.SamplesPerSec/g0.SamplesPerSec)
			} else {
				row += "-\t"
			}
		}
		fmt.Fprintln(tw, row+mib(dev)+"\t")
	}
	tw.Flush()
	if len(backends) > 1 {
		fmt.Fprintf(out, "ratio: %s over %s.\n", backends[len(backends)-1], backends[0])
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
