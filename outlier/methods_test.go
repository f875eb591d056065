package outlier

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestParseMethod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Method
	}{
		{"quantile", Method{Kind: ByQuantile}},
		{"mad", Method{Kind: ByMAD}},
		{"max-f1", Method{Kind: ByMaxF1}},
		{"fpr:0.05", Method{Kind: ByFPR, Rate: 0.05}},
		{"fpr:0", Method{Kind: ByFPR}},
		{"fpr:0.999", Method{Kind: ByFPR, Rate: 0.999}},
	} {
		got, err := ParseMethod(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseMethod(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if s := got.String(); s != tc.in {
			t.Errorf("ParseMethod(%q).String() = %q", tc.in, s)
		}
		if again, _ := ParseMethod(got.String()); again != got {
			t.Errorf("%q does not round-trip: %+v", tc.in, again)
		}
		var back struct{ M Method }
		if b, err := json.Marshal(struct{ M Method }{got}); err != nil || json.Unmarshal(b, &back) != nil || back.M != got {
			t.Errorf("%q through JSON %s: %+v", tc.in, b, back.M)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"fpr:2", "want fpr:X with X a false-positive rate in [0, 1)"},
		{"fpr:1", "in [0, 1)"},
		{"fpr:-0.1", "in [0, 1)"},
		{"fpr:NaN", "in [0, 1)"},
		{"fpr:", "in [0, 1)"},
		{"fpr", "in [0, 1)"},
		{"fpr:abc", "in [0, 1)"},
		{"mad:3", "mad takes no argument"},
		{"median", `threshold-method "median": want quantile, mad, max-f1 or fpr:X`},
		{"", "want quantile, mad, max-f1 or fpr:X"},
		{"MAD", "want quantile"},
	} {
		_, err := ParseMethod(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseMethod(%q) error %v, want one containing %q", tc.in, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseMethod(%q) error spans lines: %q", tc.in, err)
		}
	}
}

func TestMethodBadJSON(t *testing.T) {
	var m Method
	if err := json.Unmarshal([]byte(`"fpr:2"`), &m); err == nil || !strings.Contains(err.Error(), "in [0, 1)") {
		t.Errorf("fpr:2 in JSON: %v", err)
	}
}

func TestNeedsLabels(t *testing.T) {
	for k, want := range map[Kind]bool{ByQuantile: false, ByMAD: false, ByMaxF1: true, ByFPR: true} {
		if got := (Method{Kind: k}).NeedsLabels(); got != want {
			t.Errorf("%s.NeedsLabels() = %v", k, got)
		}
	}
}

func TestMADThreshold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []float64
		k      float64
		want   float64
	}{
		// median 3; |s-3| = 2,1,0,1,97, their median 1: 3 + 3·1.4826·1
		{"odd, one far outlier", []float64{4, 100, 1, 3, 2}, 3, 3 + 3*1.482602218505602},
		// median 2.5; |s-2.5| = 1.5,.5,.5,1.5, their median 1
		{"even", []float64{1, 2, 3, 4}, 3, 2.5 + 3*1.482602218505602},
		{"k 0 is the median", []float64{1, 2, 3, 4}, 0, 2.5},
		{"k 2", []float64{4, 100, 1, 3, 2}, 2, 3 + 2*1.482602218505602},
		{"constant: MAD 0", []float64{5, 5, 5}, 3, 5},
		{"one score", []float64{7}, 3, 7},
		// median 2; |s-2| = 1,0,0,0,8 → median 0: ties at the median
		{"ties at the median", []float64{1, 2, 2, 2, 10}, 3, 2},
	} {
		got, err := MADThreshold(tc.scores, tc.k)
		if err != nil || math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%s: MADThreshold = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		scores []float64
		k      float64
		want   string
	}{
		{nil, 3, "no scores"},
		{[]float64{1, math.NaN()}, 3, "score 1 is NaN"},
		{[]float64{1, math.Inf(1)}, 3, "score 1 is +Inf"},
		{[]float64{1, 2}, -1, "mad-k -1: want a finite number >= 0"},
		{[]float64{1, 2}, math.Inf(1), "mad-k +Inf"},
		{[]float64{1, 2}, math.NaN(), "mad-k NaN"},
	} {
		if _, err := MADThreshold(tc.scores, tc.k); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MADThreshold(%v, %v) error %v, want %q", tc.scores, tc.k, err, tc.want)
		}
	}
}

func TestMaxF1Threshold(t *testing.T) {
	below := func(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
	for _, tc := range []struct {
		name     string
		scores   []float64
		positive []bool
		want, f1 float64
	}{
		// cuts from the top: {6} 2/4, {5,6} 4/5, {4..6} 4/6, {3..6} 6/7, {2..6} 6/8, all 6/9
		{"best inside", []float64{1, 2, 3, 4, 5, 6}, []bool{false, false, true, false, true, true}, 2.5, 6.0 / 7},
		// unordered input: the same rows shuffled
		{"unsorted", []float64{4, 1, 6, 3, 2, 5}, []bool{false, false, true, true, false, true}, 2.5, 6.0 / 7},
		// the cut may not split the two 2s (splitting would give F1 1): {3} 2/3, {2,2,3} 4/5, all 4/6
		{"ties stay together", []float64{1, 2, 2, 3}, []bool{false, false, true, true}, 1.5, 0.8},
		// {4} and all rows both give 2/3: keep the higher threshold
		{"equal F1 keeps the higher", []float64{1, 2, 3, 4}, []bool{true, false, false, true}, 3.5, 2.0 / 3},
		{"all outliers: flag all", []float64{1, 2}, []bool{true, true}, below(1), 1},
		{"constant scores: flag all", []float64{5, 5, 5}, []bool{true, false, true}, below(5), 0.8},
		{"perfect split", []float64{0.1, 0.2, 0.9, 1.0}, []bool{false, false, true, true}, 0.55, 1},
	} {
		got, f1, err := MaxF1Threshold(tc.scores, tc.positive)
		if err != nil || math.Abs(got-tc.want) > 1e-15 || math.Abs(f1-tc.f1) > 1e-15 {
			t.Errorf("%s: MaxF1Threshold = %v (F1 %v), %v; want %v (F1 %v)", tc.name, got, f1, err, tc.want, tc.f1)
			continue
		}
		c, _ := At(tc.scores, tc.positive, got)
		if c.F1() != f1 {
			t.Errorf("%s: F1 at the threshold is %v, MaxF1Threshold said %v", tc.name, c.F1(), f1)
		}
	}
	for _, tc := range []struct {
		scores   []float64
		positive []bool
		want     string
	}{
		{[]float64{1, 2}, nil, "max-f1: needs labelled rows"},
		{[]float64{1, 2}, []bool{false, false}, "max-f1: no outlier rows among the 2 labelled rows"},
		{[]float64{1, 2}, []bool{true}, "max-f1: 2 scores but 1 labels"},
		{[]float64{1, math.NaN()}, []bool{true, false}, "max-f1: score 1 is NaN"},
	} {
		if _, _, err := MaxF1Threshold(tc.scores, tc.positive); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MaxF1Threshold(%v, %v) error %v, want %q", tc.scores, tc.positive, err, tc.want)
		}
	}
}

func TestFPRThreshold(t *testing.T) {
	normal := func(n int) ([]float64, []bool) { // scores 1..n, all normal
		s := make([]float64, n)
		for i := range s {
			s[i] = float64(i + 1)
		}
		return s, make([]bool, n)
	}
	s10, p10 := normal(10)
	s10 = append(s10, 11, 5.5) // two outliers
	p10 = append(p10, true, true)
	s100, p100 := normal(100)
	for _, tc := range []struct {
		name     string
		scores   []float64
		positive []bool
		rate     float64
		want     float64
	}{
		{"0.2 of 10: flag normals 9, 10", s10, p10, 0.2, 8.5},
		{"0: flag no normal", s10, p10, 0, 10.5},
		{"0.05 of 10 rounds down to 0", s10, p10, 0.05, 10.5},
		{"0.99 of 10: flag 9 normals", s10, p10, 0.99, 1.5},
		{"0.29 of 100 is 29, not 28", s100, p100, 0.29, 71.5},
		// the top run holds two normal rows, more than the one allowed: flag none
		{"ties stay together", []float64{1, 2, 3, 3}, []bool{false, false, false, false}, 0.25, 3},
		{"constant scores", []float64{4, 4, 4}, []bool{false, true, false}, 0.5, 4},
	} {
		got, err := FPRThreshold(tc.scores, tc.positive, tc.rate)
		if err != nil || got != tc.want {
			t.Errorf("%s: FPRThreshold = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		positive []bool
		rate     float64
		want     string
	}{
		{[]bool{false, true}, 1, "fpr 1: want a false-positive rate in [0, 1)"},
		{[]bool{false, true}, -0.5, "fpr -0.5"},
		{nil, 0.1, "fpr: needs labelled rows"},
		{[]bool{true, true}, 0.1, "fpr: no normal rows among the 2 labelled rows"},
	} {
		if _, err := FPRThreshold([]float64{1, 2}, tc.positive, tc.rate); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FPRThreshold(%v, %v) error %v, want %q", tc.positive, tc.rate, err, tc.want)
		}
	}
}

// TestThresholdsAgainstBruteForce checks both labelled methods on random
// integer scores (many ties) against every threshold a brute force tries:
// each distinct score and one below the lowest.
func TestThresholdsAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + r.IntN(30)
		scores, positive := make([]float64, n), make([]bool, n)
		for i := range scores {
			scores[i] = float64(r.IntN(8))
			positive[i] = r.IntN(3) == 0
		}
		cands := slices.Clone(scores)
		slices.Sort(cands)
		cands = append([]float64{cands[0] - 1}, slices.Compact(cands)...)
		var nPos int
		for _, p := range positive {
			if p {
				nPos++
			}
		}
		if nPos > 0 {
			th, f1, err := MaxF1Threshold(scores, positive)
			if err != nil {
				t.Fatal(err)
			}
			best := 0.0
			for _, c := range cands {
				cf, _ := At(scores, positive, c)
				best = max(best, cf.F1())
			}
			if got, _ := At(scores, positive, th); f1 != best || got.F1() != best {
				t.Errorf("trial %d: max-f1 %v at %v (F1 there %v), brute force %v", trial, f1, th, got.F1(), best)
			}
		}
		if nPos < n {
			rate := r.Float64() * 0.99
			th, err := FPRThreshold(scores, positive, rate)
			if err != nil {
				t.Fatal(err)
			}
			// the lowest candidate whose FPR is within rate flags the same rows
			var want Confusion
			for _, c := range slices.Backward(cands) {
				cf, _ := At(scores, positive, c)
				if cf.FPR() > rate+1e-12 {
					break
				}
				want = cf
			}
			if got, _ := At(scores, positive, th); got != want {
				t.Errorf("trial %d: fpr %v at %v flags %+v, brute force %+v", trial, rate, th, got, want)
			}
		}
	}
}

// TestMethodFit: Fit is the one switch from a method to its threshold:
// each kind answers with its own function's threshold (mad with
// DefaultMADK where k is 0, fpr with its rate, quantile with the
// contamination given), and the five answers differ, so a method taken
// for another, or an argument dropped, shows.
func TestMethodFit(t *testing.T) {
	scores := []float64{0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.05, 0.6, 0.3, 0.7, 0.15, 0.5}
	positive := []bool{false, false, true, true, false, true, false, false, false, true, false, false}
	mad3, _ := MADThreshold(scores, DefaultMADK)
	mad1, _ := MADThreshold(scores, 1)
	f1, _, _ := MaxF1Threshold(scores, positive)
	fpr, _ := FPRThreshold(scores, positive, 0.25)
	q, _ := Quantile(scores, 0.3)
	for _, c := range []struct {
		m    Method
		madK float64
		want float64
	}{
		{Method{Kind: ByMAD}, 0, mad3},
		{Method{Kind: ByMAD}, 1, mad1},
		{Method{Kind: ByMaxF1}, 0, f1},
		{Method{Kind: ByFPR, Rate: 0.25}, 0, fpr},
		{Method{Kind: ByQuantile}, 0, q},
	} {
		got, err := c.m.Fit(scores, positive, 0.3, c.madK)
		if err != nil || got != c.want {
			t.Errorf("%s (mad-k %v).Fit = %v, %v; want %v", c.m, c.madK, got, err, c.want)
		}
	}
	all := []float64{mad3, mad1, f1, fpr, q}
	for i, a := range all {
		if slices.Contains(all[i+1:], a) {
			t.Fatalf("thresholds %v: two methods agree, the test has no power", all)
		}
	}
}
