package bench

// The report of `wgml bench`: every backend side by side on one model and
// data set, then the cost-growth table.

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// Report is what Compare measures; wgml bench --json writes it as is.
type Report struct {
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
	Results []Result      `json:"results"`
	Skipped []Skip        `json:"skipped,omitempty"`
	Growth  []GrowthPoint `json:"growth,omitempty"`
	PeakRSS int64         `json:"host_peak_rss_bytes"`
	// StartToFirstStep runs from process start to the end of the first
	// backend's first training step (data loaded, device opened, model
	// built, pipelines compiled).
	StartToFirstStep float64 `json:"start_to_first_step_s"`
}

// Skip is a backend Compare could not measure, and why.
type Skip struct {
	Backend string `json:"backend"`
	Reason  string `json:"reason"`
}

// GrowthPoint is one cell of the cost-growth table.
type GrowthPoint struct {
	Backend       string  `json:"backend"`
	Batch         int     `json:"batch"`
	Width         int     `json:"width"` // first hidden width
	SamplesPerSec float64 `json:"samples_per_sec"`
	MsPerStep     float64 `json:"ms_per_step"`
	ModelBytes    int64   `json:"model_device_bytes"`
}

// Comparison is what Compare measures and how.
type Comparison struct {
	Backends []string
	// Open opens a backend by name, or gives a reason to skip it.
	Open            func(name string) (b nn.Backend, skip string, err error)
	Config          nn.Config
	Src             nn.Source
	DataName        string
	Batch, Steps    int
	GrowthSteps     int // timed steps per cost-growth cell
	StepsPerSubmit  int // 0: the backend's default
	Seed            uint64
	Batches, Widths []int // the cost-growth table's; both nil: none
	Growth          bool
	Start           time.Time // process start, for StartToFirstStep
	OnSkip          func(name, reason string)
}

// Compare measures every backend, then the cost-growth table.
func Compare(c Comparison) (*Report, error) {
	cfg, src := c.Config, c.Src
	rep := &Report{Model: cfg.Kind, Layers: cfg.Layers, Batch: c.Batch, Steps: c.Steps, Data: c.DataName, Rows: src.Rows}
	rep.Host.OS, rep.Host.Arch, rep.Host.CPUs, rep.Host.GOMAXPROCS = runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0)
	var ran []string
	for _, name := range c.Backends {
		b, skip, err := c.Open(name)
		if err != nil {
			return nil, err
		}
		if skip != "" {
			rep.Skipped = append(rep.Skipped, Skip{name, skip})
			if c.OnSkip != nil {
				c.OnSkip(name, skip)
			}
			continue
		}
		began := time.Since(c.Start)
		r, err := Measure(b, cfg, src, c.Batch, c.Steps, c.Seed, c.StepsPerSubmit)
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
	if c.Growth {
		for _, name := range ran {
			if err := c.growth(rep, name); err != nil {
				return nil, err
			}
		}
	}
	return rep, nil
}

// growth measures backend name's cost-growth cells into rep.
func (c Comparison) growth(rep *Report, name string) error {
	for _, g := range GrowthCells(c.Config, c.Batches, c.Widths, c.Batch) {
		if g.Batch > c.Src.Rows {
			continue
		}
		b, _, err := c.Open(name)
		if err != nil {
			return err
		}
		r, err := Measure(b, WithHidden(c.Config, g.Width), c.Src, g.Batch, c.GrowthSteps, c.Seed, c.StepsPerSubmit)
		b.Release()
		if err != nil {
			return fmt.Errorf("%s, batch %d, width %d: %w", name, g.Batch, g.Width, err)
		}
		rep.Growth = append(rep.Growth, GrowthPoint{name, g.Batch, g.Width, r.SamplesPerSec, r.MsPerStep, r.ModelBytes})
	}
	return nil
}

// GrowthCells are the cost-growth cells: every batch size at the model's
// width, then every other width at the main batch size.
func GrowthCells(c nn.Config, batches, widths []int, batch int) []GrowthPoint {
	base := 0
	if len(c.Layers) > 2 {
		base = c.Layers[1]
	}
	var cells []GrowthPoint
	for _, b := range batches {
		cells = append(cells, GrowthPoint{Batch: b, Width: base})
	}
	for _, w := range widths {
		if w != base && base != 0 {
			cells = append(cells, GrowthPoint{Batch: batch, Width: w})
		}
	}
	return cells
}

func mib(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

// Print writes the side-by-side table and the cost-growth table.
func (rep *Report) Print(out io.Writer) {
	fmt.Fprintf(out, "wgml bench: %s %v, batch %d, %d timed steps per backend, data %s (%d rows); host %s/%s, %d CPUs, GOMAXPROCS %d\n\n",
		rep.Model, rep.Layers, rep.Batch, rep.Steps, rep.Data, rep.Rows, rep.Host.OS, rep.Host.Arch, rep.Host.CPUs, rep.Host.GOMAXPROCS)
	software := rep.printResults(out)
	fmt.Fprintln(out, "\nratio: samples/s over the first backend's, same model, data and seed, in this run. Counters are per training step")
	fmt.Fprintln(out, "(submits, dispatches, bytes uploaded, readbacks). Device memory: model MiB is parameters, gradients, Adam moments")
	fmt.Fprintln(out, "and one batch size's activations (a streamed set's two upload blocks too); data MiB is the whole data set resident")
	fmt.Fprintln(out, "(u8 stays u8) with its index, 0 streamed; upload B is 0 resident and about a batch's rows streamed. Peak RSS")
	fmt.Fprintln(out, "is this process's so far. GFLOP/s counts the matrix products only.")
	if software {
		fmt.Fprintln(out, "A software adapter (lavapipe, SwiftShader) checks the kernels; its timings mean nothing for speed.")
	}
	if len(rep.Growth) > 0 {
		rep.printGrowth(out)
	}
}

// printResults writes the side-by-side table and its notes, and reports
// whether a software adapter ran.
func (rep *Report) printResults(out io.Writer) (software bool) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "backend\tsamples/s\tratio\tms/step\tGFLOP/s\tsubmits\tdispatches\tupload B\treadbacks\tmodel MiB\tdata MiB\tpeak RSS MiB\t")
	var base float64
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
	return software
}

// printGrowth writes the cost-growth table: a row per (width, batch), a
// column pair per backend, the last backend's ratio over the first.
func (rep *Report) printGrowth(out io.Writer) {
	fmt.Fprintln(out, "\ncost growth, samples/s (first hidden width, batch):")
	var backends []string
	cells := map[[2]int]map[string]GrowthPoint{}
	var order [][2]int
	for _, g := range rep.Growth {
		k := [2]int{g.Width, g.Batch}
		if cells[k] == nil {
			cells[k] = map[string]GrowthPoint{}
			order = append(order, k)
		}
		cells[k][g.Backend] = g
		if !slices.Contains(backends, g.Backend) {
			backends = append(backends, g.Backend)
		}
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "width\tbatch\t"
	for _, b := range backends {
		head += b + "\t" + b + " ms/step\t"
	}
	if len(backends) > 1 {
		head += "ratio\t"
	}
	fmt.Fprintln(tw, head+"model MiB\t")
	for _, k := range order {
		fmt.Fprintln(tw, growthRow(k, cells[k], backends))
	}
	tw.Flush()
	if len(backends) > 1 {
		fmt.Fprintf(out, "ratio: %s over %s.\n", backends[len(backends)-1], backends[0])
	}
}

// growthRow is the table row of cell k (width, batch).
func growthRow(k [2]int, cell map[string]GrowthPoint, backends []string) string {
	row := fmt.Sprintf("%d\t%d\t", k[0], k[1])
	var dev int64
	for _, b := range backends {
		g, ok := cell[b]
		if !ok {
			row += "-\t-\t"
			continue
		}
		row += fmt.Sprintf("%.0f\t%.2f\t", g.SamplesPerSec, g.MsPerStep)
		dev = g.ModelBytes
	}
	if len(backends) > 1 {
		g0, ok0 := cell[backends[0]]
		g1, ok1 := cell[backends[len(backends)-1]]
		if ok0 && ok1 {
			row += fmt.Sprintf("%.2f×\t", g1.SamplesPerSec/g0.SamplesPerSec)
		} else {
			row += "-\t"
		}
	}
	return row + mib(dev) + "\t"
}

// Tune runs the matmul tuning pass of the gpu backend on the best adapter
// (gpu.BestAdapter) on the products of a training step of a model of
// widths layers (nn.StepProducts; and 4096³ on a hardware adapter) and
// writes the table: variant, shape, µs and GFLOP/s per candidate, the
// chosen one marked (JSON with asJSON).
func Tune(out io.Writer, layers []int, batch int, asJSON bool) error {
	b, err := gpu.New(gpu.Options{AdapterIndex: gpu.BestAdapter})
	if err != nil {
		return fmt.Errorf("tune: %w", err)
	}
	defer b.Release()
	shapes := nn.StepProducts(layers, batch)
	if !b.Adapter().Software {
		shapes = append(shapes, nn.Product{M: 4096, K: 4096, N: 4096})
	}
	var all []gpu.TuneResult
	for _, s := range shapes {
		rs, err := b.Tune(s.M, s.K, s.N, s.TransA, s.TransB)
		if err != nil {
			return fmt.Errorf("tune %dx%dx%d: %w", s.M, s.K, s.N, err)
		}
		all = append(all, rs...)
	}
	if asJSON {
		return writeJSON(out, struct {
			Device string           `json:"device"`
			Tune   []gpu.TuneResult `json:"tune"`
		}{b.Device(), all})
	}
	fmt.Fprintf(out, "matmul tuning on %s\n", b.Device())
	if b.Adapter().Software {
		fmt.Fprintln(out, "(a software adapter: these timings mean nothing, and training uses the shape rule instead)")
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "variant\tshape\tµs\tGFLOP/s\tchosen\t")
	for _, r := range all {
		mark := ""
		if r.Chosen {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.2f\t%s\t\n", r.Variant, r.Shape, r.Micros, r.GFLOPS, mark)
	}
	return tw.Flush()
}

// SyntheticRows is how many synthetic rows c trains on: as many as its
// longest epoch needs (Batch·Steps; with Growth, each of Batches times
// GrowthSteps), at most MNIST's 60,000.
func (c Comparison) SyntheticRows() int {
	need := c.Batch * c.Steps
	if c.Growth {
		for _, b := range c.Batches {
			need = max(need, b*c.GrowthSteps)
		}
	}
	return min(need, 60000)
}

// GrowthWidths are the cost-growth table's first hidden widths by default
// for a model c: half, once and twice its first hidden width (nil for a
// model without a hidden layer).
func GrowthWidths(c nn.Config) []int {
	if len(c.Layers) <= 2 {
		return nil
	}
	w := c.Layers[1]
	return []int{max(1, w/2), w, 2 * w}
}

// GrowthSteps is the timed steps per cost-growth cell by default, for
// steps timed steps per backend: steps/10, at least 3.
func GrowthSteps(steps int) int { return max(3, steps/10) }

// WriteJSON writes rep to out as indented JSON.
func (rep *Report) WriteJSON(out io.Writer) error { return writeJSON(out, rep) }

// writeJSON writes v to out as JSON indented by two spaces.
func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
