package pool

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestWorkersPark: after a burst of calls the workers stop polling the
// queue (they park on it once spinFor has passed), and the calls started
// no goroutine beyond the persistent workers.
func TestWorkersPark(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	sum := make([]int64, 1000)
	body := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			sum[i]++
		}
	}
	For(len(sum), 8, body) // starts the workers
	before := runtime.NumGoroutine()
	for range 2000 {
		For(len(sum), 8, body)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines after 2000 calls, %d before", after, before)
	}
	for i, s := range sum {
		if s != 2001 {
			t.Fatalf("index %d visited %d times, want 2001", i, s)
		}
	}
	deadline := time.Now().Add(10 * time.Second) // a liveness bound, not a timing
	for spinning.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d workers still polling the queue 10 s after the last call", spinning.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

// TestForUnderOneProc runs For from several goroutines while GOMAXPROCS
// switches between 1 and 3: a worker or caller in its active wait must
// yield the one processor to the goroutine it waits for (no livelock, no
// deadlock), and every range still runs once.
func TestForUnderOneProc(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	stop := make(chan struct{})
	var toggler sync.WaitGroup
	toggler.Go(func() {
		for p := 1; ; p = 4 - p {
			select {
			case <-stop:
				return
			default:
			}
			runtime.GOMAXPROCS(p)
			time.Sleep(50 * time.Microsecond)
		}
	})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			seen := make([]int32, 4096)
			for range 300 {
				For(len(seen), 12, func(lo, hi int) {
					for i := lo; i < hi; i++ {
						seen[i]++
					}
				})
			}
			for i, s := range seen {
				if s != 300 {
					t.Errorf("goroutine %d: index %d visited %d times, want 300", g, i, s)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	toggler.Wait()
}

func TestSplit(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // 4·Procs = 8
	for _, c := range []struct {
		p           Policy
		n           int
		work, grain float64
		want        int
	}{
		{Auto, 100, 0, 10, 1}, {Auto, 100, 19, 10, 1}, {Auto, 100, 20, 10, 8}, {Auto, 100, 1e9, 10, 8},
		{Auto, 3, 1e9, 10, 3}, {Auto, 0, 1e9, 10, 1},
		{Serial, 100, 1e9, 10, 1}, {Parallel, 100, 0, 10, 8}, {Parallel, 5, 0, 10, 5}, {Parallel, 0, 0, 10, 1},
	} {
		prev := SetPolicy(c.p)
		got := Split(c.n, c.work, c.grain)
		SetPolicy(prev)
		if got != c.want {
			t.Errorf("policy %d: Split(%d, %g, %g) = %d, want %d", c.p, c.n, c.work, c.grain, got, c.want)
		}
	}
}

func TestLate(t *testing.T) {
	us := time.Microsecond
	for _, c := range []struct {
		wait, own time.Duration
		ranges    int
		want      bool
	}{
		{0, 0, 0, false}, {time.Hour, 0, 0, false}, // the caller ran nothing: no measure
		{70 * us, 40 * us, 4, false}, {71 * us, 40 * us, 4, true}, // 2·10 µs + spinFor
		{250 * us, 400 * us, 4, false}, {5 * time.Millisecond, 400 * us, 4, true},
	} {
		if got := late(c.wait, c.own, c.ranges); got != c.want {
			t.Errorf("late(%v, %v, %d) = %v, want %v", c.wait, c.own, c.ranges, got, c.want)
		}
	}
}

// TestNoPollingAfterLate: within backoff of a late wait no worker polls
// the queue, and every range still runs once.
func TestNoPollingAfterLate(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	defer lateAt.Store(lateAt.Load())
	future := int64(time.Since(epoch) + time.Hour) // late until the test ends
	lateAt.Store(future)
	if polling() {
		t.Fatal("polling right after a late wait")
	}
	deadline := time.Now().Add(10 * time.Second) // workers spinning before the store park
	for spinning.Load() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("workers still polling 10 s after a late wait")
		}
		time.Sleep(time.Millisecond)
	}
	seen := make([]int32, 12)
	for range 200 {
		lateAt.Store(future) // over a late wait that For itself may record
		For(len(seen), 12, func(lo, hi int) {
			time.Sleep(20 * time.Microsecond) // long enough for the workers to join
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		if n := spinning.Load(); n != 0 {
			t.Fatalf("%d workers polling within backoff of a late wait", n)
		}
	}
	for i, s := range seen {
		if s != 200 {
			t.Fatalf("index %d visited %d times, want 200", i, s)
		}
	}
}
