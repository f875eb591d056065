package cpu

import (
	"fmt"
	"runtime"

	"gonum.org/v1/gonum/blas/blas32"
)

// The matrix products of this package go through gemm, and Device names
// what runs them with blasName: gonum's pure-Go blas32 (which splits large
// products over GOMAXPROCS goroutines itself), unless the openblas build
// tag replaces both (see blas_openblas.go).
var (
	gemm     = blas32.Gemm
	blasName = func() string {
		return fmt.Sprintf("gonum blas32 (GOMAXPROCS=%d)", runtime.GOMAXPROCS(0))
	}
)
