package cpu

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelFor runs body over 0..n, split into contiguous ranges [lo, hi)
// of at least grain items, on up to GOMAXPROCS goroutines (the caller's
// included); with one core, or fewer than 2·grain items, it calls
// body(0, n) inline. There are up to 4 ranges per core, taken in turn by
// whichever goroutine is free, so a core that the OS lends to another
// process for a while (these machines are shared) delays one small range,
// not half the work. Each range is written by one goroutine, so the results
// are those of the serial loop, bit for bit, however it splits.
func parallelFor(n, grain int, body func(lo, hi int)) {
	procs := runtime.GOMAXPROCS(0)
	chunks := min(n/max(grain, 1), 4*procs)
	if procs <= 1 || chunks <= 1 {
		body(0, n)
		return
	}
	size := (n + chunks - 1) / chunks
	var next atomic.Int64
	work := func() {
		for {
			lo := int(next.Add(1)-1) * size
			if lo >= n {
				return
			}
			body(lo, min(lo+size, n))
		}
	}
	var wg sync.WaitGroup
	for range min(procs, chunks) - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
}

// Grains of parallelFor: elements (or rows × columns) below which another
// goroutine costs more than it saves.
const (
	grainCheap = 1 << 14 // a few operations per element (copies, relu, Adam)
	grainMath  = 1 << 11 // exp or log per element
)
