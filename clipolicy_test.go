package wgml

import (
	"errors"
	"math"
	"testing"

	"github.com/wgml/wgml/outlier"
)

func TestParseShard(t *testing.T) {
	for s, want := range map[string]Shard{"": {}, "0/1": {0, 1}, "2/3": {2, 3}} {
		if got, err := ParseShard(s); err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"3/3", "-1/2", "0/0", "1", "a/2", "1/b", "1/2/3"} {
		_, err := ParseShard(s)
		var oe *OptionError
		if !errors.As(err, &oe) {
			t.Errorf("ParseShard(%q): %v, want an OptionError", s, err)
		}
	}
}

func TestCompareOptionsCheck(t *testing.T) {
	if err := (CompareOptions{Grid: 2, Steps: 2, Points: 1}).Check(); err != nil {
		t.Errorf("smallest picture refused: %v", err)
	}
	for _, o := range []CompareOptions{{Grid: 1, Steps: 2, Points: 1}, {Grid: 2, Steps: 1, Points: 1}, {Grid: 2, Steps: 2}} {
		if err := o.Check(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestThresholdChoiceRefusesMethodConflicts(t *testing.T) {
	mad, fpr := outlier.Method{Kind: outlier.ByMAD}, outlier.Method{Kind: outlier.ByFPR, Rate: 0.05}
	ok := []ThresholdChoice{
		{Method: mad, MADK: 2, Contamination: 0.01},
		{Method: outlier.Method{Kind: outlier.ByQuantile}, ByValue: true, Value: 1, Contamination: 0.01},
	}
	for _, c := range ok {
		if err := c.Check(); err != nil {
			t.Errorf("%+v refused: %v", c, err)
		}
	}
	bad := []ThresholdChoice{
		{Method: mad, MADK: -1, Contamination: 0.01},
		{Method: mad, MADK: math.Inf(1), Contamination: 0.01},
		{Method: mad, MADK: math.NaN(), Contamination: 0.01},
		{Method: fpr, ByValue: true, Value: 1, Contamination: 0.01},
		{Method: mad, MADK: 2, Refit: true, Contamination: 0.01},
	}
	for _, c := range bad {
		if err := c.Check(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
