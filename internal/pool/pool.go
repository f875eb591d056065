// Package pool is wgml's one set of persistent worker goroutines: For
// splits a loop over them and the caller, instead of starting goroutines
// per call. Workers are started once, on first use, up to GOMAXPROCS-1 of
// them. A worker that has finished a job polls for the next one for
// spinFor (the "active wait" of OpenMP and BLIS: the split ops of a
// training step come tens of µs apart, and waking a parked thread costs
// ~10-30 µs, as much as a range of work), then sleeps on a channel until
// the next call; the polling stops for a while where a worker turned out
// late (another process holds the cores, see backoff).
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

// run takes chunks of j until none are left and returns how many it ran.
func (j *job) run() int {
	for ran := 0; ; ran++ {
		lo := int(j.next.Add(1)-1) * j.size
		if lo >= j.n {
			return ran
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
// (the workers are finishing their last ranges) where polling pays, then
// sleeps on j.wg.
func (j *job) wait() {
	if !polling() || !spinUntil(func() bool { return j.busy.Load() == 0 }) {
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

// The active wait pays where the cores are ours. Where other processes
// hold them, the OS preempts a polling worker in the middle of a range and
// the caller waits for it (and the polling took CPU time from those
// processes): For notices a wait for the workers much longer than its own
// ranges took (late) and turns polling off for backoff, the workers
// parking at once as they did before.
const backoff = 100 * time.Millisecond

var (
	epoch  = time.Now()
	lateAt atomic.Int64 // time since epoch of the last late wait, +1; 0: none
)

// late says whether a wait for the workers is late: longer than twice the
// caller's mean range (own over ranges) plus spinFor.
func late(wait, own time.Duration, ranges int) bool {
	return ranges > 0 && wait > 2*own/time.Duration(ranges)+spinFor
}

// polling says whether the workers and callers poll: no late wait within
// backoff.
func polling() bool {
	l := lateAt.Load()
	return l == 0 || time.Since(epoch)-time.Duration(l-1) >= backoff
}

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
		if polling() {
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
		}
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
	start := time.Now()
	ran := j.run()
	own := time.Since(start)
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
	start = time.Now()
	j.wait()
	if late(time.Since(start), own, ran) {
		lateAt.Store(int64(time.Since(epoch)) + 1)
	}
}

// Procs is the number of goroutines For may use: GOMAXPROCS.
func Procs() int { return runtime.GOMAXPROCS(0) }
