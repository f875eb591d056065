package gemm

import (
	"fmt"
	"strings"
)

// Kernel is one micro-kernel and the tile it computes: MR rows of op(a)
// times NR columns of op(b) per call, from panels packed for it.
type Kernel struct {
	Name   string // the WGML_CPU_KERNEL value that selects it
	MR, NR int
	// micro computes the tile c = a-panel·b-panel over k (see
	// gen/main.go for the contract): a holds k·MR floats, b k·NR, c
	// (MR-1)·ldc+NR; flags is flagLoad|flagReLU; bias is nil or NR floats.
	micro func(k int, a, b, c []float32, ldc int, flags uint, bias []float32)
	// rows, if set, is micro reading a in place: row i of the MR-row
	// panel at a[i·lda:], k floats each (a row-major op(a) needs no packing).
	rows func(k int, a []float32, lda int, b, c []float32, ldc int, flags uint, bias []float32)
	// microB and rowsB, if set, are micro and rows reading b in place:
	// row p of the NR-column panel at b[p·ldb:] (a row-major op(b)
	// needs no packing).
	microB func(k int, a, b []float32, ldb int, c []float32, ldc int, flags uint, bias []float32)
	rowsB  func(k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, flags uint, bias []float32)
	// narrow, if set, runs the products this kernel's tile would fill
	// poorly (see Kernel.pick): a kernel of a narrower tile.
	narrow *Kernel
	// missing says why this CPU cannot run the kernel ("" when it can).
	missing string
}

// Micro-kernel flags.
const (
	flagLoad uint = 1 << iota // add the tile's current contents of c
	flagReLU                  // c = max(c, 0) after the bias
)

// String names the kernel and its tile, e.g. "avx512 8x32", and its
// narrow kernel's, e.g. "avx512 8x32 (16x16 for narrow N)".
func (kn *Kernel) String() string {
	s := fmt.Sprintf("%s %dx%d", kn.Name, kn.MR, kn.NR)
	if kn.narrow != nil {
		s += fmt.Sprintf(" (%dx%d for narrow N)", kn.narrow.MR, kn.narrow.NR)
	}
	return s
}

// narrowMax is the widest product a narrow kernel takes: past it the
// wide tile's two vectors per broadcast pay more than its padding costs.
const narrowMax = 64

// pick returns the kernel that runs a product of n columns: for
// n <= narrowMax, the narrow kernel where its panels pad n to fewer
// columns than kn's (an 8×32 tile computes 32 columns whatever n is: at
// n = 16 half its lanes multiply zeros, at n = 40 three eighths), else kn.
func (kn *Kernel) pick(n int) *Kernel {
	if nk := kn.narrow; nk != nil && n <= narrowMax && roundUp(n, nk.NR) < roundUp(n, kn.NR) {
		return nk
	}
	return kn
}

// roundUp is n rounded up to a multiple of m.
func roundUp(n, m int) int { return (n + m - 1) / m * m }

// generic is the pure-Go kernel every platform runs.
var generic = &Kernel{Name: "generic", MR: 4, NR: 4, micro: micro4x4}

// known lists every kernel built for this platform, best first (a narrow
// kernel after the general ones: it is best only on its shapes); arch
// files prepend theirs in init.
var known = []*Kernel{generic}

// EnvKernel is the environment variable that forces a kernel (read by the
// cpu backend).
const EnvKernel = "WGML_CPU_KERNEL"

// Names lists the kernels built for this platform, best first, whether
// this CPU runs them or not.
func Names() []string {
	var s []string
	for _, k := range known {
		s = append(s, k.Name)
	}
	return s
}

// Lookup returns the kernel called name, or an error naming why it cannot
// run here (unknown name, or a CPU feature this machine lacks).
func Lookup(name string) (*Kernel, error) {
	for _, k := range known {
		if k.Name == name {
			if k.missing != "" {
				return nil, fmt.Errorf("kernel %s: %s", name, k.missing)
			}
			return k, nil
		}
	}
	return nil, fmt.Errorf("kernel %q is not built for this platform (want one of %s)", name, strings.Join(Names(), ", "))
}

// Best returns the fastest kernel this CPU runs.
func Best() *Kernel {
	for _, k := range known {
		if k.missing == "" {
			return k
		}
	}
	return generic
}

// micro4x4 is the generic kernel: the 4×4 tile in sixteen scalars.
func micro4x4(k int, a, b, c []float32, ldc int, flags uint, bias []float32) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	a, b = a[:4*k], b[:4*k]
	for p := 0; p < len(a); p += 4 {
		ap, bp := a[p:p+4:p+4], b[p:p+4:p+4]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	acc := [16]float32{c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33}
	edge(acc[:], 4, c, ldc, 4, 4, flags, bias)
}
