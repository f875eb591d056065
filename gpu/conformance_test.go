package gpu

import (
	"testing"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) nn.Backend { return openBackend(t) })
}
