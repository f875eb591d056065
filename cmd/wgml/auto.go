package main

import (
	"fmt"
	"io"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// autoBackend opens the gpu backend on a hardware adapter, or the cpu
// backend where there is only a software adapter or none (or the device
// cannot be created), saying which and why on errOut.
func autoBackend(errOut io.Writer) (nn.Backend, error) {
	choice, reason, err := gpu.Auto()
	if err != nil {
		fmt.Fprintf(errOut, "wgml: backend auto: using cpu: WebGPU failed: %v\n", err)
		return cpu.New(), nil
	}
	if choice == nil {
		fmt.Fprintf(errOut, "wgml: backend auto: using cpu: %s\n", reason)
		return cpu.New(), nil
	}
	b, err := gpu.New(gpu.Options{AdapterIndex: choice.Index})
	if err != nil {
		fmt.Fprintf(errOut, "wgml: backend auto: using cpu: %s: %v\n", choice, err)
		return cpu.New(), nil
	}
	fmt.Fprintf(errOut, "wgml: backend auto: using gpu on %s\n", reason)
	return b, nil
}
