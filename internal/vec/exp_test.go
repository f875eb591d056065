package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// impls are the implementations this CPU runs; the others are logged.
func impls(t *testing.T) []string {
	var s []string
	for _, impl := range []string{"avx512", "avx2", "generic"} {
		if Has(impl) {
			s = append(s, impl)
		} else {
			t.Logf("skipping %s: this CPU lacks it", impl)
		}
	}
	return s
}

// logits returns n values in [-12, 12) with the extremes planted.
func logits(rng *rand.Rand, n int) []float32 {
	z := make([]float32, n)
	for i := range z {
		z[i] = 24*rng.Float32() - 12
	}
	for i, v := range []float32{100, -100, 30, -30, 0, 88.5, -88.5} {
		if k := 5*i + 2; k < n {
			z[k] = v
		}
	}
	return z
}

// close reports |got-want| <= atol + rtol·|want|.
func close(got, want, atol, rtol float64) bool { return math.Abs(got-want) <= atol+rtol*math.Abs(want) }

func TestSigmoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, impl := range impls(t) {
		for _, n := range []int{0, 1, 15, 16, 17, 100, 785} {
			x := logits(rng, n)
			want := append([]float32(nil), x...)
			sigmoidGeneric(want)
			Sigmoid(impl, x)
			for i := range x {
				if !close(float64(x[i]), float64(want[i]), 1e-7, 1e-6) {
					t.Fatalf("%s n=%d: sigmoid[%d] = %v, want %v", impl, n, i, x[i], want[i])
				}
			}
		}
	}
}

// TestNaN: a NaN input gives a NaN output, as the plain loops do.
func TestNaN(t *testing.T) {
	nan := float32(math.NaN())
	for _, impl := range impls(t) {
		x := make([]float32, 33)
		x[3], x[20] = nan, nan
		Sigmoid(impl, x)
		if !math.IsNaN(float64(x[3])) || !math.IsNaN(float64(x[20])) || math.IsNaN(float64(x[4])) {
			t.Errorf("%s: sigmoid of NaN = %v, %v (of 0: %v)", impl, x[3], x[20], x[4])
		}
		z, tg, g := make([]float32, 33), make([]float32, 33), make([]float32, 33)
		z[5] = nan
		if l := BCERow(impl, z, tg, g, 1); !math.IsNaN(l) || !math.IsNaN(float64(g[5])) {
			t.Errorf("%s: BCE with a NaN logit: loss %v, grad %v", impl, l, g[5])
		}
	}
}

func TestBCERow(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, impl := range impls(t) {
		for _, n := range []int{1, 15, 16, 33, 784, 2500} {
			for _, withGrad := range []bool{true, false} {
				z, tg := logits(rng, n), make([]float32, n)
				for i := range tg {
					tg[i] = rng.Float32()
					if i%5 == 0 {
						tg[i] = float32(i / 5 % 2)
					}
				}
				var g, wg []float32
				if withGrad {
					g, wg = make([]float32, n), make([]float32, n)
				}
				want := BCERowGeneric(z, tg, wg, 0.37)
				got := BCERow(impl, z, tg, g, 0.37)
				if !close(got, want, 1e-5, 1e-5) {
					t.Fatalf("%s n=%d: loss %v, want %v", impl, n, got, want)
				}
				for i := range g {
					if !close(float64(g[i]), float64(wg[i]), 1e-7, 1e-5) {
						t.Fatalf("%s n=%d: g[%d] = %v, want %v", impl, n, i, g[i], wg[i])
					}
				}
			}
		}
	}
}
