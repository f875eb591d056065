package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/wgml/wgml/gpu"
)

// tuneShape is one matrix product a model of the bench's widths runs per
// step, as gpu.Backend.Tune takes it.
type tuneShape struct {
	m, k, n        int
	transA, transB bool
}

// modelProducts lists the distinct products of a training step of an MLP
// autoencoder with encoder widths layers (the decoder mirrors them) at
// batch size batch: per layer (in -> out) the forward x·wᵀ (B,in,out), the
// input gradient dz·w (B,out,in) and the weight gradient dzᵀ·x (out,B,in).
func modelProducts(layers []int, batch int) []tuneShape {
	seen := map[tuneShape]bool{}
	var shapes []tuneShape
	add := func(s tuneShape) {
		if !seen[s] {
			seen[s] = true
			shapes = append(shapes, s)
		}
	}
	for i := 0; i+1 < len(layers); i++ {
		for _, p := range [][2]int{{layers[i], layers[i+1]}, {layers[i+1], layers[i]}} {
			in, out := p[0], p[1]
			add(tuneShape{batch, in, out, false, true})
			add(tuneShape{batch, out, in, false, false})
			add(tuneShape{out, batch, in, true, false})
		}
	}
	return shapes
}

// benchTune runs the matmul tuning pass of b on the products of a model
// (and 4096³ on a hardware adapter) and prints the table: variant, shape,
// µs and GFLOP/s per candidate, the chosen one marked.
func benchTune(out io.Writer, b *gpu.Backend, layers []int, batch int, asJSON bool) error {
	shapes := modelProducts(layers, batch)
	if !b.Adapter().Software {
		shapes = append(shapes, tuneShape{4096, 4096, 4096, false, false})
	}
	var all []gpu.TuneResult
	for _, s := range shapes {
		rs, err := b.Tune(s.m, s.k, s.n, s.transA, s.transB)
		if err != nil {
			return fmt.Errorf("tune %dx%dx%d: %w", s.m, s.k, s.n, err)
		}
		all = append(all, rs...)
	}
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
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
