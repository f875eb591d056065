package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
)

var _ nn.Freeing = (*Backend)(nil)

// Free frees the device memory of tensors made by Alloc, AllocIndex,
// UploadBytes or UploadFloats (every buffer of a split dataset), and the
// cached bind groups that bind them, once the work recorded so far has
// finished. Counters' BytesAllocated drops by their buffers' bytes. A
// tensor already freed is skipped; a view panics (free its tensor). Using
// a freed tensor panics, naming its shape.
func (b *Backend) Free(ts ...nn.Tensor) {
	dead := map[*buffer]bool{}
	for _, t := range ts {
		if t == nil {
			continue
		}
		g, ok := t.(*Tensor)
		if !ok {
			panic(fmt.Sprintf("gpu: Free: tensor %T does not belong to the gpu backend", t))
		}
		if g.view {
			panic(fmt.Sprintf("gpu: Free: a (%d,%d) view; free the tensor it views", g.rows, g.cols))
		}
		for _, p := range g.parts() {
			if p.buf.b != nil {
				dead[p.buf] = true
			}
		}
	}
	b.freeBuffers(dead)
}

// freeBuffers waits for the recorded work, then releases the buffers in
// dead, every cached dispatch that binds one of them, and their bytes from
// the allocation counter.
func (b *Backend) freeBuffers(dead map[*buffer]bool) {
	if len(dead) == 0 {
		return
	}
	b.submit()
	b.dev.Poll(true, nil)
	for key, d := range b.dispatches {
		for _, bd := range key.bind {
			if dead[bd.buf] {
				d.release()
				delete(b.dispatches, key)
				break
			}
		}
	}
	kept := b.buffers[:0]
	for _, buf := range b.buffers {
		if dead[buf] {
			b.counters.BytesAllocated -= int64(buf.size)
			buf.release()
		} else {
			kept = append(kept, buf)
		}
	}
	clear(b.buffers[len(kept):])
	b.buffers = kept
}
