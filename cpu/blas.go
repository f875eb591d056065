package cpu

import (
	"fmt"
	"runtime"

	"gonum.org/v1/gonum/blas/blas32"
)

// A backend on the blas32 kernel runs its products through blasGemm, and
// Device names what runs them with blasName: gonum's pure-Go blas32 (which
// splits large products over GOMAXPROCS goroutines itself), unless the
// openblas build tag replaces both and makes blas32 the default kernel
// (defaultBLAS; see blas_openblas.go).
var (
	blasGemm = blas32.Gemm
	blasName = func() string {
		return fmt.Sprintf("gonum blas32 (GOMAXPROCS=%d)", runtime.GOMAXPROCS(0))
	}
	defaultBLAS = false
)
