package gpu

import (
	"slices"
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestUploadAfterRecordedReads records operations that read a tensor, then
// uploads new contents into it before anything is submitted. The queue
// performs a write before every later submit, so the backend must submit the
// recorded work first: the recorded operations see the old contents, the
// ones recorded after the upload the new.
func TestUploadAfterRecordedReads(t *testing.T) {
	b := openBackend(t)
	const n = 300
	alloc := func() nn.Tensor {
		x, err := b.Alloc(1, n)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	x, before, after := alloc(), alloc(), alloc()
	old, fresh := make([]float32, n), make([]float32, n)
	for i := range old {
		old[i], fresh[i] = float32(i), float32(-i-1)
	}
	b.Upload(x, old)
	if err := b.Sync(); err != nil {
		t.Fatal(err)
	}
	submits := b.Counters().Submits
	b.Copy(before, x) // recorded, not submitted
	b.Upload(x, fresh)
	if got := b.Counters().Submits - submits; got != 1 {
		t.Errorf("upload after a recorded read: %d submits, want 1 (the recorded work)", got)
	}
	b.Copy(after, x)
	read := func(name string, x nn.Tensor, want []float32) {
		got := make([]float32, n)
		if err := b.Read(x, got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v..., want %v...", name, got[:4], want[:4])
		}
	}
	read("copy recorded before the upload", before, old)
	read("copy recorded after the upload", after, fresh)
	read("uploaded tensor", x, fresh)

	// The same for an index vector: a gather recorded before UploadIndex
	// uses the old indices.
	data, err := b.Alloc(2, n)
	if err != nil {
		t.Fatal(err)
	}
	b.Upload(data, slices.Concat(old, fresh))
	idx, err := b.AllocIndex(1)
	if err != nil {
		t.Fatal(err)
	}
	b.UploadIndex(idx, []int32{0})
	row := alloc()
	b.Gather(row, data, idx, 0, 2)
	b.UploadIndex(idx, []int32{1})
	want := make([]float32, n)
	for i, v := range old {
		want[i] = 2 * v
	}
	read("gather recorded before UploadIndex", row, want)
	if err := b.Sync(); err != nil {
		t.Fatal(err)
	}
}
