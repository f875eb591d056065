package gpu

import (
	"math"
	"testing"

	"github.com/cogentcore/webgpu/wgpu"

	"github.com/wgml/wgml/internal/philox"
	"github.com/wgml/wgml/shaders"
)

// philoxProbe writes, per element e, the four words of random_bits and the
// bits of uniform01 of each: what philox.Bits and philox.Uniform give.
const philoxProbe = `
struct ProbeParams {
    seed: vec2<u32>,
    stream: vec2<u32>,
    n: u32,
    first: u32,
    _pad0: vec2<u32>,
    _pad1: vec4<u32>,
}
@group(0) @binding(0) var<storage, read_write> probe_out: array<u32>;
@group(0) @binding(1) var<uniform> pp: ProbeParams;

@compute @workgroup_size(64)
fn probe(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x >= pp.n) {
        return;
    }
    let r = random_bits(pp.seed, pp.stream, pp.first + id.x);
    for (var i = 0u; i < 4u; i++) {
        probe_out[8u * id.x + i] = r[i];
        probe_out[8u * id.x + 4u + i] = bitcast<u32>(uniform01(r[i]));
    }
}
`

// TestPhiloxBitExact checks the WGSL Philox words and uniforms against
// philox.Bits and philox.Uniform bit for bit (the conformance suite compares
// the normals they feed, which only agree to rounding).
func TestPhiloxBitExact(t *testing.T) {
	b := openBackend(t)
	const n = 1000
	cases := []struct {
		seed, stream uint64
		first        uint32
	}{
		{0, 0, 0},
		{42, 7, 0},
		{0x123456789abcdef0, 0xfedcba9876543210, 1000003 - 500},
		{0xffffffffffffffff, 0xffffffffffffffff, 0xffffffff - n + 1},
	}
	mod, err := b.dev.CreateShaderModule(&wgpu.ShaderModuleDescriptor{
		WGSLDescriptor: &wgpu.ShaderModuleWGSLDescriptor{Code: shaders.Source(shaders.Variant{}, "philox.wgsl") + philoxProbe},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer mod.Release()
	bgl, err := b.layout(1, 0)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := b.dev.CreatePipelineLayout(&wgpu.PipelineLayoutDescriptor{BindGroupLayouts: []*wgpu.BindGroupLayout{bgl}})
	if err != nil {
		t.Fatal(err)
	}
	defer pl.Release()
	pipe, err := b.dev.CreateComputePipeline(&wgpu.ComputePipelineDescriptor{
		Layout: pl, Compute: wgpu.ProgrammableStageDescriptor{Module: mod, EntryPoint: "probe"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pipe.Release()

	for _, c := range cases {
		out, err := b.Alloc(n, 8)
		if err != nil {
			t.Fatal(err)
		}
		o := b.tensor(out)
		params := []uint32{uint32(c.seed), uint32(c.seed >> 32), uint32(c.stream), uint32(c.stream >> 32), n, c.first, 0, 0, 0, 0, 0, 0}
		ub, err := b.dev.CreateBufferInit(&wgpu.BufferInitDescriptor{
			Contents: wgpu.ToBytes(params), Usage: wgpu.BufferUsageUniform,
		})
		if err != nil {
			t.Fatal(err)
		}
		group, err := b.dev.CreateBindGroup(&wgpu.BindGroupDescriptor{Layout: bgl, Entries: []wgpu.BindGroupEntry{
			{Binding: 0, Buffer: o.buf.b, Size: o.size()},
			{Binding: 1, Buffer: ub, Size: paramBytes},
		}})
		if err != nil {
			t.Fatal(err)
		}
		pass := b.computePass()
		pass.SetPipeline(pipe)
		pass.SetBindGroup(0, group, nil)
		pass.DispatchWorkgroups((n+63)/64, 1, 1)
		got := make([]float32, n*8)
		if err := b.Read(out, got); err != nil {
			t.Fatal(err)
		}
		group.Release()
		ub.Release()

		bad := 0
		for i := range n {
			e := c.first + uint32(i)
			want := philox.Bits(c.seed, c.stream, e)
			for w := range 4 {
				gw, gu := math.Float32bits(got[8*i+w]), got[8*i+4+w]
				if gw != want[w] || gu != philox.Uniform(want[w]) {
					if bad++; bad <= 5 {
						t.Errorf("seed %#x stream %#x e %d word %d: got %08x (uniform %v), want %08x (%v)",
							c.seed, c.stream, e, w, gw, gu, want[w], philox.Uniform(want[w]))
					}
				}
			}
		}
	}
}
