package nn

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Schedule is a learning-rate schedule: the factor Factor gives multiplies
// Adam's base LR. Kind is one of
//
//	constant          1
//	cosine            ½·(1 + cos(π·t/T)), t the step, T = epochs·steps per epoch
//	                  (PyTorch's CosineAnnealingLR to 0)
//	step:EVERY:GAMMA  GAMMA^⌊e/EVERY⌋, e the 0-based epoch (PyTorch's StepLR)
//
// and Warmup > 0 ramps the factor linearly up over the first Warmup epochs,
// (t+1)/(Warmup·steps per epoch), as the KL warm-up does; cosine then
// anneals over the steps after the warm-up (Hugging Face's
// get_cosine_schedule_with_warmup), step decays from epoch 0 as without it.
// The Trainer steps it once per epoch (Factor(epoch-1, 1, epochs): a "step"
// is an epoch; see validation.go), so the LR changes at most once an epoch.
// The zero Schedule is constant, and the only constant kind: ParseSchedule
// gives Kind "" for constant, so equal schedules compare equal. The factor
// depends on the step count alone, so a run resumed from a checkpoint
// (which restores the step and epoch) continues the schedule exactly, given
// the same total epochs.
//
// The text form, which ParseSchedule reads and String writes, is the kind
// followed by ",warmup:EPOCHS" when Warmup > 0: "cosine,warmup:5".
type Schedule struct {
	Kind   ScheduleKind
	Every  int     // step: epochs between decays, >= 1
	Gamma  float64 // step: factor per decay, in (0, 1]
	Warmup int     // epochs of linear warm-up; 0: none
}

// ScheduleKind names a learning-rate schedule.
type ScheduleKind string

const (
	ScheduleConstant ScheduleKind = "constant"
	ScheduleCosine   ScheduleKind = "cosine"
	ScheduleStep     ScheduleKind = "step"
)

// Factor is the LR factor of the training step that follows step steps
// (0-based: the first step of a run is step 0), for an epoch of
// stepsPerEpoch steps and a run of epochs epochs. Past the last step cosine
// stays at 0; a warm-up of epochs or more never reaches the cosine.
func (s Schedule) Factor(step, stepsPerEpoch, epochs int) float64 {
	stepsPerEpoch = max(stepsPerEpoch, 1)
	warm := s.Warmup * stepsPerEpoch
	ramp := 1.0
	if step < warm {
		ramp = float64(step+1) / float64(warm)
	}
	switch s.Kind {
	case ScheduleCosine:
		if step < warm {
			return ramp
		}
		span := epochs*stepsPerEpoch - warm
		if span <= 0 {
			return 1
		}
		p := min(float64(step-warm)/float64(span), 1)
		return 0.5 * (1 + math.Cos(math.Pi*p))
	case ScheduleStep:
		return ramp * math.Pow(s.Gamma, float64(step/stepsPerEpoch/max(s.Every, 1)))
	}
	return ramp
}

// ParseSchedule reads constant, cosine or step:EVERY:GAMMA, each optionally
// followed by ",warmup:EPOCHS" (see Schedule). "" is constant.
func ParseSchedule(text string) (Schedule, error) {
	bad := func(why string) (Schedule, error) {
		return Schedule{}, fmt.Errorf("lr-schedule %q: %s", text, why)
	}
	head, warm, hasWarm := strings.Cut(text, ",")
	var s Schedule
	if hasWarm {
		n, ok := strings.CutPrefix(warm, "warmup:")
		w, err := strconv.Atoi(n)
		if !ok || err != nil || w < 1 {
			return bad("want KIND,warmup:EPOCHS with EPOCHS a whole number >= 1, e.g. cosine,warmup:5")
		}
		s.Warmup = w
	}
	kind, args, _ := strings.Cut(head, ":")
	switch k := ScheduleKind(kind); k {
	case "":
		if text != "" {
			return bad("want constant, cosine or step:EPOCHS:GAMMA before ,warmup")
		}
		return Schedule{}, nil
	case ScheduleConstant, ScheduleCosine:
		if strings.Contains(head, ":") {
			return bad(kind + " takes no argument")
		}
		if k == ScheduleCosine {
			s.Kind = k
		}
		return s, nil
	case ScheduleStep:
		e, g, ok := strings.Cut(args, ":")
		every, err1 := strconv.Atoi(e)
		gamma, err2 := strconv.ParseFloat(g, 64)
		if !ok || err1 != nil || err2 != nil || every < 1 || !(gamma > 0 && gamma <= 1) {
			return bad("want step:EPOCHS:GAMMA with EPOCHS a whole number >= 1 and GAMMA in (0, 1], e.g. step:30:0.1")
		}
		s.Kind, s.Every, s.Gamma = ScheduleStep, every, gamma
		return s, nil
	}
	return bad("want constant, cosine or step:EPOCHS:GAMMA")
}

// Check reports a warm-up that does not end before a run of epochs epochs.
func (s Schedule) Check(epochs int) error {
	if s.Warmup >= epochs && s.Warmup > 0 {
		return fmt.Errorf("lr-schedule %q: a warm-up of %d epochs: want fewer than the run's %d", s.String(), s.Warmup, epochs)
	}
	return nil
}

// String is the schedule as ParseSchedule reads it.
func (s Schedule) String() string {
	var b strings.Builder
	switch s.Kind {
	case "", ScheduleConstant:
		b.WriteString(string(ScheduleConstant))
	case ScheduleStep:
		fmt.Fprintf(&b, "step:%d:%s", s.Every, strconv.FormatFloat(s.Gamma, 'g', -1, 64))
	default:
		b.WriteString(string(s.Kind))
	}
	if s.Warmup > 0 {
		fmt.Fprintf(&b, ",warmup:%d", s.Warmup)
	}
	return b.String()
}

// MarshalText writes String, so a Schedule is one JSON string.
func (s Schedule) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what ParseSchedule reads.
func (s *Schedule) UnmarshalText(text []byte) error {
	p, err := ParseSchedule(string(text))
	if err != nil {
		return err
	}
	*s = p
	return nil
}
