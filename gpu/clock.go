package gpu

// The step clock: a training step's per-step values (Gather's start, the
// RNG streams, Adam's step) come from a counter kept on the device, so a
// step uploads nothing. The counter lives in two words, banks 0 and 1: the
// kernels of a step read bank b, and Adam (the step's last dispatch) writes
// the incremented count to bank 1-b, which the next step reads, so no
// dispatch reads a word that it writes. The count is never written from
// the host: it counts the Adam dispatches of the backend. The host keeps a
// mirror of the count the current bank will hold when the dispatches
// recorded next run (clk), and each kernel's Params hold the per-step value
// relative to it (a base that stays constant while the values advance with
// the count, and changes once where a run starts or resumes).
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

// tick records that the dispatch just recorded advanced the clock.
func (b *Backend) tick() {
	b.clk++
	b.bank ^= 1
}
