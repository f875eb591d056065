package backends

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// WriteDevices writes to out what this machine offers: each WebGPU
// adapter with its limits, the cpu backend's kernel, and the backend Auto
// picks and why.
func WriteDevices(out io.Writer) error {
	infos, err := gpu.Adapters()
	if err != nil && !errors.Is(err, gpu.ErrNoAdapter) {
		return err
	}
	if len(infos) == 0 {
		fmt.Fprintln(out, "no WebGPU adapter found")
	}
	for _, a := range infos {
		fmt.Fprintf(out, "%d: %s\n   api %s, type %s, vendor %s, device %s", a.Index, a.Name, a.Backend, a.Type, a.Vendor, a.DeviceID)
		if a.Driver != "" {
			fmt.Fprintf(out, ", driver %s", a.Driver)
		}
		fmt.Fprintf(out, "\n   max storage binding %s, max buffer %s, workgroup storage %d KiB\n",
			bytesString(a.MaxStorageBinding), bytesString(a.MaxBuffer), a.MaxWorkgroupStorage/1024)
	}
	fmt.Fprintf(out, "cpu: %s\n", cpu.New().Device())
	switch choice, reason := gpu.Choose(infos); {
	case choice == nil:
		fmt.Fprintf(out, "auto: cpu, because %s\n", reason)
	default:
		fmt.Fprintf(out, "auto: gpu adapter %d, %s\n", choice.Index, reason)
	}
	return nil
}

// bytesString writes n bytes in GiB, MiB or bytes.
func bytesString(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d B", n)
}

// List reads a comma-separated list of registered backend names (e.g.
// "cpu,gpu"), each once, in its order.
func List(s string) ([]string, error) {
	var names []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if reg := nn.Backends(); !slices.Contains(reg, n) {
			return nil, fmt.Errorf("backends %q: %q is not %s", s, n, strings.Join(reg, " or "))
		}
		if slices.Contains(names, n) {
			return nil, fmt.Errorf("backends %q: %s is named twice", s, n)
		}
		names = append(names, n)
	}
	return names, nil
}
