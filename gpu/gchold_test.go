package gpu

import (
	"runtime/debug"
	"testing"
)

// TestReadUnderGCPressure reads a tensor back many times while another
// goroutine allocates fast enough to start a collection every few hundred
// kilobytes: a collection between MapAsync and the Poll that calls its
// callback would free the binding's handle variable and panic inside Poll
// (see mapStaging). It allocates rather than calling runtime.GC: holdGC
// stops the collections the pacer starts, not an explicit runtime.GC in
// another goroutine, which can still land in that window (the binding's
// own bug, fixed upstream by passing the handle by value).
func TestReadUnderGCPressure(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(5)) // a collection every ~5% of heap growth
	b := openBackend(t)
	x, err := b.Alloc(3, 5)
	if err != nil {
		t.Fatal(err)
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		var keep [][]byte
		for {
			select {
			case <-done:
				return
			default:
			}
			for range 64 {
				keep = append(keep, make([]byte, 4<<10))
			}
			keep = keep[:0]
		}
	}()
	want := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	got := make([]float32, len(want))
	for i := range 2000 {
		want[i%len(want)] = float32(i)
		b.Upload(x, want)
		if err := b.Read(x, got); err != nil {
			t.Fatal(err)
		}
		if got[i%len(want)] != want[i%len(want)] {
			t.Fatalf("read %d: got %v, want %v", i, got, want)
		}
	}
	close(done)
	<-stopped
}

// TestHoldGCNests stops collection while any hold is outstanding and
// restores the caller's GC percentage when the last is released.
func TestHoldGCNests(t *testing.T) {
	prev := debug.SetGCPercent(73)
	defer debug.SetGCPercent(prev)
	r1 := holdGC()
	r2 := holdGC()
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Fatalf("GC percent %d during two holds, want -1", p)
	}
	r1()
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Fatalf("GC percent %d during one hold, want -1", p)
	}
	r2()
	if p := debug.SetGCPercent(73); p != 73 {
		t.Fatalf("GC percent %d after the holds, want 73 restored", p)
	}
}
