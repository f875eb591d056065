package cpu

import (
	"fmt"

	"github.com/wgml/wgml/internal/pool"
	"github.com/wgml/wgml/internal/vec"
	"github.com/wgml/wgml/nn"
)

// Gather computes dst[i,:] = scale·data[index[start+i],:] from a float32
// (UploadFloats or Alloc) or byte (UploadBytes) dataset.
// data is (R,N), index is a vector of at least start+B rows, dst is (B,N).
func (be *Backend) Gather(dst, data, index nn.Tensor, start int, scale float32) {
	b, n := dst.Rows(), data.Cols()
	d := mat("Gather", "dst", dst, b, n)
	src := tensor("Gather", "data", data)
	idx := tensor("Gather", "index", index).i32
	if idx == nil {
		panic("cpu: Gather: index is not an index tensor")
	}
	if start < 0 || start+b > len(idx) {
		panic(fmt.Sprintf("cpu: Gather: rows %d..%d are outside the %d indices", start, start+b, len(idx)))
	}
	for i := range b {
		if row := int(idx[start+i]); row < 0 || row >= src.rows {
			panic(fmt.Sprintf("cpu: Gather: index[%d] = %d is outside data's %d rows", start+i, row, src.rows))
		}
	}
	if src.u8 == nil && src.f32 == nil {
		panic("cpu: Gather: data is an index tensor")
	}
	impl := be.vecImpl()
	parallelFor(b, max(1, pool.GrainStream/max(n, 1)), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := int(idx[start+i])
			out := d[i*n : (i+1)*n]
			if src.u8 != nil {
				vec.ScaleBytes(impl, out, src.u8[row*n:(row+1)*n], scale)
			} else {
				for j, v := range src.f32[row*n : (row+1)*n] {
					out[j] = scale * v
				}
			}
		}
	})
}
