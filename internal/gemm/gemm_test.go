package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/wgml/wgml/internal/op"
	"github.com/wgml/wgml/internal/pool"
)

// kernels returns every kernel built here, skipping (and saying so) those
// this CPU cannot run.
func kernels(t *testing.T) []*Kernel {
	var ks []*Kernel
	for _, name := range Names() {
		k, err := Lookup(name)
		if err != nil {
			t.Logf("skipping: %v", err)
			continue
		}
		ks = append(ks, k)
	}
	return ks
}

// transposes are the four (transA, transB) pairs of a product.
var transposes = [][2]op.Transpose{{op.NoTrans, op.NoTrans}, {op.NoTrans, op.Trans}, {op.Trans, op.NoTrans}, {op.Trans, op.Trans}}

// ref is the plain product in float64 with the epilogue's bias and ReLU:
// op(a) (m,k), op(b) (k,n), c0 (m,n) or nil.
func ref(transA, transB op.Transpose, m, n, k int, a []float32, lda int, b []float32, ldb int, c0 []float32, ldc int, bias []float32, relu bool) []float64 {
	out := make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				ai, bi := i*lda+p, p*ldb+j
				if transA == op.Trans {
					ai = p*lda + i
				}
				if transB == op.Trans {
					bi = j*ldb + p
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
			}
			if c0 != nil {
				s += float64(c0[i*ldc+j])
			}
			if bias != nil {
				s += float64(bias[j])
			}
			if relu && s < 0 {
				s = 0
			}
			out[i*n+j] = s
		}
	}
	return out
}

func fill(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = 2*rng.Float32() - 1
	}
	return s
}

// shapes are (M,K,N): 1x1, K not a multiple of the unroll (4) or of kcMax,
// M and N not multiples of any tile, tile-aligned, and training shapes.
var shapes = [][3]int{
	{1, 1, 1}, {1, 7, 13}, {7, 13, 1}, {13, 7, 65}, {9, 3, 33}, {65, 129, 33},
	{64, 64, 64}, {48, 321, 96}, {17, 641, 47}, {128, 784, 20}, {130, 400, 70}, {3, 0, 5},
}

func TestGemm(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	rng := rand.New(rand.NewPCG(1, 2))
	for _, kn := range kernels(t) {
		for _, s := range shapes {
			m, k, n := s[0], s[1], s[2]
			for _, tr := range transposes {
				for _, mode := range []string{"plain", "acc", "bias+relu", "bias", "relu+acc"} {
					name := fmt.Sprintf("%s/%dx%dx%d/tA=%v/tB=%v/%s", kn.Name, m, k, n, tr[0], tr[1], mode)
					ar, ac := tr[0].Dims(m, k)
					br, bc := tr[1].Dims(k, n)
					lda, ldb, ldc := ac+1, bc+2, n+3 // padded strides
					a, b := fill(rng, max(ar*lda, 1)), fill(rng, max(br*ldb, 1))
					c := fill(rng, m*ldc)
					c0 := append([]float32(nil), c...)
					ep := &Epilogue{}
					if mode == "plain" || mode == "bias" { // RowSums makes every panel packed
						ep.RowSums = make([]float32, m)
					}
					switch mode {
					case "acc":
						ep.Accumulate = true
					case "bias+relu":
						ep.Bias, ep.ReLU = fill(rng, n), true
					case "bias":
						ep.Bias = fill(rng, n)
					case "relu+acc":
						ep.ReLU, ep.Accumulate = true, true
					}
					tiles := make([]int, m*n)
					ep.Tile = func(ct []float32, ld, i0, j0, rows, cols int) {
						for i := range rows {
							for j := range cols {
								tiles[(i0+i)*n+j0+j]++
								ct[i*ld+j] *= 2
							}
						}
					}
					kn.Gemm(tr[0], tr[1], m, n, k, a, lda, b, ldb, c, ldc, ep)
					var acc []float32
					if ep.Accumulate {
						acc = c0
					}
					want := ref(tr[0], tr[1], m, n, k, a, lda, b, ldb, acc, ldc, ep.Bias, ep.ReLU)
					tol := 1e-6 * float64(k+1)
					for i := range m {
						for j := range n {
							got, w := float64(c[i*ldc+j]), 2*want[i*n+j]
							if math.Abs(got-w) > tol+tol*10*math.Abs(w) {
								t.Fatalf("%s: c[%d,%d] = %v, want %v", name, i, j, got, w)
							}
							if tiles[i*n+j] != 1 {
								t.Fatalf("%s: Tile saw (%d,%d) %d times", name, i, j, tiles[i*n+j])
							}
						}
						for j := n; j < ldc; j++ { // padding untouched
							if c[i*ldc+j] != c0[i*ldc+j] {
								t.Fatalf("%s: wrote c[%d,%d] in the padding", name, i, j)
							}
						}
						if ep.RowSums == nil {
							continue
						}
						var s float64
						for p := range k {
							if tr[0] == op.Trans {
								s += float64(a[p*lda+i])
							} else {
								s += float64(a[i*lda+p])
							}
						}
						if math.Abs(float64(ep.RowSums[i])-s) > 1e-6*(1+math.Abs(s)) {
							t.Fatalf("%s: RowSums[%d] = %v, want %v", name, i, ep.RowSums[i], s)
						}
					}
				}
			}
		}
	}
}

// TestGemmSerialParallel: the split over workers changes nothing, bit for
// bit (each tile's sum runs in one order whoever computes it).
func TestGemmSerialParallel(t *testing.T) {
	defer pool.SetPolicy(pool.SetPolicy(pool.Parallel)) // split whatever the grain
	rng := rand.New(rand.NewPCG(3, 4))
	m, k, n := 130, 700, 90
	a, b := fill(rng, m*k), fill(rng, k*n)
	for _, kn := range kernels(t) {
		c1, c2 := make([]float32, m*n), make([]float32, m*n)
		prev := runtime.GOMAXPROCS(1)
		kn.Gemm(op.NoTrans, op.NoTrans, m, n, k, a, k, b, n, c1, n, nil)
		runtime.GOMAXPROCS(4)
		kn.Gemm(op.NoTrans, op.NoTrans, m, n, k, a, k, b, n, c2, n, nil)
		runtime.GOMAXPROCS(prev)
		for i := range c1 {
			if c1[i] != c2[i] {
				t.Fatalf("%s: element %d: %v serial, %v parallel", kn.Name, i, c1[i], c2[i])
			}
		}
	}
}

func TestLookup(t *testing.T) {
	if _, err := Lookup("nosuch"); err == nil {
		t.Error("Lookup(nosuch) succeeded")
	}
	if k, err := Lookup("generic"); err != nil || k != generic {
		t.Errorf("Lookup(generic) = %v, %v", k, err)
	}
}

// TestPick: a kernel with a narrow one hands it the products whose columns
// the narrow tile pads less (n <= 16, 33..48 for 8×32 and 16×16), up to
// narrowMax columns, and keeps the rest.
func TestPick(t *testing.T) {
	kn, err := Lookup("avx512")
	if err != nil {
		t.Skip(err)
	}
	for n, narrow := range map[int]bool{1: true, 16: true, 17: false, 20: false, 32: false, 33: true, 40: true, 48: true, 49: false, 64: false, 80: false, 784: false} {
		if got := kn.pick(n) == kn.narrow; got != narrow {
			t.Errorf("avx512: pick(%d) is the narrow kernel: %v, want %v", n, got, narrow)
		}
	}
	if generic.pick(1) != generic {
		t.Error("generic.pick(1) is not generic")
	}
}
