// Package op holds the typed modes of wgml's matrix operations, as gonum's
// blas package holds BLAS's (blas.Transpose): Transpose says whether an
// operand enters a product as stored or transposed, Write whether an
// operation overwrites its output or adds into it.
//
// It is its own small package so that nn's Backend interface, the kernels
// below it (internal/gemm) and the WGSL variants (shaders) share one type
// each without nn importing a kernel package. Packages that import nn
// spell the modes nn.Trans, nn.Accumulate, ... (aliases of these); the
// packages below nn spell them op.Trans, op.Accumulate.
package op

import "fmt"

// Transpose says how a matrix x enters a product: op(x) = x (NoTrans) or
// op(x) = xᵀ (Trans), read in place either way. The zero value is NoTrans.
type Transpose uint8

const (
	NoTrans Transpose = iota // op(x) = x
	Trans                    // op(x) = xᵀ
)

// String is the mode's name, "NoTrans" or "Trans".
func (t Transpose) String() string {
	switch t {
	case NoTrans:
		return "NoTrans"
	case Trans:
		return "Trans"
	}
	return fmt.Sprintf("Transpose(%d)", uint8(t))
}

// Dims returns the shape of op(x) for x of shape (rows, cols): (rows, cols)
// for NoTrans, (cols, rows) for Trans. The swap being its own inverse, it
// is also the shape x is stored with for an op(x) of shape (rows, cols).
// It panics on a value that is neither (a programming error).
func (t Transpose) Dims(rows, cols int) (int, int) {
	switch t {
	case NoTrans:
		return rows, cols
	case Trans:
		return cols, rows
	}
	panic("op: invalid " + t.String())
}

// Write says how an operation stores its result r into its output c:
// c = r (Overwrite) or c += r (Accumulate). The zero value is Overwrite.
type Write uint8

const (
	Overwrite  Write = iota // c = r
	Accumulate              // c += r
)

// String is the mode's name, "Overwrite" or "Accumulate".
func (w Write) String() string {
	switch w {
	case Overwrite:
		return "Overwrite"
	case Accumulate:
		return "Accumulate"
	}
	return fmt.Sprintf("Write(%d)", uint8(w))
}
