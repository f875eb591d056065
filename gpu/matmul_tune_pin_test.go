package gpu

import (
	"testing"
	"time"

	"github.com/wgml/wgml/nn"
)

// TestTuneKeepsFastest drives the tuning pass with a fake clock that makes
// each candidate in turn the fastest (first, a middle one, last): the pass
// must choose exactly that candidate, mark only its row, and report the
// faked times.
func TestTuneKeepsFastest(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	const m, k, n = 9, 64, 5
	cands := mmCandidates(m, k, n)
	if len(cands) < 3 {
		t.Fatalf("%d candidates: the test wants at least 3", len(cands))
	}
	b := openBackend(t) // Tune times every candidate again on each call
	for _, fastest := range []int{0, len(cands) / 2, len(cands) - 1} {
		// Candidate i takes (i+2)·tuneReps µs, except fastest: 1·tuneReps µs.
		now, calls := time.Unix(0, 0), 0
		tuneClock = func() time.Time {
			i := calls / 2
			if calls%2 == 1 { // the end of candidate i's timed runs
				us := i + 2
				if i == fastest {
					us = 1
				}
				now = now.Add(time.Duration(us*tuneReps) * time.Microsecond)
			}
			calls++
			return now
		}
		rows, err := b.Tune(m, k, n, nn.NoTrans, nn.Trans)
		tuneClock = time.Now
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(cands) || calls != 2*len(cands) {
			t.Fatalf("%d rows, %d clock reads; want %d and %d", len(rows), calls, len(cands), 2*len(cands))
		}
		for i, r := range rows {
			want := float64(i + 2)
			if i == fastest {
				want = 1
			}
			if r.Micros != want || r.Chosen != (i == fastest) || r.Variant != cands[i].String() {
				t.Errorf("fastest %d: row %d = %+v, want %s at %v µs, chosen %v", fastest, i, r, cands[i], want, i == fastest)
			}
		}
		if got := b.mm.chosen[mmShape{m, k, n, nn.NoTrans, nn.Trans}]; got != cands[fastest] {
			t.Errorf("fastest %d: the shape's choice is %s, want %s", fastest, got, cands[fastest])
		}
	}
}
