// Package backends links the backends wgml ships into a program and
// chooses among them, in the style of gomlx's backends/default: importing
// it registers cpu and gpu with nn's registry (nn.Register), and Open opens
// any registered name, or "auto": the gpu backend on a hardware adapter,
// else cpu.
//
// Library users who want no cgo keep to the cpu backend (the wgml
// package's default) and do not import this package.
package backends

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/gpu"
	"github.com/wgml/wgml/nn"
)

// Auto is the name that picks a backend for this machine (see Open).
const Auto = "auto"

// preferred orders the registered names: the one auto tries first, then
// the fallback.
var preferred = []string{"gpu", "cpu"}

// Names are the names Open takes: Auto, then the registered backends,
// those auto chooses among first.
func Names() []string {
	names := []string{Auto}
	reg := nn.Backends()
	for _, p := range preferred {
		if slices.Contains(reg, p) {
			names = append(names, p)
		}
	}
	for _, n := range reg {
		if !slices.Contains(preferred, n) {
			names = append(names, n)
		}
	}
	return names
}

// UnknownError is Open's answer for a name that is neither Auto nor
// registered.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	names := Names()
	return fmt.Sprintf("backend %q: want %s or %s", e.Name, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// Open opens the backend registered under name, or for Auto the gpu
// backend on a hardware adapter and otherwise cpu; why says which Auto
// took and why ("" for a name given).
func Open(name string) (b nn.Backend, why string, err error) {
	if name == Auto {
		b, why = auto()
		return b, why, nil
	}
	if !slices.Contains(nn.Backends(), name) {
		return nil, "", &UnknownError{name}
	}
	if b, err = nn.Open(name); err != nil {
		return nil, "", fmt.Errorf("backend %s: %w", name, err)
	}
	return b, "", nil
}

// auto opens the gpu backend on a hardware adapter, or the cpu backend
// where there is only a software adapter or none (or the device cannot be
// created), saying which and why.
func auto() (nn.Backend, string) {
	choice, reason, err := gpu.Auto()
	if err != nil {
		return cpu.New(), fmt.Sprintf("using cpu: WebGPU failed: %v", err)
	}
	if choice == nil {
		return cpu.New(), "using cpu: " + reason
	}
	b, err := gpu.New(gpu.Options{AdapterIndex: choice.Index})
	if err != nil {
		return cpu.New(), fmt.Sprintf("using cpu: %s: %v", choice, err)
	}
	return b, "using gpu on " + reason
}
