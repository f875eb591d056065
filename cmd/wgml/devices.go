package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/gpu"
)

// cmdDevices lists the WebGPU adapters, the cpu backend's kernel and the
// backend --backend auto picks.
func cmdDevices(args []string, out, errOut io.Writer) error {
	fs := newFlags("devices", "devices", out, errOut)
	if err := parse(fs, args); err != nil {
		return err
	}
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

func bytesString(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d B", n)
}
