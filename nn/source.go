package nn

import (
	"fmt"

	"github.com/wgml/wgml/internal/philox"
)

// Source is a dataset in host memory: Rows rows of Cols values, either bytes
// (pixels, read as byte/255) or float32s; or, for a training set, a stream
// of them read in chunks (stream.go). Exactly one of Bytes, Floats and
// Stream is set.
type Source struct {
	Rows, Cols int
	Bytes      []uint8
	Floats     []float32
	Stream     RowReader
	// Mask (Rows×Cols) marks each value present (1) or missing (0); nil
	// when every value is present. A LossTable model leaves missing values
	// out of its loss; other models ignore the mask.
	Mask []uint8
	// Own says whether uploading copies Bytes, Floats and Mask (Lent, the
	// zero value) or may keep them as the backend's data set (Given).
	Own Ownership
}

// Ownership says who owns a Source's slices once it is uploaded.
type Ownership int

const (
	// Lent: the caller keeps the slices and may change them later; the
	// backend uploads a copy.
	Lent Ownership = iota
	// Given: the caller hands the slices over with the upload and never
	// writes them again (reading stays safe: the backend only reads its
	// data sets). A backend whose data sets live in host memory keeps them
	// as they are (HostAdopter); any other copies them as for Lent.
	Given
)

// HostAdopter is a Backend whose resident data sets are host slices: it
// takes a Given Source's slices as its data set tensors instead of
// copying them. The tensors behave as UploadFloats' and UploadBytes' do.
type HostAdopter interface {
	// AdoptFloats returns a (rows, cols) float32 data set holding src
	// itself (len rows·cols).
	AdoptFloats(rows, cols int, src []float32) (Tensor, error)
	// AdoptBytes returns a (rows, cols) byte data set holding src itself.
	AdoptBytes(rows, cols int, src []uint8) (Tensor, error)
}

// resident is a Source uploaded once to a backend; batches are gathered from
// it on the device.
type resident struct {
	t     Tensor
	mask  Tensor // the Source's Mask as bytes, nil without one; gathered at scale 1
	rows  int
	scale float32 // 1/255 for bytes, 1 for floats
}

// bytesScale maps a pixel byte to [0,1].
const bytesScale float32 = 1.0 / 255

// check reports whether src holds exactly one of Bytes and Floats, of
// Rows×Cols values.
func (src Source) check() error {
	switch {
	case src.Bytes != nil && len(src.Bytes) != src.Rows*src.Cols:
		return fmt.Errorf("dataset: %d bytes, want %d rows × %d cols", len(src.Bytes), src.Rows, src.Cols)
	case src.Floats != nil && len(src.Floats) != src.Rows*src.Cols:
		return fmt.Errorf("dataset: %d values, want %d rows × %d cols", len(src.Floats), src.Rows, src.Cols)
	case src.Bytes == nil && src.Floats == nil && src.Stream == nil:
		return fmt.Errorf("dataset is empty")
	case src.Stream != nil && (src.Bytes != nil || src.Floats != nil || src.Mask != nil):
		return fmt.Errorf("dataset: a stream holds no rows in memory and no mask")
	case src.Mask != nil && len(src.Mask) != src.Rows*src.Cols:
		return fmt.Errorf("dataset: mask of %d values, want %d rows × %d cols", len(src.Mask), src.Rows, src.Cols)
	}
	return nil
}

// uploadSource uploads src to b once: its values and, for a LossTable
// model m, its mask (see Source.Own).
func uploadSource(b Backend, m *Model, src Source) (*resident, error) {
	if err := src.check(); err != nil {
		return nil, err
	}
	r, err := uploadValues(b, src)
	if err != nil || src.Mask == nil || m.layout == nil {
		return r, err
	}
	if r.mask, err = uploadBytes(b, src.Own, src.Rows, src.Cols, src.Mask); err != nil {
		return nil, fmt.Errorf("uploading %d×%d mask: %w", src.Rows, src.Cols, err)
	}
	return r, nil
}

// gather fills a batch of ws from rows index[start:start+ws.n] of r: x and,
// when ws has one, the mask.
func (r *resident) gather(b Backend, ws *workspace, index Tensor, start int) {
	b.Gather(ws.x, r.t, index, start, r.scale)
	if ws.mask != nil {
		b.Gather(ws.mask, r.mask, index, start, 1)
	}
}

// uploadValues uploads src's values to b.
func uploadValues(b Backend, src Source) (*resident, error) {
	if src.Bytes != nil {
		t, err := uploadBytes(b, src.Own, src.Rows, src.Cols, src.Bytes)
		if err != nil {
			return nil, fmt.Errorf("uploading %d×%d dataset: %w", src.Rows, src.Cols, err)
		}
		return &resident{t: t, rows: src.Rows, scale: bytesScale}, nil
	}
	var t Tensor
	var err error
	if a, ok := b.(HostAdopter); ok && src.Own == Given {
		t, err = a.AdoptFloats(src.Rows, src.Cols, src.Floats)
	} else {
		t, err = b.UploadFloats(src.Rows, src.Cols, src.Floats)
	}
	if err != nil {
		return nil, fmt.Errorf("uploading %d×%d dataset: %w", src.Rows, src.Cols, err)
	}
	return &resident{t: t, rows: src.Rows, scale: 1}, nil
}

// uploadBytes is b.UploadBytes, or b's AdoptBytes for Given bytes.
func uploadBytes(b Backend, own Ownership, rows, cols int, src []uint8) (Tensor, error) {
	if a, ok := b.(HostAdopter); ok && own == Given {
		return a.AdoptBytes(rows, cols, src)
	}
	return b.UploadBytes(rows, cols, src)
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
