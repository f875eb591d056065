package cpu

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/wgml/wgml/internal/gemm"
)

// The matrix products of a Backend run on one of these, chosen when it is
// made: a kernel of internal/gemm (packed panels, SIMD micro-kernels, bias
// and activation fused into the tile store) by name, or "blas32", gonum's
// blas32 (pure Go), kept as the portable
// baseline the kernels are measured against.
const blasKernel = "blas32"

// Kernels lists the names WGML_CPU_KERNEL and NewKernel accept on this
// platform, fastest first; a kernel this CPU lacks is listed but fails
// NewKernel, saying why.
func Kernels() []string { return append(gemm.Names(), blasKernel) }

// NewKernel returns a backend whose products run on the named kernel (see
// Kernels), or an error naming why this machine cannot run it.
func NewKernel(name string) (*Backend, error) {
	if name == blasKernel {
		return &Backend{}, nil
	}
	k, err := gemm.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("cpu: %w", err)
	}
	return &Backend{kern: k}, nil
}

// fromEnv returns the backend WGML_CPU_KERNEL asks for, or the default
// (the best gemm kernel), with an error when
// the variable names no kernel this machine runs.
func fromEnv() (*Backend, error) {
	name := os.Getenv(gemm.EnvKernel)
	if name == "" {
		return &Backend{kern: gemm.Best()}, nil
	}
	b, err := NewKernel(name)
	if err != nil {
		if !slices.Contains(Kernels(), name) {
			err = fmt.Errorf("cpu: %s=%s: unknown kernel (want one of %s)", gemm.EnvKernel, name, strings.Join(Kernels(), ", "))
		} else {
			err = fmt.Errorf("cpu: %s=%s: %w", gemm.EnvKernel, name, err)
		}
		return &Backend{kern: gemm.Best()}, err
	}
	return b, nil
}

// Kernel names the kernel b's products run on (see Kernels).
func (b *Backend) Kernel() string {
	if b.kern == nil {
		return blasKernel
	}
	return b.kern.Name
}

// Device names the kernel in use and the threads it may use, e.g.
// "gemm avx512 8x32, GOMAXPROCS=2", and a WGML_CPU_KERNEL value it ignored.
func (b *Backend) Device() string {
	var s string
	if b.kern == nil {
		s = blasName()
	} else {
		s = fmt.Sprintf("gemm %v, GOMAXPROCS=%d", b.kern, runtime.GOMAXPROCS(0))
	}
	if b.envErr != nil {
		s += " (" + b.envErr.Error() + "; using the default)"
	}
	return s
}
