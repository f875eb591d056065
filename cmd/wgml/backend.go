package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// addBackendFlag registers --backend on fs.
func addBackendFlag(fs *pflag.FlagSet) *string {
	return fs.String("backend", "auto", "where to compute: auto (a hardware GPU if one exists, else cpu), gpu (any WebGPU adapter, software ones included) or cpu")
}

// openBackend opens the backend a --backend value names. auto takes a
// hardware GPU adapter and otherwise falls back to cpu, saying why on errOut.
func openBackend(name string, errOut io.Writer) (nn.Backend, error) {
	switch name {
	case "cpu":
		return cpu.New(), nil
	case "gpu":
		b, err := nn.Open("gpu")
		if err != nil {
			return nil, fmt.Errorf("backend gpu: %w", err)
		}
		return b, nil
	case "auto":
		return autoBackend(errOut)
	}
	return nil, usagef("backend %q: want auto, gpu or cpu", name)
}
