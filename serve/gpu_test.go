package serve

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/wgml/wgml/internal/gputest"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/nn"
)

// TestGPUServe serves a model on the gpu backend: concurrent clients get
// the library's scores on that backend (within float32 rounding: the
// kernels may sum in another order for another batch size), and once each
// padded batch size has run, the device memory the backend holds does not
// grow — batches reuse the model's workspaces.
func TestGPUServe(t *testing.T) {
	b := gputest.Open(t)
	path := fitTable(t, t.TempDir(), "ae", 14)
	m, err := wgml.Load(path, b)
	if err != nil {
		t.Fatal(err)
	}
	pool := planeRows(rand.New(rand.NewPCG(15, 15)), 40)
	want, err := m.Score(pool)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(path, func(p string) (*wgml.Model, error) { return wgml.Load(p, b) }, Config{MaxBatch: 16, MaxWait: time.Millisecond}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer func() { hs.Close(); s.Close() }()
	for n := 1; n <= 16; n *= 2 { // every padded batch size once
		if err := near(mustScore(t, hs.Client(), hs.URL, pool[:n]).Scores, want[:n]); err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
	}
	held := b.(nn.Counting).Counters().BytesAllocated
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for c := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 16))
			for range 25 {
				first, n := rng.IntN(len(pool)-4), 1+rng.IntN(4)
				a, err := scoreRequest(hs.Client(), hs.URL, pool[first:first+n])
				if err == nil {
					err = near(a.Scores, want[first:first+n])
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := b.(nn.Counting).Counters().BytesAllocated; got != held {
		t.Errorf("device bytes allocated: %d after one batch of each size, %d after 100 more requests", held, got)
	}
}

// near checks got against want within float32 rounding of a sum.
func near(got, want []float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d scores, want %d", len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-5*math.Abs(want[i])+1e-6 {
			return fmt.Errorf("row %d: score %v, the library says %v", i, got[i], want[i])
		}
	}
	return nil
}

// TestGPUReloadReleases reloads a gpu model several times while serving:
// each reload releases the model it replaces, so the device memory the
// backend holds after a reload and a request is what it held before (a
// reload that kept the old model would add its parameters, Adam moments
// and workspaces every time), the old model's answers end and the new
// one's begin, and Close releases the last one.
func TestGPUReloadReleases(t *testing.T) {
	b := gputest.Open(t)
	allocated := func() int64 { return b.(nn.Counting).Counters().BytesAllocated }
	// Grow the backend's readback buffer (counted, and kept) past any read
	// below first, so that the levels compared hold the same one.
	big, err := b.Alloc(1, 4096)
	if err == nil {
		err = b.Read(big, make([]float32, 4096))
	}
	if err != nil {
		t.Fatal(err)
	}
	b.(nn.Freeing).Free(big)
	empty := allocated()
	path := fitTable(t, t.TempDir(), "ae", 17)
	s, err := New(path, func(p string) (*wgml.Model, error) { return wgml.Load(p, b) }, Config{MaxBatch: 4}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	rows := planeRows(rand.New(rand.NewPCG(18, 18)), 3)
	want := mustScore(t, hs.Client(), hs.URL, rows).Scores
	held := allocated()
	for i := range 3 {
		if err := s.Reload(); err != nil {
			t.Fatal(err)
		}
		if got := mustScore(t, hs.Client(), hs.URL, rows).Scores; near(got, want) != nil {
			t.Fatalf("reload %d: scores %v, want %v", i+1, got, want)
		}
		if got := allocated(); got != held {
			t.Errorf("reload %d: %d device bytes allocated, %d before the reloads", i+1, got, held)
		}
	}
	s.Close()
	if got := allocated(); got != empty {
		t.Errorf("closed: %d device bytes allocated, %d before the server loaded its model", got, empty)
	}
}
