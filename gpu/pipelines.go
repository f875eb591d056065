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
	kTableLoss
)

// entryPoint is where a kernel lives: its entry point, the files of its
// module (libraries first), and how many storage buffers it binds.
type entryPoint struct {
	name    string
	files   []string
	storage int
}

var entryPoints = [...]entryPoint{
	kMatMul:                 {"matmul", []string{"act.wgsl", "matmul.wgsl"}, 4},
	kActivate:               {"activate", []string{"act.wgsl", "activation.wgsl"}, 2},
	kActivateBackward:       {"activate_backward", []string{"act.wgsl", "activation.wgsl"}, 3},
	kSumRows:                {"sum_rows", []string{"sumrows.wgsl"}, 2},
	kMSE:                    {"mse", []string{"act.wgsl", "reduce.wgsl", "loss.wgsl"}, 4},
	kBCE:                    {"bce", []string{"act.wgsl", "reduce.wgsl", "loss.wgsl"}, 4},
	kKL:                     {"kl", []string{"reduce.wgsl", "kl.wgsl"}, 5},
	kReparameterize:         {"reparameterize", []string{"reparam.wgsl"}, 4},
	kReparameterizeBackward: {"reparameterize_backward", []string{"reparam.wgsl"}, 5},
	kAdam:                   {"adam", []string{"adam.wgsl"}, 4},
	kGather:                 {"gather", []string{"gather.wgsl"}, 3},
	kRandNormal:             {"rand_normal", []string{"philox.wgsl", "random.wgsl"}, 1},
	kCorrupt:                {"corrupt", []string{"philox.wgsl", "random.wgsl"}, 2},
	kCopy:                   {"copy", []string{"copy.wgsl"}, 2},
	kTableLoss:              {"table_loss", []string{"reduce.wgsl", "tableloss.wgsl"}, 6},
}

// kernel is one compiled variant of an entry point; it keys the pipeline
// cache.
type kernel struct {
	id kernelID
	v  shaders.Variant
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
	bgl, err := b.layout(ep.storage)
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

// layout returns the bind group layout of kernels with n storage buffers
// (bindings 0..n-1, all read_write) and the Params uniform (binding n).
func (b *Backend) layout(n int) (*wgpu.BindGroupLayout, error) {
	if l := b.layouts[n]; l != nil {
		return l, nil
	}
	entries := make([]wgpu.BindGroupLayoutEntry, n+1)
	for i := range n {
		entries[i] = wgpu.BindGroupLayoutEntry{
			Binding:    uint32(i),
			Visibility: wgpu.ShaderStageCompute,
			Buffer:     wgpu.BufferBindingLayout{Type: wgpu.BufferBindingTypeStorage},
		}
	}
	entries[n] = wgpu.BindGroupLayoutEntry{
		Binding:    uint32(n),
		Visibility: wgpu.ShaderStageCompute,
		Buffer:     wgpu.BufferBindingLayout{Type: wgpu.BufferBindingTypeUniform, MinBindingSize: paramBytes},
	}
	l, err := b.dev.CreateBindGroupLayout(&wgpu.BindGroupLayoutDescriptor{
		Label:   fmt.Sprintf("%d storage + params", n),
		Entries: entries,
	})
	if err != nil {
		return nil, fmt.Errorf("bind group layout: %w", err)
	}
	b.layouts[n] = l
	return l, nil
}
