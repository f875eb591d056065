package pool

import (
	"runtime"
	"sync"
	"testing"
)

func TestForCoversOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, n := range []int{0, 1, 7, 100, 4097} {
		for _, chunks := range []int{0, 1, 3, 16, 5000} {
			seen := make([]int32, n)
			For(n, chunks, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i]++ // ranges are disjoint: no race
				}
			})
			for i, s := range seen {
				if s != 1 {
					t.Fatalf("n %d chunks %d: index %d visited %d times", n, chunks, i, s)
				}
			}
		}
	}
}

// TestForNestedAndConcurrent runs For inside For from several goroutines:
// it must neither deadlock nor lose a range.
func TestForNestedAndConcurrent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := make([]int32, 64*64)
			For(64, 8, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					For(64, 4, func(l, h int) {
						for k := l; k < h; k++ {
							seen[i*64+k]++
						}
					})
				}
			})
			for i, s := range seen {
				if s != 1 {
					t.Errorf("goroutine %d: index %d visited %d times", g, i, s)
					return
				}
			}
		}()
	}
	wg.Wait()
}
