package gpu

import (
	"strings"
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

// TestModelRelease: load, run and release cycles give their device memory
// back (the allocation counter returns to its level) and leave no cached
// bind group behind.
func TestModelRelease(t *testing.T) {
	backendtest.RunRelease(t, func(t *testing.T) nn.Backend {
		b := openBackend(t)
		t.Cleanup(func() { // before openBackend's Release
			for k := range b.dispatches {
				for _, bd := range k.bind {
					if bd.buf != nil && bd.buf.b == nil {
						t.Errorf("a cached %v dispatch binds a freed buffer", k.k.id)
					}
				}
			}
		})
		return b
	})
}

// TestFree: freeing a tensor twice is harmless, a freed tensor panics
// when used, naming it, and a view cannot be freed.
func TestFree(t *testing.T) {
	b := openBackend(t)
	x, err := b.Alloc(3, 5)
	if err != nil {
		t.Fatal(err)
	}
	v := b.View(x, 0, 1, 5)
	level := b.Counters().BytesAllocated
	if msg := panicOf(func() { b.Free(v) }); !strings.Contains(msg, "view") {
		t.Errorf("Free of a view: panic %q", msg)
	}
	b.Free(x)
	b.Free(x)
	if got := b.Counters().BytesAllocated; got != level-60 {
		t.Errorf("%d bytes allocated after freeing a (3,5) tensor, want %d", got, level-60)
	}
	if msg := panicOf(func() { b.Upload(x, make([]float32, 15)) }); !strings.Contains(msg, "(3,5) tensor used after Free") {
		t.Errorf("Upload to a freed tensor: panic %q", msg)
	}
}

// panicOf returns what f panics with, "" if it returns.
func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(string)
		}
	}()
	f()
	return ""
}
