package gpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgml/wgml/nn"
)

// dtype is the element type of a tensor's buffer.
type dtype uint8

const (
	float32s dtype = iota // Alloc and View
	bytes                 // UploadBytes: packed 4 per 32-bit word
	int32s                // AllocIndex: the indices, then the clock word (see UploadIndex)
)

// buffer is one storage buffer; tensors are ranges of it.
type buffer struct {
	b    *wgpu.Buffer
	size uint64
	clk  uint32 // index buffers: the step clock's count when last uploaded
}

func (buf *buffer) release() {
	buf.b.Destroy()
	buf.b.Release()
	buf.b = nil
}

// Tensor is the gpu backend's nn.Tensor: a (rows, cols) range of a buffer
// starting at byte off (a multiple of 256 for views), or a resident dataset
// split over shards (shards.go), which only Gather reads; a shard holds
// rows lo to lo+rows-1 of its dataset.
type Tensor struct {
	buf        *buffer
	off        uint64
	rows, cols int
	dtype      dtype
	shards     []*Tensor
	lo         int
	view       bool // made by View: Free leaves its tensor's buffer alone
}

// Rows is the number of rows of t.
func (t *Tensor) Rows() int { return t.rows }

// Cols is the number of columns of t.
func (t *Tensor) Cols() int { return t.cols }

// size is the number of bytes t's elements span, rounded up to whole 32-bit
// words (the unit of a storage binding).
func (t *Tensor) size() uint64 {
	n := uint64(t.rows * t.cols)
	switch t.dtype {
	case bytes:
		return (n + 3) &^ 3
	case int32s:
		return 4 * (n + 1)
	}
	return 4 * n
}

// tensor returns t as a *Tensor of b, or nil for a nil t; it panics on a
// tensor of another backend (a programming error).
func (b *Backend) tensor(t nn.Tensor) *Tensor {
	if t == nil {
		return nil
	}
	g, ok := t.(*Tensor)
	if !ok {
		panic(fmt.Sprintf("gpu: tensor %T does not belong to the gpu backend", t))
	}
	live := g // its first buffer: freed with the rest (not parts, which allocates)
	if g.shards != nil {
		live = g.shards[0]
	}
	if live.buf.b == nil {
		panic(fmt.Sprintf("gpu: a (%d,%d) tensor used after Free", g.rows, g.cols))
	}
	return g
}

// newBuffer creates a storage buffer of size bytes for what, holding init
// if it is not nil. It returns an error naming the size and the adapter's
// limit when one is exceeded.
func (b *Backend) newBuffer(what string, size uint64, init []byte) (*buffer, error) {
	size = max((size+3)&^3, 4)
	if lim := b.limits.MaxStorageBufferBindingSize; size > lim {
		return nil, fmt.Errorf("gpu: %s of %d bytes exceeds the largest storage binding of %s, %d bytes", what, size, b.info, lim)
	}
	if lim := b.limits.MaxBufferSize; size > lim {
		return nil, fmt.Errorf("gpu: %s of %d bytes exceeds the largest buffer of %s, %d bytes", what, size, b.info, lim)
	}
	wb, err := b.dev.CreateBuffer(&wgpu.BufferDescriptor{
		Label:            what,
		Usage:            wgpu.BufferUsageStorage | wgpu.BufferUsageCopySrc | wgpu.BufferUsageCopyDst,
		Size:             size,
		MappedAtCreation: init != nil,
	})
	if err != nil {
		return nil, fmt.Errorf("gpu: %s of %d bytes: %w", what, size, err)
	}
	if init != nil {
		copy(wb.GetMappedRange(0, uint(size)), init)
		if err := wb.Unmap(); err != nil {
			wb.Release()
			return nil, fmt.Errorf("gpu: %s: %w", what, err)
		}
		b.counters.BytesUploaded += int64(len(init))
	}
	buf := &buffer{b: wb, size: size}
	b.buffers = append(b.buffers, buf)
	b.counters.BytesAllocated += int64(size)
	return buf, nil
}

// Alloc returns a zero-filled float32 tensor of shape (rows, cols); WebGPU
// zero-fills new buffers.
func (b *Backend) Alloc(rows, cols int) (nn.Tensor, error) {
	if rows < 0 || cols < 0 {
		return nil, fmt.Errorf("gpu: Alloc(%d, %d): negative shape", rows, cols)
	}
	buf, err := b.newBuffer(fmt.Sprintf("(%d,%d) tensor", rows, cols), 4*uint64(rows)*uint64(cols), nil)
	if err != nil {
		return nil, err
	}
	return &Tensor{buf: buf, rows: rows, cols: cols, dtype: float32s}, nil
}

// View returns the (rows, cols) tensor sharing t's memory from element
// offset on; offset is a multiple of nn.ViewAlign (256 bytes, WebGPU's
// largest storage offset alignment) and the view lies inside t.
func (b *Backend) View(t nn.Tensor, offset, rows, cols int) nn.Tensor {
	p := b.tensor(t)
	if p.dtype != float32s {
		panic("gpu: View: t is not a float32 tensor")
	}
	if offset%nn.ViewAlign != 0 || offset < 0 || rows < 0 || cols < 0 || offset+rows*cols > nn.Len(p) {
		panic(fmt.Sprintf("gpu: View: offset %d shape (%d,%d) does not fit in %d elements at alignment %d",
			offset, rows, cols, nn.Len(p), nn.ViewAlign))
	}
	return &Tensor{buf: p.buf, off: p.off + 4*uint64(offset), rows: rows, cols: cols, dtype: float32s, view: true}
}

// write copies data into t's range through the queue. Work recorded before
// it is submitted first: the queue performs writes before the next
// submitted commands, which would otherwise see the new contents.
func (b *Backend) write(op string, t *Tensor, data []byte) {
	if len(data) == 0 || b.err != nil {
		return
	}
	if b.enc != nil {
		b.submit()
	}
	if err := b.queue.WriteBuffer(t.buf.b, t.off, data); err != nil {
		b.fail(fmt.Errorf("%s: %w", op, err))
		return
	}
	b.counters.BytesUploaded += int64(len(data))
}

// Upload copies src (len = Len(dst)) into dst.
func (b *Backend) Upload(dst nn.Tensor, src []float32) {
	d := b.tensor(dst)
	if d.dtype != float32s || len(src) != nn.Len(d) {
		panic(fmt.Sprintf("gpu: Upload: %d values into a (%d,%d) tensor", len(src), d.rows, d.cols))
	}
	b.write("Upload", d, wgpu.ToBytes(src))
}

// UploadBytes returns a resident (rows, cols) byte dataset, stored packed
// 4 bytes per 32-bit word and unpacked by the Gather kernel, split over
// several buffers where one binding cannot hold it (shards.go).
func (b *Backend) UploadBytes(rows, cols int, src []uint8) (nn.Tensor, error) {
	if rows < 0 || cols < 0 || len(src) != rows*cols {
		return nil, fmt.Errorf("gpu: UploadBytes: %d bytes for a (%d,%d) dataset", len(src), rows, cols)
	}
	return b.uploadData(fmt.Sprintf("(%d,%d) byte dataset", rows, cols), rows, cols, 1, bytes, src)
}

// UploadFloats returns a resident (rows, cols) float32 dataset, split over
// several buffers where one binding cannot hold it (shards.go).
func (b *Backend) UploadFloats(rows, cols int, src []float32) (nn.Tensor, error) {
	if rows < 0 || cols < 0 || len(src) != rows*cols {
		return nil, fmt.Errorf("gpu: UploadFloats: %d values for a (%d,%d) dataset", len(src), rows, cols)
	}
	return b.uploadData(fmt.Sprintf("(%d,%d) dataset", rows, cols), rows, cols, 4, float32s, wgpu.ToBytes(src))
}

// AllocIndex returns a zero-filled vector of n int32 row indices, followed
// on the device by one word for the step clock's count at its upload.
func (b *Backend) AllocIndex(n int) (nn.Tensor, error) {
	if n < 0 {
		return nil, fmt.Errorf("gpu: AllocIndex(%d): negative length", n)
	}
	buf, err := b.newBuffer(fmt.Sprintf("index of %d rows", n), 4*uint64(n+1), nil)
	if err != nil {
		return nil, err
	}
	return &Tensor{buf: buf, rows: n, cols: 1, dtype: int32s}, nil
}

// UploadIndex copies idx (len = Len(dst)) into an index tensor.
func (b *Backend) UploadIndex(dst nn.Tensor, idx []int32) {
	d := b.tensor(dst)
	if d.dtype != int32s || len(idx) != nn.Len(d) {
		panic(fmt.Sprintf("gpu: UploadIndex: %d indices into a vector of %d", len(idx), nn.Len(d)))
	}
	b.write("UploadIndex", d, wgpu.ToBytes(idx))
	b.write("UploadIndex", &Tensor{buf: d.buf, off: 4 * uint64(len(idx)), rows: 1, cols: 1, dtype: float32s}, wgpu.ToBytes([]uint32{b.clk}))
	d.buf.clk = b.clk
}

// Read waits for all recorded work and copies t into dst (len = Len(t)):
// one submit that ends with a copy into the staging buffer, one map.
func (b *Backend) Read(t nn.Tensor, dst []float32) error {
	s := b.tensor(t)
	if s.dtype != float32s {
		return fmt.Errorf("gpu: Read: only float32 tensors can be read")
	}
	if len(dst) != nn.Len(s) {
		return fmt.Errorf("gpu: Read: %d values from a (%d,%d) tensor", len(dst), s.rows, s.cols)
	}
	if b.err != nil {
		return b.err
	}
	n := s.size()
	if n == 0 {
		return nil
	}
	if err := b.growStaging(n); err != nil {
		return err
	}
	b.endPass()
	if err := b.encoder().CopyBufferToBuffer(s.buf.b, s.off, b.staging, 0, n); err != nil {
		b.fail(fmt.Errorf("Read: %w", err))
		return b.err
	}
	b.submit()
	status, err := b.mapStaging(n)
	if err != nil {
		b.fail(fmt.Errorf("Read: %w", err))
		return b.err
	}
	if status != wgpu.BufferMapAsyncStatusSuccess {
		b.fail(fmt.Errorf("Read: mapping the staging buffer: %v", status))
		return b.err
	}
	copy(dst, wgpu.FromBytes[float32](b.staging.GetMappedRange(0, uint(n))))
	if err := b.staging.Unmap(); err != nil {
		b.fail(fmt.Errorf("Read: %w", err))
		return b.err
	}
	b.counters.Readbacks++
	b.counters.BytesRead += int64(n)
	return b.err
}

// mapStaging maps the first n bytes of the staging buffer for reading
// once the submitted work is done, and returns the map's status.
//
// cogentcore/webgpu v0.23.0's MapAsync hands wgpu-native the address of a
// Go variable holding the callback's cgo.Handle, and the callback reads it
// during a later Poll: a garbage collection in between can free and reuse
// that variable ("panic: runtime/cgo: misuse of an invalid Handle" inside
// Poll, seen under GC pressure). So the device is drained first and no
// collection runs from MapAsync until the Poll that calls the callback
// (holdGC).
func (b *Backend) mapStaging(n uint64) (wgpu.BufferMapAsyncStatus, error) {
	b.dev.Poll(true, nil)
	release := holdGC()
	defer release()
	status := wgpu.BufferMapAsyncStatusUnknown
	err := b.staging.MapAsync(wgpu.MapModeRead, 0, n, func(st wgpu.BufferMapAsyncStatus) { status = st })
	b.dev.Poll(true, nil) // calls the callback, even after an error
	return status, err
}

// growStaging makes the map-read staging buffer at least n bytes.
func (b *Backend) growStaging(n uint64) error {
	if b.stagingSize >= n {
		return nil
	}
	size := max(n, 2*b.stagingSize)
	buf, err := b.dev.CreateBuffer(&wgpu.BufferDescriptor{
		Label: "staging",
		Usage: wgpu.BufferUsageMapRead | wgpu.BufferUsageCopyDst,
		Size:  size,
	})
	if err != nil {
		return fmt.Errorf("gpu: Read: staging buffer of %d bytes: %w", size, err)
	}
	if b.staging != nil {
		b.staging.Destroy()
		b.staging.Release()
	}
	b.counters.BytesAllocated += int64(size) - int64(b.stagingSize)
	b.staging, b.stagingSize = buf, size
	return nil
}
