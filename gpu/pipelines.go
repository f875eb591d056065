package gpu

import (
	"fmt"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgml/wgml/shaders"
)

// kernelID names one WGSL entry point.
type kernelID uint8

const (
	kMatMul kernelID = iota
	kActivate
	kActivateBackward
	kSumRows
	kMSE
	kBCE
	kKL
	kReparameterize
	kReparameterizeBackward
	kAdam
	kGather
	kRandNormal
	kCorrupt
	kCopy
	kMatMulReduce
)

// entryPoint is where a kernel lives: its entry point, the files of its
// module (libraries first), how many storage buffers it binds, and which of
// them it declares read-only (bit i for binding i), so that WebGPU places
// barriers only where data flows.
type entryPoint struct {
	name     string
	files    []string
	storage  int
	readOnly uint8
}

var entryPoints = [...]entryPoint{
	kMatMul:                 {"matmul", []string{"act.wgsl", "matmul_epilogue.wgsl", "matmul.wgsl"}, 5, 0b00111},
	kMatMulReduce:           {"matmul_reduce", []string{"act.wgsl", "matmul_epilogue.wgsl", "matmul_reduce.wgsl"}, 5, 0b00111},
	kActivate:               {"activate", []string{"act.wgsl", "activation.wgsl"}, 2, 0b01},
	kActivateBackward:       {"activate_backward", []string{"act.wgsl", "activation.wgsl"}, 3, 0b011},
	kSumRows:                {"sum_rows", []string{"sumrows.wgsl"}, 2, 0b01},
	kMSE:                    {"mse", []string{"act.wgsl", "reduce.wgsl", "loss.wgsl"}, 4, 0b0011},
	kBCE:                    {"bce", []string{"act.wgsl", "reduce.wgsl", "loss.wgsl"}, 4, 0b0011},
	kKL:                     {"kl", []string{"reduce.wgsl", "kl.wgsl"}, 2, 0b01},
	kReparameterize:         {"reparameterize", []string{"philox.wgsl", "reduce.wgsl", "reparam.wgsl"}, 4, 0b1001},
	kReparameterizeBackward: {"reparameterize_backward", []string{"philox.wgsl", "reduce.wgsl", "reparam.wgsl"}, 5, 0b00111},
	kAdam:                   {"adam", []string{"reduce.wgsl", "adam.wgsl"}, 7, 0b0010010},
	kGather:                 {"gather", []string{"gather.wgsl"}, 4, 0b1011},
	kRandNormal:             {"rand_normal", []string{"philox.wgsl", "random.wgsl"}, 2, 0b10},
	kCorrupt:                {"corrupt", []string{"philox.wgsl", "random.wgsl"}, 3, 0b101},
	kCopy:                   {"copy", []string{"copy.wgsl"}, 2, 0b01},
}

// kernel is one compiled variant of an entry point; it keys the pipeline
// cache.
type kernel struct {
	id kernelID
	v  shaders.Variant
}

// readOnly is the mask of k's read-only bindings in its layout: none in
// the Shared variant, bound where one buffer is both input and output.
func (k kernel) readOnly() uint8 {
	if k.v.Shared {
		return 0
	}
	return entryPoints[k.id].readOnly
}

// paramBytes is the size of every kernel's uniform Params block.
const paramBytes = 4 * shaders.ParamWords

// pipeline returns the compute pipeline of k, compiling it the first time.
func (b *Backend) pipeline(k kernel) (*wgpu.ComputePipeline, error) {
	if p := b.pipelines[k]; p != nil {
		return p, nil
	}
	ep := entryPoints[k.id]
	mod, err := b.dev.CreateShaderModule(&wgpu.ShaderModuleDescriptor{
		Label:          ep.name,
		WGSLDescriptor: &wgpu.ShaderModuleWGSLDescriptor{Code: shaders.Source(k.v, ep.files...)},
	})
	if err != nil {
		return nil, fmt.Errorf("compiling %s %+v: %w", ep.name, k.v, err)
	}
	defer mod.Release()
	bgl, err := b.layout(ep.storage, k.readOnly())
	if err != nil {
		return nil, err
	}
	pl, err := b.dev.CreatePipelineLayout(&wgpu.PipelineLayoutDescriptor{
		Label:            ep.name,
		BindGroupLayouts: []*wgpu.BindGroupLayout{bgl},
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline layout of %s: %w", ep.name, err)
	}
	defer pl.Release()
	p, err := b.dev.CreateComputePipeline(&wgpu.ComputePipelineDescriptor{
		Label:   ep.name,
		Layout:  pl,
		Compute: wgpu.ProgrammableStageDescriptor{Module: mod, EntryPoint: ep.name},
	})
	if err != nil {
		return nil, fmt.Errorf("pipeline %s %+v: %w", ep.name, k.v, err)
	}
	b.pipelines[k] = p
	return p, nil
}

// layoutKey identifies a bind group layout: n storage buffers, those in
// the readOnly bit mask read-only.
type layoutKey struct {
	n        int
	readOnly uint8
}

// layout returns the bind group layout of kernels with n storage buffers
// (bindings 0..n-1, read-only where bit i of readOnly is set, read_write
// elsewhere) and the Params uniform (binding n).
func (b *Backend) layout(n int, readOnly uint8) (*wgpu.BindGroupLayout, error) {
	key := layoutKey{n, readOnly}
	if l := b.layouts[key]; l != nil {
		return l, nil
	}
	entries := make([]wgpu.BindGroupLayoutEntry, n+1)
	for i := range n {
		ty := wgpu.BufferBindingTypeStorage
		if readOnly&(1<<i) != 0 {
			ty = wgpu.BufferBindingTypeReadOnlyStorage
		}
		entries[i] = wgpu.BindGroupLayoutEntry{
			Binding:    uint32(i),
			Visibility: wgpu.ShaderStageCompute,
			Buffer:     wgpu.BufferBindingLayout{Type: ty},
		}
	}
	entries[n] = wgpu.BindGroupLayoutEntry{
		Binding:    uint32(n),
		Visibility: wgpu.ShaderStageCompute,
		Buffer:     wgpu.BufferBindingLayout{Type: wgpu.BufferBindingTypeUniform, MinBindingSize: paramBytes},
	}
	l, err := b.dev.CreateBindGroupLayout(&wgpu.BindGroupLayoutDescriptor{
		Label:   fmt.Sprintf("%d storage (read-only %05b) + params", n, readOnly),
		Entries: entries,
	})
	if err != nil {
		return nil, fmt.Errorf("bind group layout: %w", err)
	}
	b.layouts[key] = l
	return l, nil
}
