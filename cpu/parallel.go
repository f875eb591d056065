package cpu

import "github.com/wgml/wgml/internal/pool"

// parallelFor runs body over 0..n, split into contiguous ranges [lo, hi)
// on the persistent workers of internal/pool (the caller included) where
// n is at least 2·grain items (pool.Split; the grains are internal/pool's);
// with one core, or fewer items, it calls body(0, n) inline. There are up
// to 4 ranges per core, taken in turn by whichever goroutine is free, so a
// core that the OS lends to another process for a while (these machines
// are shared) delays one small range, not half the work. Each range is
// written by one goroutine, so the results are those of the serial loop,
// bit for bit, however it splits.
func parallelFor(n, grain int, body func(lo, hi int)) {
	pool.For(n, pool.Split(n, float64(n), float64(max(grain, 1))), body)
}
