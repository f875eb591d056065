// adam.wgsl: one Adam step (nn.AdamParams) over n elements, in place.
// Bindings: param, grad, m, v, params. The bias corrections 1-β₁^t and
// 1-β₂^t are the per-step values, computed on the host in float64.

struct AdamParams {
    bc1: f32,
    bc2: f32,
    _dyn: vec2<u32>,
    n: u32,
    lr: f32,
    beta1: f32,
    beta2: f32,
    eps: f32,
    weight_decay: f32,
    _pad: vec2<u32>,
}

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m1: array<f32>;
@group(0) @binding(3) var<storage, read_write> m2: array<f32>;
@group(0) @binding(4) var<uniform> hp: AdamParams;

@compute @workgroup_size(WG)
fn adam(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= hp.n) {
        return;
    }
    let p = param[e];
    let g = grad[e] + hp.weight_decay * p;
    let m = hp.beta1 * m1[e] + (1.0 - hp.beta1) * g;
    let v = hp.beta2 * m2[e] + (1.0 - hp.beta2) * g * g;
    m1[e] = m;
    m2[e] = v;
    param[e] = p - hp.lr * (m / hp.bc1) / (sqrt(v / hp.bc2) + hp.eps);
}
