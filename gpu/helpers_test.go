package gpu

import (
	"errors"
	"os"
	"testing"
)

// openBackend opens the best adapter for a test and releases it when the
// test ends. It skips the test only where no adapter exists and
// WGML_REQUIRE_GPU is unset (CI sets it, so a missing lavapipe fails).
func openBackend(t testing.TB) *Backend {
	t.Helper()
	b, err := New(Options{AdapterIndex: BestAdapter})
	if errors.Is(err, ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		t.Skip("no WebGPU adapter (set WGML_REQUIRE_GPU=1 to make this a failure)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Release)
	return b
}
