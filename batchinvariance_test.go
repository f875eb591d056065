package wgml

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestBatchInvariance: on the cpu backend a row's score, latent code and
// reconstruction do not depend on the rows scored with it: Infer over
// every row at once equals, bit for bit, Infer over the same rows in
// batches of 1, 7, 128 and 1000 rows (and passes of m.Batch rows inside
// each), for an AE with a sigmoid output (Linear's per-tile activation),
// an image VAE (fused BCE, Activate over the whole output) and a wide AE
// whose layers cross the gemm kernels' tiles and narrow/wide choice.
func TestBatchInvariance(t *testing.T) {
	cases := []struct {
		name  string
		width int
		opt   Options
	}{
		{"ae", 8, Options{Layers: []int{8, 6, 3}, OutputAct: "sigmoid"}},
		{"vae-images", 12, Options{Model: "vae", Layers: []int{9, 2}, Images: true, Score: "elbo"}},
		{"ae-wide", 45, Options{Layers: []int{70, 33, 5}, HiddenAct: "tanh"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(c.width)))
			rows := func(n int) [][]float64 {
				out := make([][]float64, n)
				for i := range out {
					x := r.Float64()
					for j := range c.width {
						out[i] = append(out[i], math.Mod(x*float64(j+1)+0.1*r.Float64(), 1))
					}
				}
				return out
			}
			c.opt.Epochs, c.opt.Seed = 2, 3
			m, err := Fit(rows(300), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			m.Batch = 96 // passes of 96 rows: batches of 128 and 1000 split unevenly
			test := rows(1100)
			want := inferRows(t, m, test)
			for _, n := range []int{1, 7, 128, 1000} {
				for lo := 0; lo < len(test); lo += n {
					hi := min(lo+n, len(test))
					got := inferRows(t, m, test[lo:hi])
					for i := range hi - lo {
						for k, what := range []string{"score", "latent code", "reconstruction"} {
							if got[i][k] != want[lo+i][k] {
								t.Fatalf("batches of %d: row %d's %s differs from its %s among all %d rows", n, lo+i, what, what, len(test))
							}
						}
					}
				}
			}
		})
	}
}

// inferRows is each row's score, latent code and reconstruction as exact
// bits (%x of the float64s).
func inferRows(t *testing.T, m *Model, rows [][]float64) [][3]string {
	t.Helper()
	d, err := m.Rows(rows)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Infer(d, Outputs{Latent: true, Reconstruction: true})
	if err != nil {
		t.Fatal(err)
	}
	out := make([][3]string, len(rows))
	for i := range out {
		out[i] = [3]string{fmt.Sprintf("%x", math.Float64bits(res.Scores[i])), fmt.Sprintf("%x", bits(res.Latent[i])), fmt.Sprintf("%x", bits(res.Reconstruction[i]))}
	}
	return out
}

func bits(v []float64) []uint64 {
	b := make([]uint64, len(v))
	for i, x := range v {
		b[i] = math.Float64bits(x)
	}
	return b
}
