package gpu

import (
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestGridSplit lowers the workgroups-per-dimension limit so that small
// operations take the two-dimensional grid path that large ones (over
// 65535 workgroups, e.g. 16.7M elements) take on real adapters.
func TestGridSplit(t *testing.T) {
	b := openBackend(t)
	b.limits.MaxComputeWorkgroupsPerDimension = 5
	const rows, cols = 20, 100 // 2000 elements: 8 workgroups of 256, 7 of 16 columns, 20 rows
	src := make([]float32, rows*cols)
	for i := range src {
		src[i] = float32(i%17) - 8
	}
	alloc := func(r, c int) nn.Tensor {
		x, err := b.Alloc(r, c)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	x, y, sum, loss, zero := alloc(rows, cols), alloc(rows, cols), alloc(1, cols), alloc(rows, 1), alloc(rows, cols)
	b.Upload(x, src)
	b.Copy(y, x)
	b.SumRows(sum, x, nn.Overwrite)
	b.MSE(loss, nil, x, zero, 1)
	read := func(t nn.Tensor) []float32 {
		s := make([]float32, nn.Len(t))
		if err := b.Read(t, s); err != nil {
			panic(err)
		}
		return s
	}
	for i, v := range read(y) {
		if v != src[i] {
			t.Fatalf("Copy: y[%d] = %v, want %v", i, v, src[i])
		}
	}
	for j, v := range read(sum) {
		var want float32
		for i := range rows {
			want += src[i*cols+j]
		}
		if v != want {
			t.Fatalf("SumRows: dst[%d] = %v, want %v", j, v, want)
		}
	}
	for i, v := range read(loss) {
		var want float32
		for j := range cols {
			want += src[i*cols+j] * src[i*cols+j]
		}
		if v != want {
			t.Fatalf("MSE: rowLoss[%d] = %v, want %v", i, v, want)
		}
	}
}
