package nn

import (
	"fmt"

	"github.com/wgml/wgml/internal/philox"
)

// Source is a dataset in host memory: Rows rows of Cols values, either bytes
// (pixels, read as byte/255) or float32s. Exactly one of Bytes and Floats is set.
type Source struct {
	Rows, Cols int
	Bytes      []uint8
	Floats     []float32
}

// resident is a Source uploaded once to a backend; batches are gathered from
// it on the device.
type resident struct {
	t     Tensor
	rows  int
	scale float32 // 1/255 for bytes, 1 for floats
}

// uploadSource copies src to b once.
func uploadSource(b Backend, src Source) (*resident, error) {
	switch {
	case src.Bytes != nil:
		if len(src.Bytes) != src.Rows*src.Cols {
			return nil, fmt.Errorf("dataset: %d bytes, want %d rows × %d cols", len(src.Bytes), src.Rows, src.Cols)
		}
		t, err := b.UploadBytes(src.Rows, src.Cols, src.Bytes)
		if err != nil {
			return nil, fmt.Errorf("uploading %d×%d dataset: %w", src.Rows, src.Cols, err)
		}
		return &resident{t: t, rows: src.Rows, scale: 1.0 / 255}, nil
	case src.Floats != nil:
		if len(src.Floats) != src.Rows*src.Cols {
			return nil, fmt.Errorf("dataset: %d values, want %d rows × %d cols", len(src.Floats), src.Rows, src.Cols)
		}
		t, err := b.Alloc(src.Rows, src.Cols)
		if err != nil {
			return nil, fmt.Errorf("uploading %d×%d dataset: %w", src.Rows, src.Cols, err)
		}
		b.Upload(t, src.Floats)
		return &resident{t: t, rows: src.Rows, scale: 1}, nil
	}
	return nil, fmt.Errorf("dataset is empty")
}

// Permutation returns the order in which epoch visits n rows:
// philox.Shuffle(n, seed, philox.PermutationStream+epoch). It depends only on
// (n, seed, epoch), so a resumed run sees the same data order on every machine.
func Permutation(n int, seed uint64, epoch int) []int32 {
	return philox.Shuffle(n, seed, philox.PermutationStream+uint64(epoch))
}

// identity returns 0..n-1.
func identity(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}
