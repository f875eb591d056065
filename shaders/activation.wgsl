// activation.wgsl: elementwise activation forward and backward over n
// elements. Needs act.wgsl.

struct ActParams {
    _dyn: vec4<u32>,
    n: u32,
    _pad0: u32,
    _pad1: vec2<u32>,
    _pad2: vec4<u32>,
}

// activate: bindings x, y, params. y = ACT(x).
@group(0) @binding(0) var<storage, read> act_x: array<f32>;
@group(0) @binding(1) var<storage, read_write> act_y: array<f32>;
@group(0) @binding(2) var<uniform> ap: ActParams;

@compute @workgroup_size(WG)
fn activate(@builtin(workgroup_id) wid: vec3<u32>,
            @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= ap.n) {
        return;
    }
    act_y[e] = act_apply(act_x[e]);
}

// activate_backward: bindings dy, y, dx, params. dx = dy ⊙ ACT'(y).
@group(0) @binding(0) var<storage, read> bwd_dy: array<f32>;
@group(0) @binding(1) var<storage, read> bwd_y: array<f32>;
@group(0) @binding(2) var<storage, read_write> bwd_dx: array<f32>;
@group(0) @binding(3) var<uniform> bp: ActParams;

@compute @workgroup_size(WG)
fn activate_backward(@builtin(workgroup_id) wid: vec3<u32>,
                     @builtin(num_workgroups) nwg: vec3<u32>,
                     @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= bp.n) {
        return;
    }
    bwd_dx[e] = bwd_dy[e] * act_deriv(bwd_y[e]);
}
