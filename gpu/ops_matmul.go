package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// MatMul computes c = op(a)·op(b), or c += op(a)·op(b) with nn.Accumulate,
// where op(x) is x or xᵀ as transA and transB say: transposes are read in
// place. op(a) is (M,K), op(b) is (K,N), c is (M,N).
func (b *Backend) MatMul(c, a, bm nn.Tensor, transA, transB nn.Transpose, mode nn.Write) {
	m, k := transA.Dims(a.Rows(), a.Cols())
	kb, n := transB.Dims(bm.Rows(), bm.Cols())
	if k != kb || c.Rows() != m || c.Cols() != n {
		panic(fmt.Sprintf("gpu: MatMul: op(a) is (%d,%d), op(b) (%d,%d), c (%d,%d)", m, k, kb, n, c.Rows(), c.Cols()))
	}
	v := shaders.Variant{TransA: transA, TransB: transB, Write: mode}
	b.matmul(v, m, k, n, b.tensor(a), b.tensor(bm), nil, b.tensor(c), nil)
}

// Linear computes y = act(x·wᵀ + bias) in one kernel: the product with w
// read transposed, bias and activation applied as its epilogue.
// x is (B,In), w is (Out,In), bias is (1,Out), y is (B,Out).
func (b *Backend) Linear(y, x, w, bias nn.Tensor, act nn.Activation) {
	batch, in, out := x.Rows(), x.Cols(), w.Rows()
	if w.Cols() != in || nn.Len(bias) != out || y.Rows() != batch || y.Cols() != out {
		panic(fmt.Sprintf("gpu: Linear: x (%d,%d), w (%d,%d), bias (%d,%d), y (%d,%d)",
			batch, in, w.Rows(), w.Cols(), bias.Rows(), bias.Cols(), y.Rows(), y.Cols()))
	}
	v := shaders.Variant{TransB: nn.Trans, HasBias: true, Act: uint32(act)}
	b.matmul(v, batch, in, out, b.tensor(x), b.tensor(w), b.tensor(bias), b.tensor(y), nil)
}

// LinearGrads computes dw = dzᵀ·x and db = Σ_rows dz, both overwritten, in
// one kernel: the workgroups of the first column block of dw also sum the
// rows of the dz slices they stage.
// dz is (B,Out), x is (B,In), dw is (Out,In), db is (1,Out).
func (b *Backend) LinearGrads(dw, db, dz, x nn.Tensor) {
	batch, out, in := dz.Rows(), dz.Cols(), x.Cols()
	if x.Rows() != batch || dw.Rows() != out || dw.Cols() != in || nn.Len(db) != out {
		panic(fmt.Sprintf("gpu: LinearGrads: dz (%d,%d), x (%d,%d), dw (%d,%d), db (%d,%d)",
			batch, out, x.Rows(), in, dw.Rows(), dw.Cols(), db.Rows(), db.Cols()))
	}
	v := shaders.Variant{TransA: nn.Trans, MM: shaders.MatMul{RowSum: true}}
	b.matmul(v, out, batch, in, b.tensor(dz), b.tensor(x), nil, b.tensor(dw), b.tensor(db))
}

// LinearInputGrad computes dx = (dz·w) ⊙ act'(y) in one kernel, the
// derivative (from the output y) applied in the product's epilogue; y is
// not read for nn.Identity.
// dz is (B,Out), w is (Out,In), y is (B,In), dx is (B,In).
func (b *Backend) LinearInputGrad(dx, dz, w, y nn.Tensor, act nn.Activation) {
	batch, out, in := dz.Rows(), dz.Cols(), w.Cols()
	if w.Rows() != out || dx.Rows() != batch || dx.Cols() != in ||
		(act != nn.Identity && (y == nil || y.Rows() != batch || y.Cols() != in)) {
		panic(fmt.Sprintf("gpu: LinearInputGrad: dz (%d,%d), w (%d,%d), dx (%d,%d), y %v for %v",
			batch, out, w.Rows(), in, dx.Rows(), dx.Cols(), y, act))
	}
	v := shaders.Variant{}
	var aux *Tensor
	if act != nn.Identity {
		v.Act, v.MM.Deriv, aux = uint32(act), true, b.tensor(y)
	}
	b.matmul(v, batch, out, in, b.tensor(dz), b.tensor(w), aux, b.tensor(dx), nil)
}

// matmul records the product of variant v (its flags and fused extras set;
// its blocking chosen here by shape, tuning or WGML_MATMUL) for an
// (m,k)·(k,n) product: one dispatch, or two for a split K. Inputs are bound
// read-only (run takes the Shared variant where one shares a buffer with
// an output).
func (b *Backend) matmul(v shaders.Variant, m, k, n int, a, bm, aux, c, db *Tensor) {
	mv := b.chooseMatMul(m, k, n, v.TransA, v.TransB)
	b.recordMatMul(mv, v, m, k, n, a, bm, aux, c, db)
}

// recordMatMul records the product with the blocking mv.
func (b *Backend) recordMatMul(mv mmVariant, v shaders.Variant, m, k, n int, a, bm, aux, c, db *Tensor) {
	t := mv.tile
	v.MM.BM, v.MM.BN, v.MM.TM, v.MM.TN = t.bm, t.bn, t.tm, t.tn
	v.MM.VecA = pick(v.TransA, m, k)%4 == 0
	v.MM.VecB = pick(v.TransB, k, n)%4 == 0
	v.MM.VecC = n%4 == 0
	split := max(1, min(mv.split, ceilDiv(k, 16)))
	kc := ceilDiv(ceilDiv(k, split), 16) * 16 // K per split, whole slices
	split = max(1, ceilDiv(k, kc))
	gx, gy := ceilDiv(n, int(t.bn)), ceilDiv(m, int(t.bm))*split
	if lim := int(b.limits.MaxComputeWorkgroupsPerDimension); gx > lim || gy > lim {
		panic(fmt.Sprintf("gpu: MatMul: (%d,%d) result exceeds the adapter's grid", m, n))
	}
	st := static{uint32(m), uint32(k), uint32(n), uint32(kc)}
	if split == 1 {
		b.run(kernel{id: kMatMul, v: v}, grid{uint32(gx), uint32(gy)}, dynamic{}, st, a, bm, aux, c, db)
		return
	}
	v.MM.Split = uint8(split)
	part, rowpart := b.scratch(0, split*m*n), (*Tensor)(nil)
	if v.MM.RowSum {
		rowpart = b.scratch(1, split*m)
	}
	if part == nil || (v.MM.RowSum && rowpart == nil) {
		return // b.err is set
	}
	main := v
	main.Write, main.HasBias, main.Act, main.MM.Deriv = nn.Overwrite, false, 0, false
	b.run(kernel{id: kMatMul, v: main}, grid{uint32(gx), uint32(gy)}, dynamic{}, st, a, bm, nil, part, rowpart)
	red := v
	red.TransA, red.TransB, red.MM.VecA, red.MM.VecB, red.MM.Reduce = nn.NoTrans, nn.NoTrans, false, false, true
	outputs := m*ceilDiv(n, 4) + m
	b.run(kernel{id: kMatMulReduce, v: red}, b.groups1D(ceilDiv(outputs, 256)), dynamic{}, st, part, rowpart, aux, c, db)
}

// pick returns the length of the rows of a matrix op(x) (r,c) is stored
// with: r when it is stored transposed, c otherwise.
func pick(trans nn.Transpose, r, c int) int {
	_, ld := trans.Dims(r, c)
	return ld
}

// scratch returns a float32 tensor of n elements for split-K partial
// sums, role 0 for the product layers and 1 for the row sums. Every split
// product shares its role's buffer (their dispatches run in order); one too
// small is replaced by a larger one, and products recorded before keep the
// old. It returns nil and fails b when allocation fails.
func (b *Backend) scratch(role, n int) *Tensor {
	s := &b.mm.scratch[role]
	if *s == nil || nn.Len(*s) < n {
		t, err := b.Alloc(1, n)
		if err != nil {
			b.fail(err)
			return nil
		}
		*s = b.tensor(t)
	}
	return &Tensor{buf: (*s).buf, rows: 1, cols: n, dtype: float32s}
}

// SumRows computes dst = Σ_i src[i,:], or dst += with nn.Accumulate, as a
// fixed-order reduction (the same bits every run).
// src is (R,N), dst is (1,N).
func (b *Backend) SumRows(dst, src nn.Tensor, mode nn.Write) {
	r, n := src.Rows(), src.Cols()
	if nn.Len(dst) != n {
		panic(fmt.Sprintf("gpu: SumRows: src (%d,%d), dst (%d,%d)", r, n, dst.Rows(), dst.Cols()))
	}
	dyn, st := pack(sumRowsParams{Rows: uint32(r), Cols: uint32(n)})
	b.run(kernel{id: kSumRows, v: shaders.Variant{Write: mode}}, b.groups1D((n+15)/16), dyn, st,
		b.tensor(src), b.tensor(dst))
}
