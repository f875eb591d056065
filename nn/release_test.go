package nn_test

import (
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

// TestModelRelease runs the Release suite on the cpu backend (the gpu's
// runs in package gpu, where device memory is counted).
func TestModelRelease(t *testing.T) {
	backendtest.RunRelease(t, func(t *testing.T) nn.Backend { return cpu.New() })
}
