package gpu

import (
	"fmt"
	"os"
	"strconv"
)

// MaxBindingEnv names the environment variable that caps the bytes of one
// buffer of a resident dataset (UploadBytes, UploadFloats) below the
// adapter's largest storage binding, e.g. WGML_MAX_BINDING=4096: a dataset
// larger than the cap is split over several buffers of whole rows. Tests
// and CI set it so that lavapipe splits small sets; other buffers keep the
// adapter's limits.
const MaxBindingEnv = "WGML_MAX_BINDING"

// dataBinding returns the most bytes one buffer of a resident dataset may
// hold on b: the adapter's largest storage binding and buffer, capped by
// MaxBindingEnv when it is set, rounded down to whole 32-bit words.
func (b *Backend) dataBinding() (uint64, error) {
	lim := min(b.limits.MaxStorageBufferBindingSize, b.limits.MaxBufferSize)
	if s := os.Getenv(MaxBindingEnv); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || n < 4 {
			return 0, fmt.Errorf("gpu: %s=%q: want a number of bytes, at least 4", MaxBindingEnv, s)
		}
		lim = min(lim, n)
	}
	return lim &^ 3, nil
}

// uploadData returns a resident (rows, cols) dataset of element type dt
// (elem bytes per value) holding src: one buffer when it fits b.maxData,
// else shards of ⌊maxData/rowBytes⌋ whole rows each (the last one shorter),
// which Gather reads one dispatch per shard. Rows never straddle buffers.
func (b *Backend) uploadData(what string, rows, cols, elem int, dt dtype, src []byte) (*Tensor, error) {
	rowBytes := uint64(cols) * uint64(elem)
	per := uint64(rows)
	if rowBytes > 0 {
		per = min(per, b.maxData/rowBytes)
	}
	if rows > 0 && per == 0 {
		return nil, fmt.Errorf("gpu: %s: one row of %d bytes exceeds the largest storage binding of %s, %d bytes", what, rowBytes, b.info, b.maxData)
	}
	if per == uint64(rows) {
		buf, err := b.newBuffer(what, uint64(len(src)), src)
		if err != nil {
			return nil, err
		}
		return &Tensor{buf: buf, rows: rows, cols: cols, dtype: dt}, nil
	}
	t := &Tensor{rows: rows, cols: cols, dtype: dt}
	for lo := uint64(0); lo < uint64(rows); lo += per {
		n := min(per, uint64(rows)-lo)
		part := src[lo*rowBytes : (lo+n)*rowBytes]
		buf, err := b.newBuffer(fmt.Sprintf("%s rows %d to %d", what, lo, lo+n-1), uint64(len(part)), part)
		if err != nil {
			return nil, err
		}
		t.shards = append(t.shards, &Tensor{buf: buf, lo: int(lo), rows: int(n), cols: cols, dtype: dt})
	}
	return t, nil
}

// parts returns the tensors holding t's rows: its shards, or t itself.
func (t *Tensor) parts() []*Tensor {
	if t.shards != nil {
		return t.shards
	}
	return []*Tensor{t}
}
