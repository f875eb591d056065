package backends

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestOpen opens the cpu backend and auto by name, and refuses an unknown
// name with an UnknownError listing what is registered.
func TestOpen(t *testing.T) {
	names := Names()
	if names[0] != Auto || !slices.Contains(names, "cpu") || !slices.Contains(names, "gpu") {
		t.Fatalf("Names() = %v, want auto first, cpu and gpu registered", names)
	}
	b, why, err := Open("cpu")
	if err != nil || why != "" || b.Name() != "cpu" {
		t.Fatalf("Open(cpu) = %v, %q, %v", b, why, err)
	}
	b.Release()
	b, why, err = Open(Auto)
	if err != nil || !strings.HasPrefix(why, "using "+b.Name()) {
		t.Fatalf("Open(auto) = %v, %q, %v: want a backend and why", b, why, err)
	}
	b.Release()
	_, _, err = Open("tpu")
	var unknown *UnknownError
	if !errors.As(err, &unknown) || err.Error() != `backend "tpu": want auto, gpu or cpu` {
		t.Errorf("Open(tpu): %v", err)
	}
}
