package cpu_test

import (
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

func TestConformance(t *testing.T) {
	backendtest.Run(t, func(*testing.T) nn.Backend { return cpu.New() })
}

func TestRegistered(t *testing.T) {
	b, err := nn.Open("cpu")
	if err != nil {
		t.Fatal(err)
	}
	if b.Name() != "cpu" || b.Device() == "" {
		t.Errorf("Name() = %q, Device() = %q", b.Name(), b.Device())
	}
}
