// Package gputest opens the gpu backend for the tests of packages above
// it, by the project's rule: a test skips only where no adapter exists and
// WGML_REQUIRE_GPU is unset (CI sets it, so a missing lavapipe fails).
package gputest

import (
	"errors"
	"os"
	"testing"

	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// Open opens the gpu backend (nn.Open("gpu")), released when the test
// ends; it skips t where no adapter exists and WGML_REQUIRE_GPU is unset,
// and fails it on any other error.
func Open(t testing.TB) nn.Backend {
	t.Helper()
	b, err := nn.Open("gpu")
	if errors.Is(err, gpu.ErrNoAdapter) && os.Getenv("WGML_REQUIRE_GPU") == "" {
		t.Skipf("gpu: %v (set WGML_REQUIRE_GPU=1 to make this a failure)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Release)
	return b
}
