// copy.wgsl: dst = src over n elements (views of one buffer may not be
// copied with copyBufferToBuffer, which needs two buffers).
// Bindings: src, dst, params.

struct CopyParams {
    _dyn: vec4<u32>,
    n: u32,
    _pad0: u32,
    _pad1: vec2<u32>,
    _pad2: vec4<u32>,
}

@group(0) @binding(0) var<storage, read> copy_src: array<f32>;
@group(0) @binding(1) var<storage, read_write> copy_dst: array<f32>;
@group(0) @binding(2) var<uniform> cp: CopyParams;

@compute @workgroup_size(WG)
fn copy(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= cp.n) {
        return;
    }
    copy_dst[e] = copy_src[e];
}
