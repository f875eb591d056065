package gpu

import "github.com/cogentcore/webgpu/wgpu"

// The step clock: a training step's per-step values (Gather's start, the
// RNG streams, Adam's step) come from a counter kept on the device, so a
// step uploads nothing. The counter lives in two words, banks 0 and 1: the
// kernels of a step read bank b, and Adam (the step's last dispatch) writes
// the incremented count to bank 1-b, which the next step reads, so no
// dispatch reads a word that it writes. The host keeps a mirror of the
// count the current bank will hold when the dispatches recorded next run
// (clk), and each kernel's Params hold the per-step value relative to it
// (a base that stays constant while the values advance with the count).
// An index tensor stores the count at its upload after its last index, so
// that Gather's start counts the steps since the permutation was uploaded:
// the base stays the same from epoch to epoch.

// newClock allocates the clock, holding 0 in both banks.
func (b *Backend) newClock() error {
	buf, err := b.newBuffer("step clock", 8, nil)
	if err != nil {
		return err
	}
	b.clock = &Tensor{buf: buf, rows: 1, cols: 2}
	return nil
}

// setClock makes the current bank hold count, uploading it only when the
// device does not already: a run that starts or resumes at another step,
// never a step that follows the one before. Work recorded so far is
// submitted first, so it still reads the count it was recorded against.
func (b *Backend) setClock(count uint32) {
	if count == b.clk {
		return
	}
	t := &Tensor{buf: b.clock.buf, off: 4 * uint64(b.bank), rows: 1, cols: 1}
	b.write("step clock", t, wgpu.ToBytes([]uint32{count}))
	b.clk = count
}

// tick records that the dispatch just recorded advanced the clock.
func (b *Backend) tick() {
	b.clk++
	b.bank ^= 1
}
