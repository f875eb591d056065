package shaders

import (
	"fmt"
	"strings"
)

// MatMul is the blocking of one matmul kernel variant (matmul.wgsl and
// matmul_reduce.wgsl). A workgroup of (BN/TN)x(BM/TM) invocations computes
// a BM x BN block of c, each invocation TM x TN outputs; Split > 1 cuts K
// into Split ranges whose partial sums a reduce kernel adds in a fixed
// order. The Vec flags say a buffer is read and written as vec4<f32>:
// VecA, VecB where the stored operand's row length is a multiple of 4, VecC
// where N is (c, the partial sums, and the (M,N) or (1,N) epilogue input).
type MatMul struct {
	BM, BN, TM, TN uint8
	Split          uint8
	VecA, VecB     bool
	VecC           bool
	RowSum         bool // also db[m] = Σ_k op(a)[m,k] (LinearGrads' bias gradient)
	Deriv          bool // epilogue multiplies by ACT'(aux) instead of applying ACT
	Reduce         bool // the module of the split-K reduce kernel
}

// header returns the constants, bindings and vector-width helpers of a
// matmul module (empty for other kernels).
func (mm MatMul) header() string {
	if mm.BM == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `const BM: u32 = %du;
const BN: u32 = %du;
const TM: u32 = %du;
const TN: u32 = %du;
const SPLIT: u32 = %du;
const ROW_SUM: bool = %t;
const DERIV: bool = %t;
`, mm.BM, mm.BN, mm.TM, mm.TN, max(mm.Split, 1), mm.RowSum, mm.Deriv)
	const in = "read" // Variant.Shared makes every binding read_write
	if mm.Reduce {
		sb.WriteString(storage(0, "part", in, mm.VecC))
		sb.WriteString(storage(1, "rowpart", in, false))
	} else {
		sb.WriteString(storage(0, "a", in, mm.VecA))
		sb.WriteString(storage(1, "b", in, mm.VecB))
	}
	sb.WriteString(storage(2, "aux", in, mm.VecC))
	// In a split product's main kernel, c holds the Split (M,N) layers of
	// partial sums and db the Split x M partial row sums.
	sb.WriteString(storage(3, "c", "read_write", mm.VecC))
	sb.WriteString(storage(4, "db", "read_write", false))
	return sb.String()
}

// storage declares buffer name at binding i, as vec4<f32> words when vec,
// and its helpers: name_load4(base, col, cols) returns elements base+col+j
// for j < 4 with col+j < cols (0 elsewhere); read_write buffers also get
// name_store4(base, col, cols, v). A vec4 buffer needs col and base multiples
// of 4 and cols a multiple of 4, which its Vec flag promises.
func storage(i int, name, access string, vec bool) string {
	if vec {
		s := fmt.Sprintf(`@group(0) @binding(%d) var<storage, %s> %s: array<vec4<f32>>;
fn %s_load4(base: u32, col: u32, cols: u32) -> vec4<f32> { return %s[(base + col) / 4u]; }
`, i, access, name, name, name)
		if access == "read_write" {
			s += fmt.Sprintf("fn %s_store4(base: u32, col: u32, cols: u32, v: vec4<f32>) { %s[(base + col) / 4u] = v; }\n", name, name)
		}
		return s
	}
	s := fmt.Sprintf(`@group(0) @binding(%d) var<storage, %s> %s: array<f32>;
fn %s_load4(base: u32, col: u32, cols: u32) -> vec4<f32> {
    var v = vec4<f32>(0.0);
    for (var j = 0u; j < 4u; j++) {
        if (col + j < cols) { v[j] = %s[base + col + j]; }
    }
    return v;
}
`, i, access, name, name, name)
	if access == "read_write" {
		s += fmt.Sprintf(`fn %s_store4(base: u32, col: u32, cols: u32, v: vec4<f32>) {
    for (var j = 0u; j < 4u; j++) {
        if (col + j < cols) { %s[base + col + j] = v[j]; }
    }
}
`, name, name)
	}
	return s
}
