// reparam.wgsl: the VAE's reparameterisation z = mu + exp(½·logvar)·eps and
// its backward pass, elementwise over n elements.

struct ReparamParams {
    dyn: vec4<u32>,
    n: u32,
    _pad0: u32,
    _pad1: vec2<u32>,
    _pad2: vec4<u32>,
}

// reparameterize: bindings mu, logvar, eps, z, params.
@group(0) @binding(0) var<storage, read_write> fwd_mu: array<f32>;
@group(0) @binding(1) var<storage, read_write> fwd_logvar: array<f32>;
@group(0) @binding(2) var<storage, read_write> fwd_eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> fwd_z: array<f32>;
@group(0) @binding(4) var<uniform> fp: ReparamParams;

@compute @workgroup_size(WG)
fn reparameterize(@builtin(workgroup_id) wid: vec3<u32>,
                  @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= fp.n) {
        return;
    }
    fwd_z[e] = fwd_mu[e] + exp(0.5 * fwd_logvar[e]) * fwd_eps[e];
}

// reparameterize_backward: bindings dz, logvar, eps, dmu, dlogvar, params.
// dmu = dz, dlogvar = dz·eps·½·exp(½·logvar).
@group(0) @binding(0) var<storage, read_write> bwd_dz: array<f32>;
@group(0) @binding(1) var<storage, read_write> bwd_logvar: array<f32>;
@group(0) @binding(2) var<storage, read_write> bwd_eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> bwd_dmu: array<f32>;
@group(0) @binding(4) var<storage, read_write> bwd_dlogvar: array<f32>;
@group(0) @binding(5) var<uniform> bp: ReparamParams;

@compute @workgroup_size(WG)
fn reparameterize_backward(@builtin(workgroup_id) wid: vec3<u32>,
                           @builtin(num_workgroups) nwg: vec3<u32>,
                           @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= bp.n) {
        return;
    }
    let dz = bwd_dz[e];
    bwd_dmu[e] = dz;
    bwd_dlogvar[e] = dz * bwd_eps[e] * 0.5 * exp(0.5 * bwd_logvar[e]);
}
