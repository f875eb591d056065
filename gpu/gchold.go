package gpu

import (
	"runtime/debug"
	"sync"
)

// gcHold counts the callers of holdGC that have not released it yet, and
// keeps the GC percentage to restore when the last one does.
var gcHold struct {
	sync.Mutex
	n   int
	old int
}

// holdGC stops garbage collection (waiting for a collection in progress to
// finish) until every caller has called the release function it returns;
// the last one restores the previous GC percentage. Holds nest across
// goroutines and backends. A GOMEMLIMIT that is reached still collects.
func holdGC() (release func()) {
	gcHold.Lock()
	if gcHold.n == 0 {
		gcHold.old = debug.SetGCPercent(-1)
	}
	gcHold.n++
	gcHold.Unlock()
	return func() {
		gcHold.Lock()
		gcHold.n--
		if gcHold.n == 0 {
			debug.SetGCPercent(gcHold.old)
		}
		gcHold.Unlock()
	}
}
