package backendtest

import (
	"fmt"
	"testing"

	"github.com/wgml/wgml/nn"
)

// matMulShapes are (M,K,N) triples: degenerate, odd, tile-aligned, long and
// thin, mixed row lengths (12x7x20: some operands' rows a multiple of 4,
// some not, whichever transposes), and a training layer's 128x784x400.
var matMulShapes = [][3]int{
	{1, 1, 1}, {1, 7, 13}, {7, 13, 1}, {13, 7, 65},
	{65, 129, 33}, {64, 64, 64}, {257, 130, 3}, {3, 257, 130},
	{12, 7, 20}, {128, 784, 400},
}

// RunMatMul runs the subtests of the matrix-product family only: MatMul,
// Linear, LinearGrads and LinearInputGrad, as Run does. Backends with
// several product kernels run it once per kernel they can force.
func RunMatMul(t *testing.T, newBackend func(t *testing.T) nn.Backend) {
	for name, test := range map[string]func(*testing.T, nn.Backend){
		"MatMul": testMatMul, "Linear": testLinear,
		"LinearGrads": testLinearGrads, "LinearInputGrad": testLinearInputGrad,
	} {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t)
			t.Cleanup(b.Release)
			test(t, b)
		})
	}
}

// matMulRef returns c0 + op(a)·op(b) in float64 (c0 may be nil, meaning 0).
// op(a) is (m,k), op(b) is (k,n), c0 and the result are (m,n).
func matMulRef(a, b, c0 []float32, m, k, n int, transA, transB nn.Transpose) []float64 {
	c := make([]float64, m*n)
	for i := range m {
		for j := range n {
			var sum float64
			if c0 != nil {
				sum = float64(c0[i*n+j])
			}
			for p := range k {
				av, bv := a[i*k+p], b[p*n+j]
				if transA == nn.Trans {
					av = a[p*m+i]
				}
				if transB == nn.Trans {
					bv = b[j*k+p]
				}
				sum += float64(av) * float64(bv)
			}
			c[i*n+j] = sum
		}
	}
	return c
}

// transposes are the four (transA, transB) pairs of a product.
var transposes = [][2]nn.Transpose{{nn.NoTrans, nn.NoTrans}, {nn.NoTrans, nn.Trans}, {nn.Trans, nn.NoTrans}, {nn.Trans, nn.Trans}}

// writes are both write modes.
var writes = []nn.Write{nn.Overwrite, nn.Accumulate}

// matMulTol is the tolerance of a float32 dot product of length k of
// values in [-1, 1].
func matMulTol(k int) (atol, rtol float64) { return 1e-6 * float64(k), 1e-5 * float64(k) }

func testMatMul(t *testing.T, b nn.Backend) {
	for _, s := range matMulShapes {
		m, k, n := s[0], s[1], s[2]
		for _, tr := range transposes {
			for _, mode := range writes {
				name := fmt.Sprintf("%dx%dx%d/transA=%v/transB=%v/%v", m, k, n, tr[0], tr[1], mode)
				t.Run(name, func(t *testing.T) {
					f := newFixture(t, b)
					ar, ac := tr[0].Dims(m, k)
					br, bc := tr[1].Dims(k, n)
					ad, bd := f.uniform(m*k, -1, 1), f.uniform(k*n, -1, 1)
					a, bt := f.input("a", ar, ac, ad), f.input("b", br, bc, bd)
					c, c0 := f.output(m, n)
					b.MatMul(c, a, bt, tr[0], tr[1], mode)
					if mode == nn.Overwrite {
						c0 = nil
					}
					atol, rtol := matMulTol(k)
					checkClose(t, "c", f.read(c), f32(matMulRef(ad, bd, c0, m, k, n, tr[0], tr[1])), atol, rtol)
					f.check()
				})
			}
		}
	}
}

func testLinear(t *testing.T, b nn.Backend) {
	for _, s := range [][3]int{{1, 1, 1}, {7, 13, 5}, {65, 129, 33}, {257, 130, 3}} {
		batch, in, out := s[0], s[1], s[2]
		for _, act := range activations {
			t.Run(fmt.Sprintf("%dx%dx%d/%v", batch, in, out, act), func(t *testing.T) {
				f := newFixture(t, b)
				xd, wd, bd := f.uniform(batch*in, -1, 1), f.uniform(out*in, -1, 1), f.uniform(out, -1, 1)
				x, w, bias := f.input("x", batch, in, xd), f.input("w", out, in, wd), f.input("bias", 1, out, bd)
				y, _ := f.output(batch, out)
				b.Linear(y, x, w, bias, act)
				c0 := make([]float32, batch*out)
				for i := range batch {
					copy(c0[i*out:], bd)
				}
				want := matMulRef(xd, wd, c0, batch, in, out, nn.NoTrans, nn.Trans)
				for i, v := range want {
					want[i] = actRef(act, v)
				}
				atol, rtol := matMulTol(in)
				checkClose(t, "y", f.read(y), f32(want), atol, rtol)
				f.check()
			})
		}
	}
}

// shapes are the (rows, cols) of elementwise and reduction tests.
var shapes = [][2]int{{1, 1}, {7, 13}, {65, 129}, {257, 130}}

func testSumRows(t *testing.T, b nn.Backend) {
	for _, s := range shapes {
		r, n := s[0], s[1]
		for _, mode := range writes {
			t.Run(fmt.Sprintf("%dx%d/%v", r, n, mode), func(t *testing.T) {
				f := newFixture(t, b)
				sd := f.uniform(r*n, -1, 1)
				src := f.input("src", r, n, sd)
				dst, d0 := f.output(1, n)
				b.SumRows(dst, src, mode)
				want := make([]float64, n)
				for j := range n {
					if mode == nn.Accumulate {
						want[j] = float64(d0[j])
					}
					for i := range r {
						want[j] += float64(sd[i*n+j])
					}
				}
				checkClose(t, "dst", f.read(dst), f32(want), 1e-6*float64(r), 1e-5)
				f.check()
			})
		}
	}
}
