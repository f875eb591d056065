package main

import (
	"fmt"
	"io"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

func autoBackend(errOut io.Writer) (nn.Backend, error) {
	fmt.Fprintln(errOut, "wgml: backend auto: using cpu (no gpu backend in this build)")
	return cpu.New(), nil
}
