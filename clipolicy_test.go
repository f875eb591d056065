package wgml

import (
	"errors"
	"testing"
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
