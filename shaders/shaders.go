// Package shaders holds wgml's WGSL compute kernels, one file per kernel
// family, embedded in the binary.
//
// A kernel module is assembled by Source: a prelude of constant declarations
// made from a Variant (the Go binding exposes no pipeline-overridable
// constants, so variants are made by text substitution), then common.wgsl,
// then the library and kernel files the module needs. Kernels read the
// variant as compile-time constants, so untaken branches cost nothing.
//
// Binding convention of every entry point: group 0, storage buffers at
// bindings 0..n-1 in the order its doc comment lists them, declared read
// where the kernel only reads them (so that WebGPU orders two dispatches
// only where data flows; Variant.Shared declares them all read_write for
// dispatches that bind views of one buffer as input and output), then one
// uniform Params block at binding n. Params is ParamWords words, one WGSL
// struct per kernel that package gpu mirrors field by field: words 0-3 may
// change between recordings of a dispatch, words 4-11 are fixed for it.
// Per-step values (Gather's start, the RNG streams, Adam's step) come from
// a step counter on the device, so a training step writes no Params.
package shaders

import (
	"embed"
	"fmt"
	"strings"

	"github.com/wgml/wgml/internal/op"
)

//go:embed *.wgsl
var files embed.FS

// ParamWords is the number of 32-bit words of every kernel's Params block;
// the first DynamicWords of them are the per-step values.
const (
	ParamWords   = 12
	DynamicWords = 4
)

// Variant selects the compile-time constants of a module. Its zero value is
// the plain form of every kernel.
type Variant struct {
	TransA, TransB op.Transpose // matmul: a, b are read as stored or transposed
	Write          op.Write     // matmul, sum_rows: overwrite or add into the output
	HasBias        bool         // matmul: add bias[col] before the activation
	Act            uint32       // activation as nn.Activation numbers it
	HasGrad        bool         // mse, bce, table_loss: also write the gradient
	Noise          uint32       // corrupt: noise.Kind
	Clip           bool         // corrupt: clamp the result to [0, 1]
	DataU8         bool         // gather: data is bytes packed 4 per u32 word
	Sample         bool         // reparameterize: draw eps (else z = mu)
	// Shared declares every storage buffer read_write: for a dispatch that
	// binds views of one buffer as input and output, which WebGPU forbids
	// for a read-only and a writable binding.
	Shared bool
	MM     MatMul // matmul: blocking, vector widths, fused extras
}

// Prelude returns the WGSL constant declarations of v.
func (v Variant) Prelude() string {
	return fmt.Sprintf(`const TRANS_A: bool = %t;
const TRANS_B: bool = %t;
const ACCUMULATE: bool = %t;
const HAS_BIAS: bool = %t;
const ACT: u32 = %du;
const HAS_GRAD: bool = %t;
const NOISE: u32 = %du;
const CLIP: bool = %t;
const DATA_U8: bool = %t;
const SAMPLE: bool = %t;
`, v.TransA == op.Trans, v.TransB == op.Trans, v.Write == op.Accumulate, v.HasBias, v.Act, v.HasGrad, v.Noise, v.Clip, v.DataU8, v.Sample) + v.MM.header()
}

// File returns the text of one embedded .wgsl file; it panics if there is
// none of that name (a programming error).
func File(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("shaders: " + err.Error())
	}
	return string(b)
}

// Source returns the module of variant v: its prelude, common.wgsl, then
// the named files in order (libraries before the kernels that use them).
func Source(v Variant, names ...string) string {
	var sb strings.Builder
	sb.WriteString(v.Prelude())
	sb.WriteString(File("common.wgsl"))
	for _, n := range names {
		sb.WriteString(File(n))
	}
	if v.Shared {
		return strings.ReplaceAll(sb.String(), "var<storage, read>", "var<storage, read_write>")
	}
	return sb.String()
}
