package cpu

import (
	"fmt"
	"runtime"

	"gonum.org/v1/gonum/blas/blas32"
)

// A backend on the blas32 kernel runs its products through blasGemm,
// gonum's pure-Go blas32 (which splits large products over GOMAXPROCS
// goroutines itself): the portable baseline the gemm kernels are measured
// against.
var blasGemm = blas32.Gemm

// blasName is what Device says runs a blas32 backend's products.
func blasName() string {
	return fmt.Sprintf("gonum blas32 (GOMAXPROCS=%d)", runtime.GOMAXPROCS(0))
}
