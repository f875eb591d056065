package cpu_test

import (
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/nn/backendtest"
)

// TestConformance runs the conformance suite with each kernel forced; a
// kernel this CPU cannot run is skipped, saying why.
func TestConformance(t *testing.T) {
	for _, name := range cpu.Kernels() {
		t.Run(name, func(t *testing.T) {
			if _, err := cpu.NewKernel(name); err != nil {
				t.Skip(err)
			}
			backendtest.Run(t, func(t *testing.T) nn.Backend {
				b, err := cpu.NewKernel(name)
				if err != nil {
					t.Fatal(err)
				}
				return b
			})
		})
	}
}

// TestKernelEnv: WGML_CPU_KERNEL picks the kernel New and nn.Open use, and
// Device names it; a bad value is an error from Open and a note in Device.
func TestKernelEnv(t *testing.T) {
	t.Setenv("WGML_CPU_KERNEL", "generic")
	if b := cpu.New(); b.Kernel() != "generic" || !strings.Contains(b.Device(), "generic") {
		t.Errorf("WGML_CPU_KERNEL=generic: Kernel() = %q, Device() = %q", b.Kernel(), b.Device())
	}
	t.Setenv("WGML_CPU_KERNEL", "nosuch")
	if _, err := nn.Open("cpu"); err == nil || !strings.Contains(err.Error(), "WGML_CPU_KERNEL=nosuch") {
		t.Errorf("nn.Open(cpu) with WGML_CPU_KERNEL=nosuch: err = %v", err)
	}
	if d := cpu.New().Device(); !strings.Contains(d, "nosuch") {
		t.Errorf("Device() = %q, want a note of the ignored WGML_CPU_KERNEL", d)
	}
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
