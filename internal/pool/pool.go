// Package pool is wgml's one set of persistent worker goroutines: For
// splits a loop over them and the caller, instead of starting goroutines
// per call. Workers are started once, on first use, up to GOMAXPROCS-1 of
// them, and sleep on a channel between calls.
package pool

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// job is one For call: chunks of size items of [0,n), taken in turn by the
// caller and by the workers that join before the caller closes it.
type job struct {
	body    func(lo, hi int)
	n, size int
	next    atomic.Int64

	mu     sync.Mutex
	closed bool           // the caller has finished: late workers skip the job
	wg     sync.WaitGroup // workers inside run
}

// run takes chunks of j until none are left.
func (j *job) run() {
	for {
		lo := int(j.next.Add(1)-1) * j.size
		if lo >= j.n {
			return
		}
		j.body(lo, min(lo+j.size, j.n))
	}
}

// join runs j on a worker unless its caller has already finished it.
func (j *job) join() {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return
	}
	j.wg.Add(1)
	j.mu.Unlock()
	j.run()
	j.wg.Done()
}

// maxWorkers bounds the workers whatever GOMAXPROCS says.
const maxWorkers = 256

var (
	mu      sync.Mutex
	started int                           // workers running
	queue   = make(chan *job, maxWorkers) // jobs offered to workers
)

// workers returns how many helpers a call may ask for, starting them as
// needed.
func workers() int {
	want := min(runtime.GOMAXPROCS(0)-1, maxWorkers)
	mu.Lock()
	defer mu.Unlock()
	for ; started < want; started++ {
		go func() {
			for j := range queue {
				j.join()
			}
		}()
	}
	return want
}

// For runs body over [0,n) split into chunks contiguous ranges [lo,hi) of
// about equal size, on the caller and on up to GOMAXPROCS-1 workers;
// whoever is free takes the next range, so a worker that the OS does not
// run for a while (these machines are shared) delays nothing: the caller
// never waits for a worker that has not started on the job. With chunks <= 1
// or one core it calls body(0, n) inline. Each range runs exactly once, on
// one goroutine. body may call For (a nested call may find no idle worker
// and run inline).
func For(n, chunks int, body func(lo, hi int)) {
	chunks = min(chunks, n)
	if chunks <= 1 {
		if n > 0 {
			body(0, n)
		}
		return
	}
	helpers := min(workers(), chunks-1)
	if helpers <= 0 {
		body(0, n)
		return
	}
	j := &job{body: body, n: n, size: (n + chunks - 1) / chunks}
	for range helpers {
		select {
		case queue <- j:
		default: // the queue is full of offers: the caller does the rest
		}
	}
	j.run()
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
	j.wg.Wait()
}

// Procs is the number of goroutines For may use: GOMAXPROCS.
func Procs() int { return runtime.GOMAXPROCS(0) }
