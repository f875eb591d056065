// Package backendtest is the conformance suite every nn.Backend runs, in the
// style of gonum's testblas: a backend's test calls Run once, and every
// operation is compared against plain Go loops written here, on odd shapes,
// with a check that the operation left its inputs unchanged.
//
//	func TestConformance(t *testing.T) {
//		backendtest.Run(t, func(t *testing.T) nn.Backend { return cpu.New() })
//	}
package backendtest

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/nn"
)

// RunGather runs Run's Gather subtests alone, for a backend configured to
// store datasets another way (the gpu backend's several bindings).
func RunGather(t *testing.T, newBackend func(t *testing.T) nn.Backend) {
	b := newBackend(t)
	t.Cleanup(b.Release)
	testGather(t, b)
}

// Run runs one subtest per Backend operation. Each subtest gets a fresh
// backend from newBackend and releases it when it ends; newBackend may call
// t.Skip or t.Fatal.
func Run(t *testing.T, newBackend func(t *testing.T) nn.Backend) {
	tests := []struct {
		name string
		test func(t *testing.T, b nn.Backend)
	}{
		{"MatMul", testMatMul},
		{"MatMulNonFinite", testMatMulNonFinite},
		{"Linear", testLinear},
		{"LinearNonFinite", testLinearNonFinite},
		{"LinearGrads", testLinearGrads},
		{"LinearInputGrad", testLinearInputGrad},
		{"SumRows", testSumRows},
		{"Activate", testActivate},
		{"ActivateBackward", testActivateBackward},
		{"MSE", testMSE},
		{"BCEWithLogits", testBCEWithLogits},
		{"ReconLossGrad", testReconLossGrad},
		{"KL", testKL},
		{"Reparameterize", testReparameterize},
		{"ReparameterizeBackward", testReparameterizeBackward},
		{"Adam", testAdam},
		{"AdamSums", testAdamSums},
		{"Gather", testGather},
		{"RandNormal", testRandNormal},
		{"RandNormalMoments", testRandNormalMoments},
		{"Corrupt", testCorrupt},
		{"CorruptStatistics", testCorruptStatistics},
		{"Copy", testCopy},
		{"View", testView},
		{"TableLoss", testTableLoss},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackend(t)
			t.Cleanup(b.Release)
			tc.test(t, b)
		})
	}
}

// atol and rtol are the default tolerances of checkClose: float32
// rounding of a few operations, transcendental functions included.
const atol, rtol = 1e-5, 1e-4

// activations lists every nn.Activation.
var activations = []nn.Activation{nn.Identity, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid}

// fixture is one test case: a backend, a random source seeded by the test's
// name, and the inputs uploaded so far, which check confirms are unchanged.
type fixture struct {
	t      *testing.T
	b      nn.Backend
	rng    *rand.Rand
	inputs []uploaded
}

// uploaded is a tensor an operation must only read, with what was uploaded.
type uploaded struct {
	name string
	x    nn.Tensor
	data []float32
}

func newFixture(t *testing.T, b nn.Backend) *fixture {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return &fixture{t: t, b: b, rng: rand.New(rand.NewPCG(h.Sum64(), 1))}
}

// uniform returns n values drawn uniformly from [lo, hi).
func (f *fixture) uniform(n int, lo, hi float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(lo + (hi-lo)*f.rng.Float64())
	}
	return s
}

// tensor allocates a (rows, cols) tensor holding data.
func (f *fixture) tensor(rows, cols int, data []float32) nn.Tensor {
	f.t.Helper()
	x, err := f.b.Alloc(rows, cols)
	if err != nil {
		f.t.Fatalf("Alloc(%d, %d): %v", rows, cols, err)
	}
	f.b.Upload(x, data)
	return x
}

// input allocates a tensor holding data, like tensor, and remembers it so
// that check can confirm the operation under test left it unchanged.
func (f *fixture) input(name string, rows, cols int, data []float32) nn.Tensor {
	f.t.Helper()
	x := f.tensor(rows, cols, data)
	f.inputs = append(f.inputs, uploaded{name, x, append([]float32(nil), data...)})
	return x
}

// output allocates a (rows, cols) tensor filled with random values, which
// an overwriting operation must replace, and returns them too.
func (f *fixture) output(rows, cols int) (nn.Tensor, []float32) {
	f.t.Helper()
	data := f.uniform(rows*cols, -3, 3)
	return f.tensor(rows, cols, data), data
}

// read returns the contents of x.
func (f *fixture) read(x nn.Tensor) []float32 {
	f.t.Helper()
	s := make([]float32, nn.Len(x))
	if err := f.b.Read(x, s); err != nil {
		f.t.Fatalf("Read: %v", err)
	}
	return s
}

// check syncs the backend and confirms every input still holds what was
// uploaded.
func (f *fixture) check() {
	f.t.Helper()
	if err := f.b.Sync(); err != nil {
		f.t.Fatalf("Sync: %v", err)
	}
	for _, in := range f.inputs {
		checkClose(f.t, "input "+in.name+" changed", f.read(in.x), in.data, 0, 0)
	}
}

// checkClose reports an error unless |got-want| <= atol + rtol·|want| for
// every element, printing the largest difference and the first mismatches.
func checkClose(t *testing.T, name string, got, want []float32, atol, rtol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d elements, want %d", name, len(got), len(want))
		return
	}
	var maxDiff float64
	var bad int
	var first string
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if g == w {
			continue
		}
		d := math.Abs(g - w)
		maxDiff = math.Max(maxDiff, d)
		if d <= atol+rtol*math.Abs(w) {
			continue
		}
		if bad++; bad <= 5 {
			first += fmt.Sprintf("\n\t[%d] got %g, want %g (diff %.3g)", i, got[i], want[i], d)
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d elements differ (atol %g, rtol %g), maxdiff %.3g; first:%s",
			name, bad, len(got), atol, rtol, maxDiff, first)
	}
}

// f32 rounds a float64 slice to float32.
func f32(s []float64) []float32 {
	r := make([]float32, len(s))
	for i, v := range s {
		r[i] = float32(v)
	}
	return r
}
