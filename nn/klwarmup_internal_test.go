package nn

import "testing"

// TestKLWeightRamp checks the KL warm-up weight at the start, the middle and
// the end of the ramp and past it: Beta·min((step+1)/(KLWarmup·steps per
// epoch), 1), and Beta throughout without a warm-up.
func TestKLWeightRamp(t *testing.T) {
	const beta, epochs, perEpoch = 0.5, 2, 5 // a ramp of 10 steps
	cases := []struct {
		warmup, step int
		want         float32
	}{
		{epochs, 0, beta * 0.1}, // the first step already counts
		{epochs, 4, beta * 0.5}, // the middle
		{epochs, 8, beta * 0.9}, // the last step before the end
		{epochs, 9, beta},       // the end of the ramp
		{epochs, 10, beta},      // past it: held at Beta
		{epochs, 57, beta},      // long past it
		{0, 0, beta},            // no warm-up
		{0, 3, beta},
		{-1, 0, beta},           // a negative warm-up is none
		{1, perEpoch - 1, beta}, // a one-epoch ramp ends with the epoch
		{1, perEpoch / 2, 0.3},  // ... and is (2+1)/5 of the way at step 2
	}
	for _, c := range cases {
		tr := &Trainer{M: &Model{Config: Config{Beta: beta}}, Opt: TrainOptions{KLWarmup: c.warmup}, Step: c.step}
		if got := tr.klWeight(perEpoch); !near(got, c.want) {
			t.Errorf("warm-up %d epochs of %d steps, step %d: weight %v, want %v", c.warmup, perEpoch, c.step, got, c.want)
		}
	}
}

// near reports whether a and b agree to float32 rounding.
func near(a, b float32) bool {
	d := a - b
	return d <= 1e-6 && d >= -1e-6
}
