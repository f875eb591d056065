package nn

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestEarlyStop(t *testing.T) {
	type obs struct {
		loss           float64
		improved, stop bool
	}
	for _, tc := range []struct {
		name      string
		patience  int
		minDelta  float64
		seq       []obs // epochs 1, 2, ...
		bestEpoch int
		bestLoss  float64
	}{
		{"falls then stalls", 2, 0, []obs{{5, true, false}, {4, true, false}, {4, false, false}, {4.5, false, true}}, 2, 4},
		{"an improvement resets the wait", 2, 0, []obs{{5, true, false}, {6, false, false}, {4, true, false}, {7, false, false}, {7, false, true}}, 3, 4},
		// 4.95 is below 5 but not by min-delta 0.1; 4.85 is
		{"min-delta", 3, 0.1, []obs{{5, true, false}, {4.95, false, false}, {4.85, true, false}, {4.8, false, false}, {4.76, false, false}, {4.75, false, true}}, 3, 4.85},
		{"patience 1", 1, 0, []obs{{3, true, false}, {3, false, true}}, 1, 3},
		{"NaN never improves", 2, 0, []obs{{math.NaN(), false, false}, {2, true, false}, {math.NaN(), false, false}, {math.Inf(1), false, true}}, 2, 2},
		{"constant losses", 3, 0, []obs{{1, true, false}, {1, false, false}, {1, false, false}, {1, false, true}}, 1, 1},
	} {
		s, err := NewEarlyStop(tc.patience, tc.minDelta)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range tc.seq {
			improved, stop := s.Observe(i+1, o.loss)
			if improved != o.improved || stop != o.stop {
				t.Errorf("%s: epoch %d loss %v: improved %v stop %v, want %v %v", tc.name, i+1, o.loss, improved, stop, o.improved, o.stop)
			}
		}
		if s.BestEpoch != tc.bestEpoch || s.BestLoss != tc.bestLoss || !s.Stopped() {
			t.Errorf("%s: best epoch %d loss %v stopped %v; want %d %v true", tc.name, s.BestEpoch, s.BestLoss, s.Stopped(), tc.bestEpoch, tc.bestLoss)
		}
		if err := s.Check(); err != nil {
			t.Errorf("%s: state after the run: %v", tc.name, err)
		}
	}
}

// TestEarlyStopResume checks that the state taken through JSON mid-run (as
// a checkpoint stores it) continues exactly as the uninterrupted state.
func TestEarlyStopResume(t *testing.T) {
	losses := []float64{9, 7, 7.5, 6.9, 7, 7.2, 6.95, 8, 9}
	whole, _ := NewEarlyStop(3, 0.05)
	var want []bool
	for i, l := range losses {
		imp, stop := whole.Observe(i+1, l)
		want = append(want, imp, stop)
	}
	s, _ := NewEarlyStop(3, 0.05)
	var got []bool
	for i, l := range losses {
		if i == 5 {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			s = EarlyStop{}
			if err := json.Unmarshal(b, &s); err != nil || s.Check() != nil {
				t.Fatalf("early stop state %s: %v %v", b, err, s.Check())
			}
		}
		imp, stop := s.Observe(i+1, l)
		got = append(got, imp, stop)
	}
	if s != whole {
		t.Errorf("resumed state %+v, straight run %+v", s, whole)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("resumed run observed %v, straight run %v", got, want)
		}
	}
	// 6.9 at epoch 4 is the best; 7, 7.2 and 6.95 do not beat 6.9 − 0.05:
	// the stop comes at epoch 7 (observing on, the wait grows)
	if !want[2*6+1] || want[2*5+1] {
		t.Errorf("straight run: stop flags %v, want the first stop at epoch 7", want)
	}
	if w := (EarlyStop{Patience: 3, MinDelta: 0.05, BestEpoch: 4, BestLoss: 6.9, Epoch: 9, Waited: 5}); whole != w {
		t.Errorf("straight run: %+v, want %+v", whole, w)
	}
}

func TestEarlyStopCheck(t *testing.T) {
	for _, tc := range []struct {
		s    EarlyStop
		want string
	}{
		{EarlyStop{Patience: 0}, "patience 0: want at least 1 epoch"},
		{EarlyStop{Patience: -2}, "patience -2"},
		{EarlyStop{Patience: 1, MinDelta: -0.1}, "min-delta -0.1: want a finite number >= 0"},
		{EarlyStop{Patience: 1, MinDelta: math.NaN()}, "min-delta NaN"},
		{EarlyStop{Patience: 1, MinDelta: math.Inf(1)}, "min-delta +Inf"},
		{EarlyStop{Patience: 1, BestEpoch: 5, Epoch: 3}, "inconsistent"},
		{EarlyStop{Patience: 1, BestEpoch: 2, Epoch: 3, Waited: 2}, "inconsistent"},
		{EarlyStop{Patience: 1, BestEpoch: 1, Epoch: 1, BestLoss: math.Inf(1)}, "best loss +Inf"},
	} {
		if err := tc.s.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%+v) = %v, want %q", tc.s, err, tc.want)
		}
	}
	if _, err := NewEarlyStop(0, 0); err == nil || !strings.Contains(err.Error(), "patience 0") {
		t.Errorf("NewEarlyStop(0, 0): %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Observe of an epoch already observed did not panic")
		}
	}()
	s, _ := NewEarlyStop(2, 0)
	s.Observe(1, 1)
	s.Observe(1, 1)
}
