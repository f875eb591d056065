package gpu

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
	"github.com/wgml/wgml/shaders"
)

// forcedVariants are the matmul variants the conformance suite is forced
// through: every tile unsplit, and splits that leave uneven K ranges (the
// unpinned suite also runs the shape rule's choices, t32x32/k2 among them).
var forcedVariants = []string{"t128x128", "t128x64", "t64x64", "t32x32", "t64x64/k3", "t128x64/k5"}

// TestMatMulVariants runs the product family of the conformance suite with
// each variant pinned through WGML_MATMUL (with -short, two of them: the
// pipelines of every variant make this the slowest gpu test on lavapipe).
func TestMatMulVariants(t *testing.T) {
	variants := forcedVariants
	if testing.Short() {
		variants = []string{"t128x64", "t64x64/k3"}
	}
	for _, name := range variants {
		t.Run(name, func(t *testing.T) {
			t.Setenv(pinEnv, name)
			backendtest.RunMatMul(t, func(t *testing.T) nn.Backend { return openBackend(t) })
		})
	}
}

// TestMatMulVariantMaxDiff logs, for every variant and the shapes
// with each transpose, the largest difference from a float64 product (and
// fails past the suite's tolerance), so the report can quote them.
func TestMatMulVariantMaxDiff(t *testing.T) {
	b := openBackend(t)
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := [][3]int{{1, 1, 1}, {7, 13, 5}, {65, 129, 33}, {257, 130, 3}, {128, 784, 400}}
	for _, name := range forcedVariants {
		mv, err := parseMMVariant(name)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for _, s := range shapes {
			m, k, n := s[0], s[1], s[2]
			for _, tr := range [][2]nn.Transpose{{nn.NoTrans, nn.NoTrans}, {nn.NoTrans, nn.Trans}, {nn.Trans, nn.NoTrans}, {nn.Trans, nn.Trans}} {
				ad, bd := uniform(rng, m*k), uniform(rng, k*n)
				ar, ac := tr[0].Dims(m, k)
				br, bc := tr[1].Dims(k, n)
				a, bt, c := upload(t, b, ar, ac, ad), upload(t, b, br, bc, bd), upload(t, b, m, n, make([]float32, m*n))
				b.recordMatMul(mv, shaders.Variant{TransA: tr[0], TransB: tr[1]}, m, k, n, a, bt, nil, c, nil)
				got := make([]float32, m*n)
				if err := b.Read(c, got); err != nil {
					t.Fatal(err)
				}
				var d float64
				for i := range m {
					for j := range n {
						var want float64
						for p := range k {
							av, bv := ad[i*k+p], bd[p*n+j]
							if tr[0] == nn.Trans {
								av = ad[p*m+i]
							}
							if tr[1] == nn.Trans {
								bv = bd[j*k+p]
							}
							want += float64(av) * float64(bv)
						}
						d = math.Max(d, math.Abs(float64(got[i*n+j])-want))
					}
				}
				if tol := 1e-6*float64(k) + 1e-5*float64(k); d > tol {
					t.Errorf("%s %dx%dx%d trans=%v: maxdiff %.3g > %.3g", name, m, k, n, tr, d, tol)
				}
				worst = math.Max(worst, d)
			}
		}
		t.Logf("%-11s maxdiff %.3g over %d shapes x 4 transposes", name, worst, len(shapes))
	}
}

func uniform(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(2*rng.Float64() - 1)
	}
	return s
}

func upload(t *testing.T, b *Backend, r, c int, data []float32) *Tensor {
	t.Helper()
	x, err := b.Alloc(r, c)
	if err != nil {
		t.Fatal(err)
	}
	b.Upload(x, data)
	return b.tensor(x)
}

// TestRuleVariant pins the shape rule's choices for the training shapes.
func TestRuleVariant(t *testing.T) {
	for _, tc := range []struct {
		m, k, n int
		want    string
	}{
		{4096, 4096, 4096, "t128x128"},
		{128, 784, 400, "t32x32"},
		{400, 128, 784, "t64x64"},
		{128, 400, 20, "t32x32"},     // 2 MFLOP: not worth a reduce
		{64, 4096, 64, "t32x32/k16"}, // 4 workgroups, long K
		{1, 1, 1, "t32x32"},
	} {
		if got := ruleVariant(tc.m, tc.k, tc.n).String(); got != tc.want {
			t.Errorf("ruleVariant(%d,%d,%d) = %s, want %s", tc.m, tc.k, tc.n, got, tc.want)
		}
	}
	for _, name := range forcedVariants {
		v, err := parseMMVariant(name)
		if err != nil || v.String() != name {
			t.Errorf("parseMMVariant(%q) = %v, %v", name, v, err)
		}
	}
	for _, bad := range []string{"t7x7", "t64x64/k0", "t64x64/kx"} {
		if _, err := parseMMVariant(bad); err == nil {
			t.Errorf("parseMMVariant(%q) succeeded", bad)
		}
	}
}

// TestSplitKDeterministic checks that a split product's fixed-order reduce
// gives the same bits every run, bias gradient (LinearGrads' row sums)
// included.
func TestSplitKDeterministic(t *testing.T) {
	b := openBackend(t)
	if err := b.PinMatMul("t32x32/k7"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const batch, in, out = 300, 37, 21
	dz, x := upload(t, b, batch, out, uniform(rng, batch*out)), upload(t, b, batch, in, uniform(rng, batch*in))
	var first [2][]float32
	for run := range 3 {
		dw, db := upload(t, b, out, in, make([]float32, out*in)), upload(t, b, 1, out, make([]float32, out))
		b.LinearGrads(dw, db, dz, x)
		got := [2][]float32{make([]float32, out*in), make([]float32, out)}
		if err := b.Read(dw, got[0]); err != nil {
			t.Fatal(err)
		}
		if err := b.Read(db, got[1]); err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = got
			continue
		}
		for i := range got {
			for j, v := range got[i] {
				if math.Float32bits(v) != math.Float32bits(first[i][j]) {
					t.Fatalf("run %d: output %d element %d is %g, first run %g", run, i, j, v, first[i][j])
				}
			}
		}
	}
	if c := b.Counters(); c.Dispatches != 6 {
		t.Errorf("%d dispatches for 3 split LinearGrads, want 6 (product + reduce each)", c.Dispatches)
	}
}
