package noise

import (
	"fmt"
	"math"
	"testing"
)

// Apply is checked on its own statistics, independently of the formula it
// implements: each test draws n elements of one stream and compares a
// frequency or moment with its expectation, failing beyond sigmas standard
// errors of an n-sample estimate. The streams are fixed, so the tests are
// deterministic; sigmas makes a correct Apply fail with probability under
// 1e-6 on any other stream.
const (
	n      = 100000
	sigmas = 5
	seed   = 11
	stream = 0x200000005
)

// checkNear reports an error unless |got-want| ≤ sigmas·se.
func checkNear(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if !(math.Abs(got-want) <= sigmas*se) {
		t.Errorf("%s = %.5f, want %.5f ± %.5f (%d standard errors of %d samples)", what, got, want, sigmas*se, sigmas, n)
	}
}

// checkFraction checks that k of n draws is a fraction p: the binomial
// standard error is sqrt(p(1-p)/n). For p of 0 or 1 it must be exact.
func checkFraction(t *testing.T, what string, k int, p float64) {
	t.Helper()
	checkNear(t, what, float64(k)/n, p, math.Sqrt(p*(1-p)/n))
}

func TestMaskFraction(t *testing.T) {
	for _, p := range []float32{0, 0.1, 0.3, 0.75, 1} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			nz := Noise{Kind: Mask, Level: p}
			masked := 0
			for e := range uint32(n) {
				switch y := nz.Apply(0.625, seed, stream, e); y {
				case 0:
					masked++
				case 0.625:
				default:
					t.Fatalf("element %d: %v, want 0 or the input 0.625", e, y)
				}
			}
			checkFraction(t, "masked fraction", masked, float64(p))
		})
	}
}

func TestSaltPepper(t *testing.T) {
	for _, p := range []float32{0, 0.05, 0.4, 1} {
		t.Run(fmt.Sprint(p), func(t *testing.T) {
			nz := Noise{Kind: SaltPepper, Level: p}
			var salt, pepper int
			for e := range uint32(n) {
				switch y := nz.Apply(0.625, seed, stream, e); y {
				case 0:
					pepper++
				case 1:
					salt++
				case 0.625:
				default:
					t.Fatalf("element %d: %v, want 0, 1 or the input 0.625", e, y)
				}
			}
			checkFraction(t, "corrupted fraction", salt+pepper, float64(p))
			if c := salt + pepper; c > 0 {
				// Of the corrupted elements, half are 0: a binomial of c draws.
				checkNear(t, "pepper share", float64(pepper)/float64(c), 0.5, math.Sqrt(0.25/float64(c)))
			}
		})
	}
}

// TestGaussianMoments checks mean and standard deviation of x + σ·N(0,1),
// and the fraction within one σ (0.6827 for a normal), which a wrong
// distribution of the right variance fails.
func TestGaussianMoments(t *testing.T) {
	const x = 0.25
	for _, sigma := range []float32{0.1, 1, 3} {
		t.Run(fmt.Sprint(sigma), func(t *testing.T) {
			nz := Noise{Kind: Gaussian, Level: sigma}
			var sum, sq float64
			inside := 0
			for e := range uint32(n) {
				d := float64(nz.Apply(x, seed, stream, e)) - x
				sum += d
				sq += d * d
				if math.Abs(d) < float64(sigma) {
					inside++
				}
			}
			s := float64(sigma)
			mean := sum / n
			sd := math.Sqrt(sq/n - mean*mean)
			checkNear(t, "mean", x+mean, x, s/math.Sqrt(n))
			// The standard error of a normal sample's σ is σ/sqrt(2n).
			checkNear(t, "standard deviation", sd, s, s/math.Sqrt(2*n))
			checkFraction(t, "fraction within 1σ", inside, math.Erf(1/math.Sqrt2))
		})
	}
}

// TestClip checks that Clip bounds every kind to [0, 1], and that Gaussian
// noise of σ 1 around ½ lands on each bound with probability Φ(-½).
func TestClip(t *testing.T) {
	for _, kind := range []Kind{None, Gaussian, Mask, SaltPepper} {
		for _, x := range []float32{-0.5, 0.5, 1.5} {
			nz := Noise{Kind: kind, Level: 0.5, Clip: true}
			for e := range uint32(1000) {
				if y := nz.Apply(x, seed, stream, e); !(y >= 0 && y <= 1) {
					t.Fatalf("%v clipped, x %v, element %d: %v outside [0, 1]", nz, x, e, y)
				}
			}
		}
	}
	nz := Noise{Kind: Gaussian, Level: 1, Clip: true}
	var low, high int
	for e := range uint32(n) {
		switch nz.Apply(0.5, seed, stream, e) {
		case 0:
			low++
		case 1:
			high++
		}
	}
	phi := 0.5 * math.Erfc(0.5/math.Sqrt2) // Φ(-½) = P(N(0,1) < -½)
	checkFraction(t, "clipped to 0", low, phi)
	checkFraction(t, "clipped to 1", high, phi)
	// Unclipped, the same draws leave [0, 1] as often.
	nz.Clip = false
	outside := 0
	for e := range uint32(n) {
		if y := nz.Apply(0.5, seed, stream, e); y < 0 || y > 1 {
			outside++
		}
	}
	checkFraction(t, "unclipped outside [0, 1]", outside, 2*phi)
}

// TestStreamsIndependent checks that masks of two streams (two training
// steps) and of two seeds overlap as independent draws do: P² of the
// elements are masked in both.
func TestStreamsIndependent(t *testing.T) {
	const p = 0.5
	nz := Noise{Kind: Mask, Level: p}
	for _, other := range [][2]uint64{{seed, stream + 1}, {seed + 1, stream}} {
		both := 0
		for e := range uint32(n) {
			if nz.Apply(1, seed, stream, e) == 0 && nz.Apply(1, other[0], other[1], e) == 0 {
				both++
			}
		}
		checkFraction(t, fmt.Sprintf("masked in (%d,%#x) and (%d,%#x)", seed, stream, other[0], other[1]), both, p*p)
	}
}

func TestNoneIsIdentity(t *testing.T) {
	for _, x := range []float32{-2, 0, 0.3, 7} {
		if y := (Noise{Kind: None, Level: 1}).Apply(x, seed, stream, 3); y != x {
			t.Errorf("none: Apply(%v) = %v", x, y)
		}
	}
}
