package gpu

import (
	"fmt"
	"unsafe"

	"github.com/wgml/wgml/shaders"
)

// The Params block of each kernel, laid out as its WGSL struct of the same
// name (Go actParams is WGSL ActParams): every named WGSL field is the Go
// field of the same name in CamelCase at the same offset, _-fields are
// padding (params_test.go reads the WGSL and checks). The first
// shaders.DynamicWords words are per recording (written when they change),
// the rest are part of the dispatch key.

// actParams is ActParams of activation.wgsl.
type actParams struct {
	_ [4]uint32
	N uint32
	_ [7]uint32
}

// copyParams is CopyParams of copy.wgsl.
type copyParams struct {
	_ [4]uint32
	N uint32
	_ [7]uint32
}

// sumRowsParams is SumRowsParams of sumrows.wgsl.
type sumRowsParams struct {
	_          [4]uint32
	Rows, Cols uint32
	_          [6]uint32
}

// lossParams is LossParams of loss.wgsl.
type lossParams struct {
	_          [4]uint32
	Rows, Cols uint32
	GradScale  float32
	_          [5]uint32
}

// tableParams is TableParams of tableloss.wgsl.
type tableParams struct {
	_          [4]uint32
	Rows, Cols uint32
	GradScale  float32
	HasMask    uint32
	_          [4]uint32
}

// klParams is KLParams of kl.wgsl.
type klParams struct {
	_            [4]uint32
	Rows, Latent uint32
	_            [6]uint32
}

// gatherParams is GatherParams of gather.wgsl.
type gatherParams struct {
	StartBase  uint32
	_          [3]uint32
	Rows, Cols uint32
	Scale      float32
	Bank       uint32
	IndexLen   uint32
	RowLo      uint32 // the rows data's buffer holds: RowLo to RowHi-1
	RowHi      uint32
	_          uint32
}

// randomParams is RandomParams of random.wgsl.
type randomParams struct {
	Seed                 [2]uint32
	StreamBase, StreamHi uint32
	N                    uint32
	Level                float32
	Bank                 uint32
	_                    [5]uint32
}

// reparamParams is ReparamParams of reparam.wgsl.
type reparamParams struct {
	Seed                 [2]uint32
	StreamBase, StreamHi uint32
	N, Latent            uint32
	Bank                 uint32
	_                    [5]uint32
}

// reparamBackwardParams is ReparamBackwardParams of reparam.wgsl.
type reparamBackwardParams struct {
	_            [4]uint32
	Rows, Latent uint32
	KLScale      float32
	_            [5]uint32
}

// adamParams is AdamParams of adam.wgsl.
type adamParams struct {
	StepBase         uint32
	Beta1, Beta2, LR float32 // LR dynamic: a schedule changes it without a new dispatch key
	N                uint32
	Eps, WeightDecay float32
	LnBeta1, LnBeta2 float32
	Bank, Width      uint32
	SumsStride       uint32
}

// paramsBlock lists the Params types.
type paramsBlock interface {
	actParams | copyParams | sumRowsParams | lossParams | klParams | gatherParams |
		randomParams | reparamParams | reparamBackwardParams | adamParams | tableParams
}

// pack splits p into its per-recording and its keyed words.
func pack[P paramsBlock](p P) (dynamic, static) {
	if unsafe.Sizeof(p) != paramBytes {
		panic(fmt.Sprintf("gpu: %T is %d bytes, not %d", p, unsafe.Sizeof(p), paramBytes))
	}
	w := *(*[shaders.ParamWords]uint32)(unsafe.Pointer(&p))
	var d dynamic
	var s static
	copy(d[:], w[:len(d)])
	copy(s[:], w[len(d):])
	return d, s
}
