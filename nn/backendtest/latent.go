package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
)

// latentShapes are the (B,L) of the latent-space tests; stats are (B,2L).
var latentShapes = [][2]int{{1, 1}, {7, 13}, {65, 129}, {257, 3}}

// latentStats draws stats (B,2L) with mu in [-2,2) and logvar in [-3,3).
func latentStats(f *fixture, rows, l int) (mu, lv func(i, j int) float64, data []float32) {
	data = make([]float32, 0, rows*2*l)
	for range rows {
		data = append(data, f.uniform(l, -2, 2)...)
		data = append(data, f.uniform(l, -3, 3)...)
	}
	mu = func(i, j int) float64 { return float64(data[2*l*i+j]) }
	lv = func(i, j int) float64 { return float64(data[2*l*i+l+j]) }
	return mu, lv, data
}

// klRef is -½ Σ_j (1 + logvar - mu² - exp(logvar)) of row i.
func klRef(mu, lv func(i, j int) float64, i, l int) float64 {
	var s float64
	for j := range l {
		s += 1 + lv(i, j) - mu(i, j)*mu(i, j) - math.Exp(lv(i, j))
	}
	return -0.5 * s
}

func testKL(t *testing.T, b nn.Backend) {
	for _, s := range latentShapes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			f := newFixture(t, b)
			rows, l := s[0], s[1]
			mu, lv, sd := latentStats(f, rows, l)
			stats := f.input("stats", rows, 2*l, sd)
			rowKL, _ := f.output(rows, 1)
			b.KL(rowKL, stats)
			want := make([]float64, rows)
			for i := range want {
				want[i] = klRef(mu, lv, i, l)
			}
			checkClose(t, "rowKL", f.read(rowKL), f32(want), atol, rtol)
			f.check()
		})
	}
}

func testReparameterize(t *testing.T, b nn.Backend) {
	for _, s := range latentShapes {
		for _, sample := range []bool{true, false} {
			t.Run(fmt.Sprintf("%dx%d/sample=%v", s[0], s[1], sample), func(t *testing.T) {
				f := newFixture(t, b)
				rows, l := s[0], s[1]
				mu, lv, sd := latentStats(f, rows, l)
				stats := f.input("stats", rows, 2*l, sd)
				z, _ := f.output(rows, l)
				var eps nn.Tensor
				if sample {
					eps, _ = f.output(rows, l)
				}
				const seed, stream = 0x123456789, 1<<56 | 77
				b.Reparameterize(z, eps, stats, seed, stream)
				wz, we := make([]float64, rows*l), make([]float32, rows*l)
				for i := range rows {
					for j := range l {
						k := i*l + j
						wz[k] = mu(i, j)
						if sample {
							we[k] = philox.Normal(seed, stream, uint32(k))
							wz[k] += math.Exp(0.5*lv(i, j)) * float64(we[k])
						}
					}
				}
				checkClose(t, "z", f.read(z), f32(wz), atol, rtol)
				if sample {
					checkClose(t, "eps", f.read(eps), we, 1e-5, 1e-5)
				}
				f.check()
			})
		}
	}
}

func testReparameterizeBackward(t *testing.T, b nn.Backend) {
	for _, s := range latentShapes {
		t.Run(fmt.Sprintf("%dx%d", s[0], s[1]), func(t *testing.T) {
			f := newFixture(t, b)
			rows, l := s[0], s[1]
			n := rows * l
			mu, lv, sd := latentStats(f, rows, l)
			dzd, ed := f.uniform(n, -1, 1), f.uniform(n, -2, 2)
			stats, dz, eps := f.input("stats", rows, 2*l, sd), f.input("dz", rows, l, dzd), f.input("eps", rows, l, ed)
			dStats, _ := f.output(rows, 2*l)
			rowKL, _ := f.output(rows, 1)
			const klScale = 0.37
			b.ReparameterizeBackward(dStats, rowKL, dz, stats, eps, klScale)
			wd, wkl := make([]float64, 2*n), make([]float64, rows)
			for i := range rows {
				for j := range l {
					k, m, v := i*l+j, mu(i, j), lv(i, j)
					wd[2*l*i+j] = float64(dzd[k]) + klScale*m
					wd[2*l*i+l+j] = float64(dzd[k])*float64(ed[k])*0.5*math.Exp(0.5*v) + klScale*0.5*(math.Exp(v)-1)
				}
				wkl[i] = klRef(mu, lv, i, l)
			}
			checkClose(t, "dStats", f.read(dStats), f32(wd), atol, rtol)
			checkClose(t, "rowKL", f.read(rowKL), f32(wkl), atol, rtol)
			f.check()
		})
	}
}
