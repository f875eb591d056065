package bench

import (
	"fmt"

	"github.com/wgml/wgml/nn"
)

// DeviceBytes is the memory a backend is asked for to train c at batch on
// src: the four flat parameter buffers (weights, gradients, two Adam
// moments: parameters × 4 × 4 bytes, with alignment padding), the
// activation and gradient buffers of each batch size of an epoch, the loss
// sums, the index vector and the resident data set (bytes stay bytes). It
// builds the model and trainer on a backend that only counts what is
// allocated, so it is exact for what nn asks and costs no device memory; a
// backend's own extras (a GPU backend's uniform and staging buffers,
// rounding of buffer sizes) are not in it.
func DeviceBytes(c nn.Config, src nn.Source, batch int) (n int64, err error) {
	s := &sizer{}
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("sizing the model's device memory: %v", r)
		}
	}()
	if _, err := NewTrainer(s, c, src, batch, 1); err != nil {
		return 0, err
	}
	return s.bytes, nil
}

// DataBytes is the device memory of src resident on a backend: its values
// (a byte per pixel, 4 bytes per float) and the 4-byte permutation index
// per row the trainer keeps beside it; 0 for a stream, whose two upload
// blocks DeviceBytes counts with the trainer's buffers.
func DataBytes(src nn.Source) int64 {
	if src.Stream != nil {
		return 0
	}
	per := int64(src.Cols) * 4
	if src.Bytes != nil {
		per = int64(src.Cols)
	}
	return int64(src.Rows) * (per + 4)
}

// sizer is an nn.Backend that allocates nothing and counts the bytes it is
// asked for. Building a model and a trainer calls only the methods it
// defines; the embedded nil Backend makes any other call panic, which
// DeviceBytes turns into an error.
type sizer struct {
	nn.Backend
	bytes int64
}

type shape struct{ r, c int }

func (s shape) Rows() int { return s.r }
func (s shape) Cols() int { return s.c }

func (*sizer) Name() string   { return "sizer" }
func (*sizer) Device() string { return "none" }
func (s *sizer) Alloc(rows, cols int) (nn.Tensor, error) {
	s.bytes += 4 * int64(rows) * int64(cols)
	return shape{rows, cols}, nil
}
func (*sizer) View(_ nn.Tensor, _, rows, cols int) nn.Tensor { return shape{rows, cols} }
func (*sizer) Upload(nn.Tensor, []float32)                   {}
func (s *sizer) UploadBytes(rows, cols int, _ []uint8) (nn.Tensor, error) {
	s.bytes += int64(rows) * int64(cols)
	return shape{rows, cols}, nil
}
func (s *sizer) UploadFloats(rows, cols int, _ []float32) (nn.Tensor, error) {
	s.bytes += 4 * int64(rows) * int64(cols)
	return shape{rows, cols}, nil
}
func (s *sizer) AllocIndex(n int) (nn.Tensor, error) {
	s.bytes += 4 * int64(n)
	return shape{1, n}, nil
}
func (*sizer) UploadIndex(nn.Tensor, []int32) {}
func (*sizer) Sync() error                    { return nil }
func (*sizer) Release()                       {}
