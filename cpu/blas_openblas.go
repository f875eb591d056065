//go:build openblas && cgo

package cpu

// Built with -tags openblas, the cpu backend's blas32 kernel runs its
// products on OpenBLAS's cblas_sgemm (Debian: apt-get install
// libopenblas-dev) instead of gonum's pure Go, and blas32 becomes the
// default kernel (WGML_CPU_KERNEL=avx512 etc. still picks internal/gemm's).
// Every other operation is unchanged.
//
// The binding is this file: blas32.Use installs gonum's own implementation
// with Sgemm, the only BLAS routine this package calls, replaced by a cgo
// call. (gonum.org/v1/netlib would bind all of BLAS, but its last version
// is from 2019 and its tests pull golang.org/x/exp into go.mod.)
//
// Threads: unless OPENBLAS_NUM_THREADS is set, OpenBLAS runs one thread per
// call and gemm splits each large product into blocks of rows (or columns)
// on goroutines, like the elementwise operations. OpenBLAS's own threads
// spin-wait between calls, which on a small, shared machine costs more than
// it gains (measured: 1.3-2× slower training steps on 2 busy cores); with
// OPENBLAS_NUM_THREADS set, OpenBLAS threads as it likes and gemm does not
// split.

/*
#cgo LDFLAGS: -lopenblas
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_config(void);
// cblas.h's prototype, with its enums as the ints they are (LP64 OpenBLAS).
void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
	float alpha, const float *a, int lda, const float *b, int ldb,
	float beta, float *c, int ldc);
*/
import "C"

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

func init() {
	blas32.Use(openBLAS{})
	defaultBLAS = true
	config := strings.TrimSpace(C.GoString(C.openblas_get_config()))
	if os.Getenv("OPENBLAS_NUM_THREADS") != "" {
		blasName = func() string {
			return fmt.Sprintf("%s, %d OpenBLAS threads", config, int(C.openblas_get_num_threads()))
		}
		return
	}
	C.openblas_set_num_threads(1)
	blasGemm = splitGemm
	blasName = func() string {
		return fmt.Sprintf("%s, products split over GOMAXPROCS=%d goroutines", config, runtime.GOMAXPROCS(0))
	}
}

// openBLAS is gonum's BLAS with Sgemm on OpenBLAS.
type openBLAS struct{ gonum.Implementation }

// CBLAS constants (cblas.h).
const (
	cblasRowMajor = 101
	cblasNoTrans  = 111
	cblasTrans    = 112
)

// Sgemm computes c = alpha·op(a)·op(b) + beta·c for row-major matrices,
// checking its arguments as gonum's Sgemm does (a panic, never a write out
// of bounds) before calling cblas_sgemm.
func (openBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, ok := cblasTranspose(tA)
	tb, okB := cblasTranspose(tB)
	switch {
	case !ok || !okB:
		panic("blas: illegal transpose")
	case m < 0 || n < 0 || k < 0:
		panic("blas: negative dimension")
	case m > math.MaxInt32 || n > math.MaxInt32 || k > math.MaxInt32 || lda > math.MaxInt32 || ldb > math.MaxInt32 || ldc > math.MaxInt32:
		panic("blas: dimension too large for OpenBLAS's 32-bit integers")
	}
	// Rows and columns of a and b as stored.
	ar, ac := m, k
	if ta == cblasTrans {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb == cblasTrans {
		br, bc = n, k
	}
	switch {
	case lda < max(1, ac):
		panic("blas: bad lda")
	case ldb < max(1, bc):
		panic("blas: bad ldb")
	case ldc < max(1, n):
		panic("blas: bad ldc")
	}
	if m == 0 || n == 0 {
		return
	}
	switch {
	case ar > 0 && len(a) < lda*(ar-1)+ac:
		panic("blas: insufficient length of a")
	case br > 0 && len(b) < ldb*(br-1)+bc:
		panic("blas: insufficient length of b")
	case len(c) < ldc*(m-1)+n:
		panic("blas: insufficient length of c")
	}
	var pa, pb *float32
	if k > 0 {
		pa, pb = &a[0], &b[0]
	}
	C.cblas_sgemm(cblasRowMajor, C.int(ta), C.int(tb), C.int(m), C.int(n), C.int(k),
		C.float(alpha), (*C.float)(unsafe.Pointer(pa)), C.int(lda), (*C.float)(unsafe.Pointer(pb)), C.int(ldb),
		C.float(beta), (*C.float)(unsafe.Pointer(&c[0])), C.int(ldc))
}

func cblasTranspose(t blas.Transpose) (int, bool) {
	switch t {
	case blas.NoTrans:
		return cblasNoTrans, true
	case blas.Trans, blas.ConjTrans: // the same for real matrices
		return cblasTrans, true
	}
	return 0, false
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
