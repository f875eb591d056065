// Package pool is wgml's one set of persistent worker goroutines: For
// splits a loop over them and the caller, instead of starting goroutines
// per call. Workers are started once, on first use, up to GOMAXPROCS-1 of
// them. A worker that has finished a job polls for the next one for
// spinFor (the "active wait" of OpenMP and BLIS: the split ops of a
// training step come tens of µs apart, and waking a parked thread costs
// ~10-30 µs, as much as a range of work), then sleeps on a channel until
// the next call.
package pool

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
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
	busy   atomic.Int32   // the same count, for the caller's spin
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
	j.busy.Add(1)
	j.mu.Unlock()
	j.run()
	j.busy.Add(-1)
	j.wg.Done()
}

// wait returns once no worker is inside j.run: it polls for up to spinFor
// (the workers are finishing their last ranges), then sleeps on j.wg.
func (j *job) wait() {
	if !spinUntil(func() bool { return j.busy.Load() == 0 }) {
		j.wg.Wait()
	}
}

// spinFor bounds the active wait of a worker for its next job and of a
// caller for its workers: long enough to bridge the gaps between the
// parallel ops of a training step, short enough that an idle process
// burns at most spinFor of one core per worker after its last call.
const spinFor = 50 * time.Microsecond

// spinning counts the workers polling the queue (tests check that they park).
var spinning atomic.Int32

// spinUntil polls done, yielding the processor between polls
// (runtime.Gosched, so no goroutine waits on a spinning one), until it
// holds or spinFor has passed; it reports whether done held.
func spinUntil(done func() bool) bool {
	start := time.Now()
	for !done() {
		if time.Since(start) >= spinFor {
			return false
		}
		runtime.Gosched()
	}
	return true
}

// work is a worker's loop: take a job from the queue, polling for spinFor
// before parking on it.
func work() {
	for {
		var j *job
		spinning.Add(1)
		spinUntil(func() bool {
			select {
			case j = <-queue:
				return true
			default:
				return false
			}
		})
		spinning.Add(-1)
		if j == nil {
			j = <-queue
		}
		j.join()
	}
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
		go work()
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
	j.wait()
}

// Procs is the number of goroutines For may use: GOMAXPROCS.
func Procs() int { return runtime.GOMAXPROCS(0) }
