package vec

import "golang.org/x/sys/cpu"

//go:noescape
func adamAVX512(p, grad, m, v *float32, n int, c *AdamConsts)

//go:noescape
func adamAVX2(p, grad, m, v *float32, n int, c *AdamConsts)

// Has reports whether this CPU runs the named implementation.
func Has(impl string) bool {
	switch impl {
	case "avx512":
		return cpu.X86.HasAVX512F
	case "avx2":
		return cpu.X86.HasAVX2
	}
	return impl == "generic"
}

// adamSIMD runs Adam on the largest prefix the named implementation takes
// whole vectors of, returning its length.
func adamSIMD(impl string, p, grad, m, v []float32, c *AdamConsts) int {
	var w int
	switch {
	case impl == "avx512" && cpu.X86.HasAVX512F:
		w = len(p) &^ 15
		if w > 0 {
			adamAVX512(&p[0], &grad[0], &m[0], &v[0], w, c)
		}
	case impl == "avx2" && cpu.X86.HasAVX2:
		w = len(p) &^ 7
		if w > 0 {
			adamAVX2(&p[0], &grad[0], &m[0], &v[0], w, c)
		}
	}
	return w
}
