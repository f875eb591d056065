package cpu

// The parallel paths: shapes large enough to split, run with several
// goroutines and with one, must agree bit for bit (each element is computed
// by one goroutine, in the serial order); matrix products, which BLAS may
// block differently, must agree with a float64 loop.

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/nn"
)

func TestParallelForCoversOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, n := range []int{0, 1, 7, 100, 1000, 4097} {
		for _, grain := range []int{0, 1, 3, 64, 5000} {
			seen := make([]int32, n)
			parallelFor(n, grain, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i]++ // ranges are disjoint: no race
				}
			})
			for i, s := range seen {
				if s != 1 {
					t.Fatalf("n %d grain %d: index %d visited %d times", n, grain, i, s)
				}
			}
		}
	}
}

// bigInputs are the tensors of one run of every parallel operation.
type bigInputs struct {
	b                     *Backend
	x, y, t, w, bias, big nn.Tensor
	data, index           nn.Tensor
}

const bigRows, bigCols = 300, 784

func newBig(t *testing.T, seed uint64) *bigInputs {
	rng := rand.New(rand.NewPCG(seed, 9))
	b := New()
	f := func(rows, cols int, lo, hi float32) nn.Tensor {
		x, err := b.Alloc(rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		v := make([]float32, rows*cols)
		for i := range v {
			v[i] = lo + (hi-lo)*rng.Float32()
		}
		b.Upload(x, v)
		return x
	}
	in := &bigInputs{b: b,
		x: f(bigRows, bigCols, -4, 4), y: f(bigRows, bigCols, -1, 1), t: f(bigRows, bigCols, 0, 1),
		w: f(400, bigCols, -1, 1), bias: f(1, 400, -1, 1), big: f(1, 200000, -1, 1)}
	px := make([]uint8, 1000*bigCols)
	for i := range px {
		px[i] = uint8(rng.Uint32())
	}
	var err error
	if in.data, err = b.UploadBytes(1000, bigCols, px); err != nil {
		t.Fatal(err)
	}
	if in.index, err = b.AllocIndex(1000); err != nil {
		t.Fatal(err)
	}
	idx := make([]int32, 1000)
	for i := range idx {
		idx[i] = int32(rng.IntN(1000))
	}
	b.UploadIndex(in.index, idx)
	return in
}

// runAll runs every parallelised operation on fresh inputs and returns
// their outputs.
func runAll(t *testing.T) [][]float32 {
	in := newBig(t, 1)
	b := in.b
	var outs [][]float32
	out := func(rows, cols int) nn.Tensor {
		x, err := b.Alloc(rows, cols)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	read := func(xs ...nn.Tensor) {
		for _, x := range xs {
			v := make([]float32, nn.Len(x))
			if err := b.Read(x, v); err != nil {
				t.Fatal(err)
			}
			outs = append(outs, v)
		}
	}
	for _, act := range []nn.Activation{nn.Identity, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid} {
		y, dx := out(bigRows, bigCols), out(bigRows, bigCols)
		b.Activate(y, in.x, act)
		b.ActivateBackward(dx, in.y, y, act)
		read(y, dx)
	}
	for _, loss := range []func(rowLoss, grad, pred, target nn.Tensor, gradScale float32){b.MSE, b.BCEWithLogits} {
		rl, g := out(bigRows, 1), out(bigRows, bigCols)
		loss(rl, g, in.x, in.t, 0.37)
		read(rl, g)
	}
	s := out(1, bigCols)
	b.SumRows(s, in.x, nn.Overwrite)
	b.SumRows(s, in.y, nn.Accumulate)
	read(s)
	g := out(300, bigCols)
	b.Gather(g, in.data, in.index, 5, 1.0/255)
	read(g)
	y := out(bigRows, 400)
	b.Linear(y, in.x, in.w, in.bias, nn.ReLU)
	read(y)
	p, m, v := out(1, 200000), out(1, 200000), out(1, 200000)
	b.Copy(p, in.big)
	for step := 1; step <= 3; step++ {
		b.Adam(p, in.big, m, v, nn.AdamParams{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, Step: step})
	}
	read(p, m, v)
	return outs
}

func TestParallelOpsMatchSerial(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	serial := runAll(t)
	runtime.GOMAXPROCS(4)
	par := runAll(t)
	for i := range serial {
		if i == len(serial)-4 { // Linear: BLAS may block the product differently
			continue
		}
		if !slices.Equal(serial[i], par[i]) {
			t.Errorf("output %d differs between 1 and 4 goroutines", i)
		}
	}
}

// TestGemmSplits checks every transpose combination of products split over
// the workers (pool.Parallel), by rows and by columns, against a float64
// loop.
func TestGemmSplits(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer pool.SetPolicy(pool.SetPolicy(pool.Parallel)) // split whatever the grain
	b := New()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][3]int{{300, 200, 70}, {70, 200, 300}, {129, 257, 130}} {
		m, k, n := sh[0], sh[1], sh[2]
		for _, tA := range []nn.Transpose{nn.NoTrans, nn.Trans} {
			for _, tB := range []nn.Transpose{nn.NoTrans, nn.Trans} {
				av, bv, cv := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
				for _, s := range [][]float32{av, bv, cv} {
					for i := range s {
						s[i] = 2*rng.Float32() - 1
					}
				}
				ar, ac := tA.Dims(m, k)
				br, bc := tB.Dims(k, n)
				at, _ := b.Alloc(ar, ac)
				bt, _ := b.Alloc(br, bc)
				ct, _ := b.Alloc(m, n)
				b.Upload(at, av)
				b.Upload(bt, bv)
				b.Upload(ct, cv)
				b.MatMul(ct, at, bt, tA, tB, nn.Accumulate)
				got := make([]float32, m*n)
				if err := b.Read(ct, got); err != nil {
					t.Fatal(err)
				}
				for i := range m {
					for j := range n {
						want := float64(cv[i*n+j])
						for l := range k {
							aij, blj := av[i*k+l], bv[l*n+j]
							if tA == nn.Trans {
								aij = av[l*m+i]
							}
							if tB == nn.Trans {
								blj = bv[j*k+l]
							}
							want += float64(aij) * float64(blj)
						}
						if d := math.Abs(float64(got[i*n+j]) - want); d > 1e-4*(1+math.Abs(want))*math.Sqrt(float64(k)) {
							t.Fatalf("%dx%dx%d transA %v transB %v: c[%d,%d] = %g, want %g", m, k, n, tA, tB, i, j, got[i*n+j], want)
						}
					}
				}
			}
		}
	}
}
