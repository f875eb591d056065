package main

import (
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
)

// TestDevicesNamesCPUKernel: wgml devices says which cpu kernel the cpu
// backend runs on, as WGML_CPU_KERNEL may force it.
func TestDevicesNamesCPUKernel(t *testing.T) {
	for _, k := range cpu.Kernels() {
		b, err := cpu.NewKernel(k)
		if err != nil {
			t.Logf("kernel %s: %v (skipped)", k, err)
			continue
		}
		stdout, stderr, code := wgmlRunEnv(t, t.TempDir(), []string{"WGML_CPU_KERNEL=" + k}, "devices")
		if code != 0 {
			t.Fatalf("devices with WGML_CPU_KERNEL=%s: exit %d: %s", k, code, stderr)
		}
		if want := "cpu: " + b.Device() + "\n"; !strings.Contains(stdout, want) {
			t.Errorf("devices with WGML_CPU_KERNEL=%s: no line %q in\n%s", k, want, stdout)
		}
	}
}
