package main

import (
	"io"

	"github.com/wgml/wgml/backends"
)

// cmdDevices lists the WebGPU adapters, the cpu backend's kernel and the
// backend --backend auto picks (backends.WriteDevices).
func cmdDevices(args []string, out, errOut io.Writer) error {
	fs := newFlags("devices", "devices", out, errOut)
	if err := parse(fs, args); err != nil {
		return err
	}
	return backends.WriteDevices(out)
}
