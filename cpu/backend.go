// Package cpu is wgml's reference backend: every nn.Backend operation as one
// plain Go function over row-major float32 slices, with matrix products on
// internal/gemm's kernels (WGML_CPU_KERNEL=avx512|avx2|generic|blas32 forces
// one; see Kernels). It is what every GPU kernel is tested against and the
// fallback where no GPU exists.
//
// Importing the package registers it with nn as "cpu".
package cpu

import (
	"fmt"
	"slices"

	"github.com/wgml/wgml/internal/gemm"
	"github.com/wgml/wgml/nn"
)

func init() {
	nn.Register("cpu", func() (nn.Backend, error) {
		b, err := fromEnv()
		if err != nil {
			return nil, err
		}
		return b, nil
	})
}

// Tensor is a (rows, cols) row-major matrix in host memory. Exactly one of
// its slices is set: f32 for tensors from Alloc and View, u8 for datasets
// from UploadBytes, i32 for index vectors from AllocIndex.
type Tensor struct {
	rows, cols int
	f32        []float32
	u8         []uint8
	i32        []int32
}

// Rows is the number of rows of t.
func (t *Tensor) Rows() int { return t.rows }

// Cols is the number of columns of t.
func (t *Tensor) Cols() int { return t.cols }

// Backend implements nn.Backend on the CPU. Operations run synchronously,
// so Sync has nothing to wait for. The zero value is ready to use and runs
// its products on blas32.
type Backend struct {
	kern   *gemm.Kernel // nil: blas32
	envErr error        // why WGML_CPU_KERNEL was ignored, for Device
}

// New returns a CPU backend on the kernel WGML_CPU_KERNEL names, or the
// best this CPU runs; a value naming no kernel it runs is ignored, and
// Device says so (nn.Open("cpu") returns it as an error instead).
func New() *Backend {
	b, err := fromEnv()
	b.envErr = err
	return b
}

// Name returns "cpu".
func (*Backend) Name() string { return "cpu" }

// Alloc returns a zero-filled float32 tensor of shape (rows, cols).
func (*Backend) Alloc(rows, cols int) (nn.Tensor, error) {
	if rows < 0 || cols < 0 {
		return nil, fmt.Errorf("cpu: Alloc(%d, %d): negative shape", rows, cols)
	}
	return &Tensor{rows: rows, cols: cols, f32: make([]float32, rows*cols)}, nil
}

// View returns a (rows, cols) tensor sharing t's memory from element offset on.
func (*Backend) View(t nn.Tensor, offset, rows, cols int) nn.Tensor {
	p := tensor("View", "t", t)
	if p.f32 == nil {
		panic("cpu: View: t is not a float32 tensor")
	}
	end := offset + rows*cols
	if offset%nn.ViewAlign != 0 || offset < 0 || rows < 0 || cols < 0 || end > len(p.f32) {
		panic(fmt.Sprintf("cpu: View: offset %d shape (%d,%d) does not fit in %d elements at alignment %d",
			offset, rows, cols, len(p.f32), nn.ViewAlign))
	}
	return &Tensor{rows: rows, cols: cols, f32: p.f32[offset:end:end]}
}

// Upload copies src into dst.
func (*Backend) Upload(dst nn.Tensor, src []float32) {
	d := mat("Upload", "dst", dst, dst.Rows(), dst.Cols())
	if len(src) != len(d) {
		panic(fmt.Sprintf("cpu: Upload: len(src) = %d, want %d", len(src), len(d)))
	}
	copy(d, src)
}

// Read copies t into dst.
func (*Backend) Read(t nn.Tensor, dst []float32) error {
	p := tensor("Read", "t", t)
	if p.f32 == nil {
		return fmt.Errorf("cpu: Read: t is not a float32 tensor")
	}
	if len(dst) != len(p.f32) {
		return fmt.Errorf("cpu: Read: len(dst) = %d, want %d", len(dst), len(p.f32))
	}
	copy(dst, p.f32)
	return nil
}

// UploadBytes returns a (rows, cols) byte dataset holding a copy of src.
func (b *Backend) UploadBytes(rows, cols int, src []uint8) (nn.Tensor, error) {
	if err := checkData("UploadBytes", rows, cols, len(src)); err != nil {
		return nil, err
	}
	return b.AdoptBytes(rows, cols, slices.Clone(src))
}

// UploadFloats returns a (rows, cols) float32 dataset holding a copy of src.
func (b *Backend) UploadFloats(rows, cols int, src []float32) (nn.Tensor, error) {
	if err := checkData("UploadFloats", rows, cols, len(src)); err != nil {
		return nil, err
	}
	return b.AdoptFloats(rows, cols, slices.Clone(src))
}

// AdoptFloats returns a (rows, cols) float32 dataset holding src itself,
// not a copy (nn.HostAdopter): the caller has given src up (nn.Given) and
// does not write it again; Gather only reads it.
func (*Backend) AdoptFloats(rows, cols int, src []float32) (nn.Tensor, error) {
	if err := checkData("AdoptFloats", rows, cols, len(src)); err != nil {
		return nil, err
	}
	return &Tensor{rows: rows, cols: cols, f32: src[:len(src):len(src)]}, nil
}

// AdoptBytes is AdoptFloats for a byte dataset.
func (*Backend) AdoptBytes(rows, cols int, src []uint8) (nn.Tensor, error) {
	if err := checkData("AdoptBytes", rows, cols, len(src)); err != nil {
		return nil, err
	}
	return &Tensor{rows: rows, cols: cols, u8: src[:len(src):len(src)]}, nil
}

// checkData returns an error unless n values make a (rows, cols) dataset.
func checkData(op string, rows, cols, n int) error {
	if rows < 0 || cols < 0 || n != rows*cols {
		return fmt.Errorf("cpu: %s(%d, %d): len(src) = %d, want %d", op, rows, cols, n, rows*cols)
	}
	return nil
}

// AllocIndex returns a zero-filled (1, n) vector of int32 row indices.
func (*Backend) AllocIndex(n int) (nn.Tensor, error) {
	if n < 0 {
		return nil, fmt.Errorf("cpu: AllocIndex(%d): negative length", n)
	}
	return &Tensor{rows: 1, cols: n, i32: make([]int32, n)}, nil
}

// UploadIndex copies idx into the index vector dst.
func (*Backend) UploadIndex(dst nn.Tensor, idx []int32) {
	d := tensor("UploadIndex", "dst", dst)
	if d.i32 == nil {
		panic("cpu: UploadIndex: dst is not an index tensor")
	}
	if len(idx) != len(d.i32) {
		panic(fmt.Sprintf("cpu: UploadIndex: len(idx) = %d, want %d", len(idx), len(d.i32)))
	}
	copy(d.i32, idx)
}

// Flush does nothing: cpu operations run when they are called.
func (*Backend) Flush() {}

// Sync returns at once: cpu operations finish before they return.
func (*Backend) Sync() error { return nil }

// Release does nothing: the garbage collector frees host tensors.
func (*Backend) Release() {}

// Copy copies src into dst; both are (R,N).
func (*Backend) Copy(dst, src nn.Tensor) {
	s := mat("Copy", "src", src, src.Rows(), src.Cols())
	copy(mat("Copy", "dst", dst, src.Rows(), src.Cols()), s)
}

// tensor returns t as this package's Tensor, panicking if another backend
// made it.
func tensor(op, name string, t nn.Tensor) *Tensor {
	p, ok := t.(*Tensor)
	if !ok {
		panic(fmt.Sprintf("cpu: %s: %s is a %T, not a cpu tensor", op, name, t))
	}
	return p
}

// mat returns the storage of the float32 tensor t, panicking unless its
// shape is (rows, cols).
func mat(op, name string, t nn.Tensor, rows, cols int) []float32 {
	p := tensor(op, name, t)
	if p.f32 == nil {
		panic(fmt.Sprintf("cpu: %s: %s is not a float32 tensor", op, name))
	}
	if p.rows != rows || p.cols != cols {
		panic(fmt.Sprintf("cpu: %s: %s is (%d,%d), want (%d,%d)", op, name, p.rows, p.cols, rows, cols))
	}
	return p.f32
}
