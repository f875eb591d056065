//go:build openblas && cgo

package cpu

// Built with -tags openblas, the cpu backend's matrix products run on
// OpenBLAS (Debian: apt-get install libopenblas-dev) through gonum's cgo
// binding, gonum.org/v1/netlib, instead of gonum's pure-Go blas32. Every
// other operation is unchanged.
//
// Threads: unless OPENBLAS_NUM_THREADS is set, OpenBLAS runs one thread per
// call and gemm splits each large product into GOMAXPROCS row (or column)
// blocks on goroutines, like the elementwise operations. OpenBLAS's own
// threads spin-wait between calls, which on a small, shared machine costs
// more than it gains (measured: 1.3-2× slower training steps on 2 busy
// cores); with OPENBLAS_NUM_THREADS set, OpenBLAS threads as it likes and
// gemm does not split.

/*
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
*/
import "C"

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() {
	blas32.Use(netlib.Implementation{})
	config := strings.TrimSpace(C.GoString(C.openblas_get_config()))
	if os.Getenv("OPENBLAS_NUM_THREADS") != "" {
		blasName = func() string {
			return fmt.Sprintf("%s, %d OpenBLAS threads", config, int(C.openblas_get_num_threads()))
		}
		return
	}
	C.openblas_set_num_threads(1)
	gemm = splitGemm
	blasName = func() string {
		return fmt.Sprintf("%s, products split over GOMAXPROCS=%d goroutines", config, runtime.GOMAXPROCS(0))
	}
}

// minSplitFlops is the size (2·M·N·K) below which splitting a product over
// goroutines costs more than it saves.
const minSplitFlops = 4 << 20

// minSplit is the fewest rows (or columns) of c a block has.
const minSplit = 32

// splitGemm computes c = alpha·op(a)·op(b) + beta·c as blas32.Gemm does,
// splitting c into blocks of rows (or of columns, when c is wider than
// tall) computed concurrently by single-threaded OpenBLAS calls: two blocks
// per core, of at least minSplit rows, so that a core lent to another
// process delays a small block (each call packs the shared operand again,
// which is why there are not more).
func splitGemm(tA, tB blas.Transpose, alpha float32, a, b blas32.General, beta float32, c blas32.General) {
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA != blas.NoTrans {
		k = a.Rows
	}
	procs := runtime.GOMAXPROCS(0)
	if procs <= 1 || 2*float64(m)*float64(n)*float64(k) < minSplitFlops {
		blas32.Gemm(tA, tB, alpha, a, b, beta, c)
		return
	}
	if m >= n {
		// Rows lo..hi of c need rows lo..hi of op(a): rows of a, or its
		// columns when it is transposed.
		parallelFor(m, max(m/(2*procs), minSplit), func(lo, hi int) {
			sub := a
			if tA == blas.NoTrans {
				sub.Rows, sub.Data = hi-lo, a.Data[lo*a.Stride:]
			} else {
				sub.Cols, sub.Data = hi-lo, a.Data[lo:]
			}
			blas32.Gemm(tA, tB, alpha, sub, b, beta,
				blas32.General{Rows: hi - lo, Cols: n, Stride: c.Stride, Data: c.Data[lo*c.Stride:]})
		})
		return
	}
	// Columns lo..hi of c need columns lo..hi of op(b).
	parallelFor(n, max(n/(2*procs), minSplit), func(lo, hi int) {
		sub := b
		if tB == blas.NoTrans {
			sub.Cols, sub.Data = hi-lo, b.Data[lo:]
		} else {
			sub.Rows, sub.Data = hi-lo, b.Data[lo*b.Stride:]
		}
		blas32.Gemm(tA, tB, alpha, a, sub, beta,
			blas32.General{Rows: m, Cols: hi - lo, Stride: c.Stride, Data: c.Data[lo:]})
	})
}
