package vec

import "encoding/binary"

// cpuid returns the registers CPUID leaf leaf (subleaf 0) sets.
//
//go:noescape
func cpuid(leaf uint32) (a, b, c, d uint32)

// wideTiny says whether adamAVX512 runs vectors with tiny operands in
// float64 on this CPU (adamTiny in adam_amd64.s): everywhere except where
// subnormalsSlow says the float32 operations take no assist.
var wideTiny = subnormalsSlow(vendorFamily())

// vendorFamily returns this CPU's vendor string (e.g. "AuthenticAMD") and
// family (the base family plus, for base 0xF, the extended family).
func vendorFamily() (string, uint32) {
	_, b, c, d := cpuid(0)
	var v [12]byte
	binary.LittleEndian.PutUint32(v[0:], b)
	binary.LittleEndian.PutUint32(v[4:], d)
	binary.LittleEndian.PutUint32(v[8:], c)
	a, _, _, _ := cpuid(1)
	fam := a >> 8 & 0xF
	if fam == 0xF {
		fam += a >> 20 & 0xFF
	}
	return string(v[:]), fam
}

// subnormalsSlow reports whether a CPU of this vendor and family takes a
// microcode assist on float32 arithmetic with subnormal operands or
// results, so that adamAVX512 is faster running such vectors in float64.
// Measured (BenchmarkAdamSubnormal): Intel takes the assists (Adam 4x
// slower on decaying moments without the wide path); AMD family 26 (Zen 5)
// takes none on the float32 path, while the wide path costs it ~10x (its
// float64-to-float32 conversions of subnormal results are the slow ones).
// Other AMD families are unmeasured and keep the wide path.
func subnormalsSlow(vendor string, family uint32) bool {
	return !(vendor == "AuthenticAMD" && family >= 26)
}
