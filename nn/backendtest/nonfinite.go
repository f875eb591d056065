package backendtest

import (
	"fmt"
	"math"
	"testing"

	"github.com/wgml/wgml/nn"
)

// nonFiniteShapes are (M,K,N) triples whose edges fall inside a tile of
// every kernel we have: K not a multiple of 4 or 16, M and N one past 64;
// and K and N multiples of 4 but not of 16 (vec4 loads, where a load one
// group past K reads the next row's first four elements).
var nonFiniteShapes = [][3]int{{65, 17, 66}, {7, 13, 5}, {2, 3, 1}, {65, 20, 68}}

// placed holds a tensor that is a view into a larger buffer filled with
// pad: ViewAlign elements of pad before the view and at least as many after,
// so a kernel that reads or writes past the tensor's edge meets them.
type placed struct {
	parent, view nn.Tensor
	padded       []float32 // what parent held before the operation
	off          int
}

// place allocates a (rows, cols) view holding data inside a parent of pad.
func (f *fixture) place(rows, cols int, data []float32, pad float32) placed {
	f.t.Helper()
	n := rows * cols
	size := 2*nn.ViewAlign + (n+nn.ViewAlign-1)/nn.ViewAlign*nn.ViewAlign
	all := make([]float32, size)
	for i := range all {
		all[i] = pad
	}
	copy(all[nn.ViewAlign:], data)
	p := placed{parent: f.tensor(1, size, all), padded: all, off: nn.ViewAlign}
	p.view = f.b.View(p.parent, p.off, rows, cols)
	return p
}

// checkPads reports an error unless the parent still holds its padding
// and, if inside, the view's data too (an input the operation must only
// read).
func (f *fixture) checkPads(name string, p placed, inside bool) {
	f.t.Helper()
	got := f.read(p.parent)
	n := nn.Len(p.view)
	for i, v := range got {
		if in := i >= p.off && i < p.off+n; in && !inside {
			continue
		}
		if w := p.padded[i]; !same(v, w) {
			f.t.Errorf("%s: element %d of the surrounding buffer is %v, was %v", name, i-p.off, v, w)
			return
		}
	}
}

// same reports whether a and b are equal or both NaN.
func same(a, b float32) bool { return a == b || a != a && b != b }

// spoil puts non-finite values into a stored (rows, cols) matrix at the
// first element of its second and last rows, the elements a kernel reads
// when it runs one past the end of the row before, and at its last
// element, what a read past the whole tensor returns where the device
// clamps out-of-bounds reads to the binding (WebGPU's robust access may). It
// returns data.
func spoil(data []float32, rows, cols int, v float32) []float32 {
	if rows > 1 {
		data[cols] = v
		data[(rows-1)*cols] = v
	}
	data[len(data)-1] = v
	return data
}

// checkNonFinite reports an error unless got matches want element by
// element: NaN where want is NaN, the same infinity where it is infinite,
// and within atol + rtol·|want| where it is finite (a NaN or infinity that
// leaked into a finite result fails).
func checkNonFinite(t *testing.T, name string, got []float32, want []float64, atol, rtol float64) {
	t.Helper()
	var bad int
	var first string
	var nonFinite int
	for i, w := range want {
		g := float64(got[i])
		var ok bool
		switch {
		case math.IsNaN(w):
			ok = math.IsNaN(g)
			nonFinite++
		case math.IsInf(w, 0):
			ok = g == w
			nonFinite++
		default:
			ok = math.Abs(g-w) <= atol+rtol*math.Abs(w)
		}
		if !ok {
			if bad++; bad <= 5 {
				first += fmt.Sprintf("\n\t[%d] got %g, want %g", i, got[i], w)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d elements differ (%d non-finite expected); first:%s", name, bad, len(want), nonFinite, first)
	}
}

// testMatMulNonFinite checks that NaN and infinities stay where IEEE
// arithmetic puts them: a NaN in op(a)'s row i spoils row i of c, an
// infinity in op(b)'s column j column j, and nothing else, while NaN
// beyond every tensor's edge (in the buffer around it) reaches no result
// and c's surroundings are not written.
func testMatMulNonFinite(t *testing.T, b nn.Backend) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, s := range nonFiniteShapes {
		m, k, n := s[0], s[1], s[2]
		for _, tr := range transposes {
			for _, mode := range writes {
				t.Run(fmt.Sprintf("%dx%dx%d/transA=%v/transB=%v/%v", m, k, n, tr[0], tr[1], mode), func(t *testing.T) {
					f := newFixture(t, b)
					ar, ac := tr[0].Dims(m, k)
					br, bc := tr[1].Dims(k, n)
					ad := spoil(f.uniform(m*k, -1, 1), ar, ac, nan)
					bd := spoil(f.uniform(k*n, -1, 1), br, bc, inf)
					bd[len(bd)-1] = -inf
					a, bt := f.place(ar, ac, ad, nan), f.place(br, bc, bd, nan)
					c0 := f.uniform(m*n, -3, 3)
					c := f.place(m, n, c0, nan)
					b.MatMul(c.view, a.view, bt.view, tr[0], tr[1], mode)
					if mode == nn.Overwrite {
						c0 = nil
					}
					atol, rtol := matMulTol(k)
					checkNonFinite(t, "c", f.read(c.view), matMulRef(ad, bd, c0, m, k, n, tr[0], tr[1]), atol, rtol)
					f.checkPads("a", a, true)
					f.checkPads("b", bt, true)
					f.checkPads("c", c, false)
				})
			}
		}
	}
}

// testLinearNonFinite is testMatMulNonFinite for the fused Linear kernel
// (identity activation: activations of NaN differ between backends), with
// NaN around the bias too.
func testLinearNonFinite(t *testing.T, b nn.Backend) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, s := range nonFiniteShapes {
		batch, in, out := s[0], s[1], s[2]
		t.Run(fmt.Sprintf("%dx%dx%d", batch, in, out), func(t *testing.T) {
			f := newFixture(t, b)
			xd := spoil(f.uniform(batch*in, -1, 1), batch, in, nan)
			wd := spoil(f.uniform(out*in, -1, 1), out, in, inf)
			bd := f.uniform(out, -1, 1)
			x, w, bias := f.place(batch, in, xd, nan), f.place(out, in, wd, nan), f.place(1, out, bd, nan)
			y := f.place(batch, out, f.uniform(batch*out, -3, 3), nan)
			b.Linear(y.view, x.view, w.view, bias.view, nn.Identity)
			c0 := make([]float32, batch*out)
			for i := range batch {
				copy(c0[i*out:], bd)
			}
			atol, rtol := matMulTol(in)
			checkNonFinite(t, "y", f.read(y.view), matMulRef(xd, wd, c0, batch, in, out, nn.NoTrans, nn.Trans), atol, rtol)
			for _, p := range []struct {
				name string
				p    placed
			}{{"x", x}, {"w", w}, {"bias", bias}} {
				f.checkPads(p.name, p.p, true)
			}
			f.checkPads("y", y, false)
		})
	}
}
