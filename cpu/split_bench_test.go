package cpu

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/nn"
)

// BenchmarkOpSplit times each elementwise op that parallelFor splits, on
// the activations (rows × width) of the default AE and VAE at batch 128
// and at nn.ScoreBatch (500) rows and on their weight matrices (Adam), on
// the caller alone (serial) and split over the workers of internal/pool
// (parallel): BenchmarkOpSplit/<op>/<rows>x<cols>/serial|parallel, the
// measurements behind pool.GrainStream, GrainCheap and GrainMath. Run with
// GOMAXPROCS >= 2.
func BenchmarkOpSplit(b *testing.B) {
	be := New()
	rng := rand.New(rand.NewPCG(7, 8))
	tensor := func(rows, cols int, lo, hi float32) nn.Tensor {
		x, err := be.Alloc(rows, cols)
		if err != nil {
			b.Fatal(err)
		}
		v := make([]float32, rows*cols)
		for i := range v {
			v[i] = lo + (hi-lo)*rng.Float32()
		}
		be.Upload(x, v)
		return x
	}
	acts := [][2]int{{128, 64}, {128, 256}, {128, 400}, {128, 784}, {500, 256}, {500, 400}, {500, 784}}
	weights := [][2]int{{256, 32}, {64, 256}, {256, 100}, {400, 100}, {256, 784}, {400, 784}}
	ops := []struct {
		name   string
		shapes [][2]int
		op     func(x, y, z, rows nn.Tensor) func()
	}{
		{"relu", acts, func(x, y, _, _ nn.Tensor) func() { return func() { be.Activate(y, x, nn.ReLU) } }},
		{"relu'", acts, func(x, y, z, _ nn.Tensor) func() { return func() { be.ActivateBackward(z, x, y, nn.ReLU) } }},
		{"sigmoid", acts, func(x, y, _, _ nn.Tensor) func() { return func() { be.Activate(y, x, nn.Sigmoid) } }},
		{"mse", acts, func(x, y, z, r nn.Tensor) func() { return func() { be.MSE(r, z, x, y, 0.5) } }},
		{"bce", acts, func(x, y, z, r nn.Tensor) func() { return func() { be.BCEWithLogits(r, z, x, y, 0.5) } }},
		{"sumrows", acts, func(x, _, _, _ nn.Tensor) func() {
			s := tensor(1, x.Cols(), 0, 0)
			return func() { be.SumRows(s, x, nn.Overwrite) }
		}},
		{"gather", acts, func(x, _, _, _ nn.Tensor) func() {
			rows, cols := 1000, x.Cols()
			px := make([]uint8, rows*cols)
			idx := make([]int32, rows)
			for i := range px {
				px[i] = uint8(rng.Uint32())
			}
			for i := range idx {
				idx[i] = int32(rng.IntN(rows))
			}
			data, err := be.UploadBytes(rows, cols, px)
			if err != nil {
				b.Fatal(err)
			}
			index, err := be.AllocIndex(rows)
			if err != nil {
				b.Fatal(err)
			}
			be.UploadIndex(index, idx)
			return func() { be.Gather(x, data, index, 0, 1.0/255) }
		}},
		{"adam", weights, func(x, y, z, _ nn.Tensor) func() {
			v := tensor(x.Rows(), x.Cols(), 0, 1)
			h := nn.AdamParams{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Step: 1}
			return func() { be.Adam(x, y, z, v, h) }
		}},
	}
	for _, o := range ops {
		for _, s := range o.shapes {
			r, c := s[0], s[1]
			run := o.op(tensor(r, c, -2, 2), tensor(r, c, 0, 1), tensor(r, c, 0, 1), tensor(r, 1, 0, 0))
			for _, mode := range []struct {
				name string
				p    pool.Policy
			}{{"serial", pool.Serial}, {"parallel", pool.Parallel}} {
				b.Run(fmt.Sprintf("%s/%dx%d/%s", o.name, r, c, mode.name), func(b *testing.B) {
					defer pool.SetPolicy(pool.SetPolicy(mode.p))
					for b.Loop() {
						run()
					}
				})
			}
		}
	}
}
