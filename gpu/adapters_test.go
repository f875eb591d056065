package gpu

import (
	"fmt"
	"strings"
	"testing"
)

func TestAdapters(t *testing.T) {
	b := openBackend(t)
	infos, err := Adapters()
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range infos {
		t.Logf("%d: %s, max storage binding %d, max buffer %d", i, a, a.MaxStorageBinding, a.MaxBuffer)
		if a.Index != i || a.Name == "" || strings.HasPrefix(a.Name, "0x") {
			t.Errorf("adapter %d: %+v", i, a)
		}
	}
	if got := b.Adapter(); got != infos[0] {
		t.Errorf("BestAdapter opened %+v, Adapters lists %+v first", got, infos[0])
	}
	choice, reason, err := Auto()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("auto: %v (%s)", choice, reason)
	if reason == "" || (choice != nil && choice.Software) || (choice == nil) != infos[0].Software {
		t.Errorf("Auto() = %v, %q with adapters %v", choice, reason, infos)
	}
	if _, err := New(Options{AdapterIndex: len(infos)}); err == nil {
		t.Errorf("New with adapter index %d of %d succeeded", len(infos), len(infos))
	}
}

// TestLimitErrors checks that a tensor larger than one storage binding is
// an error naming its size and the limit, not a panic or a device error.
func TestLimitErrors(t *testing.T) {
	b := openBackend(t)
	lim := b.limits.MaxStorageBufferBindingSize
	cols := 1024
	rows := int(lim/4)/cols + 1
	_, err := b.Alloc(rows, cols)
	want := fmt.Sprint(4 * rows * cols)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), fmt.Sprint(lim)) {
		t.Errorf("Alloc(%d, %d) = %v, want an error naming %s bytes and the limit %d", rows, cols, err, want, lim)
	}
	if _, err := b.AllocIndex(int(lim/4) + 1); err == nil {
		t.Errorf("AllocIndex(%d) beyond the limit succeeded", lim/4+1)
	}
	if err := b.Sync(); err != nil {
		t.Errorf("Sync after refused allocations: %v", err)
	}
}
