package nn

import "fmt"

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

// Permutation returns a pseudo-random permutation of 0..n-1 for one epoch:
// a Fisher–Yates shuffle where swap i (from n-1 down to 1) takes
// j = RandomBits(seed, 1<<62 | epoch, i)[0] mod (i+1). It depends only on
// (n, seed, epoch), so a resumed run sees the same data order.
func Permutation(n int, seed uint64, epoch int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	for i := n - 1; i > 0; i-- {
		j := RandomBits(seed, 1<<62|uint64(epoch), uint32(i))[0] % uint32(i+1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// identity returns 0..n-1.
func identity(n int) []int32 {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}
