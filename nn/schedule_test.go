package nn

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestScheduleFactor(t *testing.T) {
	const spe, epochs = 4, 10 // 40 steps
	cos := func(p float64) float64 { return 0.5 * (1 + math.Cos(math.Pi*p)) }
	for _, tc := range []struct {
		s    string
		step int
		want float64
	}{
		{"constant", 0, 1},
		{"constant", 39, 1},
		{"cosine", 0, 1},
		{"cosine", 20, 0.5}, // halfway
		{"cosine", 10, cos(0.25)},
		{"cosine", 39, cos(39.0 / 40)},
		{"cosine", 40, 0}, // past the end: stays at 0
		{"cosine", 99, 0},
		{"step:3:0.5", 0, 1},
		{"step:3:0.5", 11, 1},     // epoch 2 (0-based)
		{"step:3:0.5", 12, 0.5},   // epoch 3
		{"step:3:0.5", 24, 0.25},  // epoch 6
		{"step:3:0.5", 39, 0.125}, // epoch 9
		{"step:1:0.1", 8, 0.1 * 0.1},
		// warm-up of 2 epochs = 8 steps: (t+1)/8
		{"constant,warmup:2", 0, 1.0 / 8},
		{"constant,warmup:2", 3, 0.5},
		{"constant,warmup:2", 7, 1},
		{"constant,warmup:2", 8, 1},
		{"cosine,warmup:2", 7, 1},
		{"cosine,warmup:2", 8, 1},               // the cosine starts after the warm-up
		{"cosine,warmup:2", 8 + 16, 0.5},        // halfway through the 32 steps left
		{"cosine,warmup:2", 39, cos(31.0 / 32)}, // last step
		{"step:3:0.5,warmup:2", 1, 2.0 / 8},
		{"step:1:0.5,warmup:2", 5, 0.5 * 6.0 / 8}, // epoch 1, still warming
		{"step:1:0.5,warmup:2", 8, 0.25},
	} {
		s, err := ParseSchedule(tc.s)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Factor(tc.step, spe, epochs); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s: Factor(step %d) = %v, want %v", tc.s, tc.step, got, tc.want)
		}
	}
	// degenerate shapes: no panic, sensible factors
	if f := (Schedule{Kind: ScheduleCosine, Warmup: 10}).Factor(50, 4, 10); f != 1 {
		t.Errorf("cosine with a warm-up as long as the run: factor %v after it, want 1", f)
	}
	if f := (Schedule{Kind: ScheduleStep, Every: 1, Gamma: 0.5}).Factor(3, 0, 10); f != 0.125 {
		t.Errorf("step with 0 steps per epoch (taken as 1): factor %v, want 0.125", f)
	}
	if f := (Schedule{}).Factor(5, 4, 10); f != 1 {
		t.Errorf("zero Schedule: factor %v, want 1", f)
	}
}

// TestScheduleResume checks that the factor of every step of a run is the
// same whether the run is taken at once or stopped and resumed mid-epoch:
// it is a function of the step count, which the checkpoint keeps.
func TestScheduleResume(t *testing.T) {
	for _, text := range []string{"cosine,warmup:1", "step:2:0.3"} {
		s, _ := ParseSchedule(text)
		const spe, epochs = 7, 5
		var whole []float64
		for step := range spe * epochs {
			whole = append(whole, s.Factor(step, spe, epochs))
		}
		var again Schedule // the schedule comes back from the checkpoint's JSON
		b, _ := json.Marshal(s)
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatal(err)
		}
		for step := 17; step < spe*epochs; step++ {
			if f := again.Factor(step, spe, epochs); f != whole[step] {
				t.Errorf("%s: resumed step %d factor %v, straight run %v", text, step, f, whole[step])
			}
		}
	}
}

func TestParseSchedule(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Schedule
		out  string
	}{
		{"constant", Schedule{}, "constant"},
		{"", Schedule{}, "constant"},
		{"cosine", Schedule{Kind: ScheduleCosine}, "cosine"},
		{"step:30:0.1", Schedule{Kind: ScheduleStep, Every: 30, Gamma: 0.1}, "step:30:0.1"},
		{"step:1:1", Schedule{Kind: ScheduleStep, Every: 1, Gamma: 1}, "step:1:1"},
		{"cosine,warmup:5", Schedule{Kind: ScheduleCosine, Warmup: 5}, "cosine,warmup:5"},
		{"step:10:0.5,warmup:2", Schedule{Kind: ScheduleStep, Every: 10, Gamma: 0.5, Warmup: 2}, "step:10:0.5,warmup:2"},
		{"constant,warmup:3", Schedule{Warmup: 3}, "constant,warmup:3"},
	} {
		got, err := ParseSchedule(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSchedule(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if got.String() != tc.out {
			t.Errorf("ParseSchedule(%q).String() = %q, want %q", tc.in, got.String(), tc.out)
		}
		if again, err := ParseSchedule(got.String()); err != nil || again != got {
			t.Errorf("%q does not round-trip: %+v, %v", tc.in, again, err)
		}
		b, err := json.Marshal(struct{ S Schedule }{got})
		var back struct{ S Schedule }
		if err != nil || json.Unmarshal(b, &back) != nil || back.S != got {
			t.Errorf("%q through JSON %s: %+v", tc.in, b, back.S)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"linear", `lr-schedule "linear": want constant, cosine or step:EPOCHS:GAMMA`},
		{"step", "want step:EPOCHS:GAMMA"},
		{"step:10", "want step:EPOCHS:GAMMA"},
		{"step:0:0.5", "EPOCHS a whole number >= 1"},
		{"step:2.5:0.5", "EPOCHS a whole number >= 1"},
		{"step:10:0", "GAMMA in (0, 1]"},
		{"step:10:1.5", "GAMMA in (0, 1]"},
		{"step:10:NaN", "GAMMA in (0, 1]"},
		{"step:10:0.5:3", "GAMMA in (0, 1]"},
		{"cosine:5", "cosine takes no argument"},
		{"constant:", "constant takes no argument"},
		{"cosine,warmup:0", "EPOCHS a whole number >= 1, e.g. cosine,warmup:5"},
		{"cosine,warmup:x", "warmup:EPOCHS"},
		{"cosine,5", "warmup:EPOCHS"},
		{",warmup:3", "before ,warmup"},
	} {
		_, err := ParseSchedule(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSchedule(%q) error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
	var s Schedule
	if err := json.Unmarshal([]byte(`"step:0:1"`), &s); err == nil {
		t.Error("a bad schedule in JSON unmarshalled")
	}
}

func TestScheduleCheck(t *testing.T) {
	if err := (Schedule{Kind: ScheduleCosine, Warmup: 10}).Check(10); err == nil || !strings.Contains(err.Error(), `lr-schedule "cosine,warmup:10": a warm-up of 10 epochs: want fewer than the run's 10`) {
		t.Errorf("warm-up as long as the run: %v", err)
	}
	for _, s := range []Schedule{{Kind: ScheduleCosine, Warmup: 9}, {Kind: ScheduleCosine}, {}} {
		if err := s.Check(10); err != nil {
			t.Errorf("%s over 10 epochs: %v", s, err)
		}
	}
}
