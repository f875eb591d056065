package wgml

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestReleaseLoaded: a loaded model, released (twice), answers
// nn.ErrReleased from Score and Encode, and keeps its threshold.
func TestReleaseLoaded(t *testing.T) {
	rows := plane(rand.New(rand.NewPCG(5, 6)), 64)
	m, err := Fit(rows, Options{Layers: []int{4, 2}, Epochs: 1, Batch: 32})
	if err != nil {
		t.Fatal(err)
	}
	l := saveLoad(t, m)
	if _, err := l.Score(rows); err != nil {
		t.Fatal(err)
	}
	l.Release()
	l.Release()
	if _, err := l.Score(rows); !errors.Is(err, nn.ErrReleased) {
		t.Errorf("Score after Release: %v, want ErrReleased", err)
	}
	if _, err := l.Encode(rows); !errors.Is(err, nn.ErrReleased) {
		t.Errorf("Encode after Release: %v, want ErrReleased", err)
	}
	if l.Threshold != m.Threshold {
		t.Errorf("threshold %v after Release, want %v", l.Threshold, m.Threshold)
	}
}
