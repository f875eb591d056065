package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// streams are (seed, stream) pairs, with high words set in the last.
var streams = [][2]uint64{{0, 0}, {42, 7}, {0x123456789abcdef0, 0xfedcba9876543210}}

func testRandNormal(t *testing.T, b nn.Backend) {
	for _, s := range [][2]int{{1, 1}, {7, 13}, {257, 130}} {
		for _, st := range streams {
			t.Run(fmt.Sprintf("%dx%d/seed=%#x/stream=%#x", s[0], s[1], st[0], st[1]), func(t *testing.T) {
				f := newFixture(t, b)
				dst, _ := f.output(s[0], s[1])
				b.RandNormal(dst, st[0], st[1])
				want := make([]float32, s[0]*s[1])
				for e := range want {
					want[e] = philox.Normal(st[0], st[1], uint32(e))
				}
				checkClose(t, "dst", f.read(dst), want, 1e-5, 1e-5)
				f.check()
			})
		}
	}
}

// sampleRows, sampleCols are the shape of the statistical checks' samples:
// 33410 elements, enough to see a 2% bias in a frequency of ½ at 5
// standard errors.
const sampleRows, sampleCols = 257, 130

// sigmas is how many standard errors of its sample size a statistic may
// stray from its expectation; the streams are fixed, so the checks are
// deterministic, and a correct backend fails one with probability under
// 1e-6 on any other stream.
const sigmas = 5

// checkNear reports an error unless |got-want| <= sigmas·se.
func checkNear(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if !(math.Abs(got-want) <= sigmas*se) {
		t.Errorf("%s = %.5f, want %.5f ± %.5f (%d standard errors)", what, got, want, sigmas*se, sigmas)
	}
}

// testRandNormalMoments checks the backend's samples on their own, not
// against philox: mean 0 and standard deviation 1 within their standard
// errors (1/sqrt(n), 1/sqrt(2n)), the normal's 68.27% within one σ, and
// neighbouring elements (along a row and down a column) uncorrelated.
func testRandNormalMoments(t *testing.T, b nn.Backend) {
	f := newFixture(t, b)
	dst, _ := f.output(sampleRows, sampleCols)
	b.RandNormal(dst, 5, 3)
	x := f.read(dst)
	n := float64(len(x))
	var sum, sq, right, down float64
	inside := 0
	for e, v := range x {
		sum += float64(v)
		sq += float64(v) * float64(v)
		if math.Abs(float64(v)) < 1 {
			inside++
		}
		if (e+1)%sampleCols != 0 {
			right += float64(v) * float64(x[e+1])
		}
		if e+sampleCols < len(x) {
			down += float64(v) * float64(x[e+sampleCols])
		}
	}
	mean := sum / n
	checkNear(t, "mean", mean, 0, 1/math.Sqrt(n))
	checkNear(t, "standard deviation", math.Sqrt(sq/n-mean*mean), 1, 1/math.Sqrt(2*n))
	p := math.Erf(1 / math.Sqrt2)
	checkNear(t, "fraction within 1σ", float64(inside)/n, p, math.Sqrt(p*(1-p)/n))
	pairs := float64(sampleRows * (sampleCols - 1))
	checkNear(t, "correlation along rows", right/pairs, 0, 1/math.Sqrt(pairs))
	pairs = float64((sampleRows - 1) * sampleCols)
	checkNear(t, "correlation down columns", down/pairs, 0, 1/math.Sqrt(pairs))
	f.check()
}

// testCorruptStatistics checks the backend's corrupted samples on their
// own, not against noise.Apply: the masked fraction, salt and pepper's
// corrupted fraction and its even odds of 0 and 1, Gaussian noise's mean
// and standard deviation, and clipping's share at each bound.
func testCorruptStatistics(t *testing.T, b nn.Backend) {
	const x = 0.625
	n := float64(sampleRows * sampleCols)
	corrupt := func(t *testing.T, nz noise.Noise) []float32 {
		f := newFixture(t, b)
		src := make([]float32, sampleRows*sampleCols)
		for i := range src {
			src[i] = x
		}
		in := f.input("src", sampleRows, sampleCols, src)
		dst, _ := f.output(sampleRows, sampleCols)
		b.Corrupt(dst, in, nz, 13, 0x300000001)
		y := f.read(dst)
		f.check()
		return y
	}
	fraction := func(t *testing.T, what string, k int, p float64) {
		t.Helper()
		checkNear(t, what, float64(k)/n, p, math.Sqrt(p*(1-p)/n))
	}
	t.Run("mask", func(t *testing.T) {
		const p = 0.3
		masked := 0
		for e, y := range corrupt(t, noise.Noise{Kind: noise.Mask, Level: p}) {
			if y == 0 {
				masked++
			} else if y != x {
				t.Fatalf("element %d: %v, want 0 or the input %v", e, y, x)
			}
		}
		fraction(t, "masked fraction", masked, p)
	})
	t.Run("saltpepper", func(t *testing.T) {
		const p = 0.2
		var salt, pepper int
		for e, y := range corrupt(t, noise.Noise{Kind: noise.SaltPepper, Level: p}) {
			switch y {
			case 0:
				pepper++
			case 1:
				salt++
			case x:
			default:
				t.Fatalf("element %d: %v, want 0, 1 or the input %v", e, y, x)
			}
		}
		fraction(t, "corrupted fraction", salt+pepper, p)
		c := float64(salt + pepper)
		checkNear(t, "pepper share", float64(pepper)/c, 0.5, math.Sqrt(0.25/c))
	})
	t.Run("gaussian", func(t *testing.T) {
		const sigma = 0.3
		var sum, sq float64
		for _, y := range corrupt(t, noise.Noise{Kind: noise.Gaussian, Level: sigma}) {
			d := float64(y) - x
			sum += d
			sq += d * d
		}
		mean := sum / n
		checkNear(t, "mean", x+mean, x, sigma/math.Sqrt(n))
		checkNear(t, "standard deviation", math.Sqrt(sq/n-mean*mean), sigma, sigma/math.Sqrt(2*n))
	})
	t.Run("gaussian/clip", func(t *testing.T) {
		const sigma = 1
		var low, high int
		for e, y := range corrupt(t, noise.Noise{Kind: noise.Gaussian, Level: sigma, Clip: true}) {
			switch {
			case y == 0:
				low++
			case y == 1:
				high++
			case !(y > 0 && y < 1):
				t.Fatalf("element %d: %v outside [0, 1]", e, y)
			}
		}
		// P(x + N(0,1) < 0) = Φ(-x) and P(x + N(0,1) > 1) = Φ(x-1).
		fraction(t, "clipped to 0", low, 0.5*math.Erfc(x/math.Sqrt2))
		fraction(t, "clipped to 1", high, 0.5*math.Erfc((1-x)/math.Sqrt2))
	})
}

func testCorrupt(t *testing.T, b nn.Backend) {
	noises := []noise.Noise{{Kind: noise.None}, {Kind: noise.Gaussian, Level: 0.3}, {Kind: noise.Mask, Level: 0.3}, {Kind: noise.SaltPepper, Level: 0.2}}
	for _, s := range [][2]int{{1, 1}, {7, 13}, {65, 129}} {
		for _, nz := range noises {
			for _, clip := range []bool{false, true} {
				nz.Clip = clip
				t.Run(fmt.Sprintf("%dx%d/%v/clip=%v", s[0], s[1], nz, clip), func(t *testing.T) {
					f := newFixture(t, b)
					const seed, stream = 9, 0x100000003
					sd := f.uniform(s[0]*s[1], -0.5, 1.5)
					src := f.input("src", s[0], s[1], sd)
					dst, _ := f.output(s[0], s[1])
					b.Corrupt(dst, src, nz, seed, stream)
					want := make([]float32, len(sd))
					for e, x := range sd {
						want[e] = nz.Apply(x, seed, stream, uint32(e))
					}
					// Only Gaussian noise goes through log and cos; the
					// others compare uniforms, which are exact.
					tol := 0.0
					if nz.Kind == noise.Gaussian {
						tol = 1e-5
					}
					checkClose(t, "dst", f.read(dst), want, tol, tol)
					f.check()
				})
			}
		}
	}
}
