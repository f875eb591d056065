// reparam.wgsl: the VAE's reparameterisation z = mu + exp(½·logvar)·eps and
// its backward pass fused with the KL gradient. stats (B,2L) holds mu[i,:]
// then logvar[i,:] in row i. Needs philox.wgsl and reduce.wgsl.
// The RNG stream's low word is base + clock[bank], the step counter kept on
// the device (clock.wgsl), so a training step uploads nothing.

struct ReparamParams {
    seed: vec2<u32>,
    stream_base: u32,
    stream_hi: u32,
    n: u32,
    latent: u32,
    bank: u32,
    _pad0: u32,
    _pad1: vec4<u32>,
}

// reparameterize: bindings stats, eps, z, clock, params. With SAMPLE,
// eps[e] = philox.Normal(seed, stream, e) and z = mu + exp(½·logvar)·eps;
// otherwise z = mu (eps is not written).
@group(0) @binding(0) var<storage, read> fwd_stats: array<f32>;
@group(0) @binding(1) var<storage, read_write> fwd_eps: array<f32>;
@group(0) @binding(2) var<storage, read_write> fwd_z: array<f32>;
@group(0) @binding(3) var<storage, read> fwd_clock: array<u32>;
@group(0) @binding(4) var<uniform> fp: ReparamParams;

@compute @workgroup_size(WG)
fn reparameterize(@builtin(workgroup_id) wid: vec3<u32>,
                  @builtin(num_workgroups) nwg: vec3<u32>,
                  @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= fp.n) {
        return;
    }
    let l = fp.latent;
    let i = e / l;
    let j = e - i * l;
    var z = fwd_stats[2u * l * i + j];
    if (SAMPLE) {
        let stream = vec2<u32>(fp.stream_base + fwd_clock[fp.bank], fp.stream_hi);
        let r = random_bits(fp.seed, stream, e);
        let eps = box_muller(uniform01(r.x), uniform01(r.y));
        fwd_eps[e] = eps;
        z += exp(0.5 * fwd_stats[2u * l * i + l + j]) * eps;
    }
    fwd_z[e] = z;
}

struct ReparamBackwardParams {
    _dyn: vec4<u32>,
    rows: u32,
    latent: u32,
    kl_scale: f32,
    _pad0: u32,
    _pad1: vec4<u32>,
}

// reparameterize_backward: bindings dz, stats, eps, dstats, row_kl, params;
// one workgroup per row.
// dmu = dz + kl_scale·mu, dlogvar = dz·eps·½·exp(½·logvar) +
// kl_scale·½(exp(logvar)-1), row_kl[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar)).
@group(0) @binding(0) var<storage, read> bwd_dz: array<f32>;
@group(0) @binding(1) var<storage, read> bwd_stats: array<f32>;
@group(0) @binding(2) var<storage, read> bwd_eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> bwd_dstats: array<f32>;
@group(0) @binding(4) var<storage, read_write> bwd_kl: array<f32>;
@group(0) @binding(5) var<uniform> bp: ReparamBackwardParams;

@compute @workgroup_size(WG)
fn reparameterize_backward(@builtin(workgroup_id) wid: vec3<u32>,
                           @builtin(num_workgroups) nwg: vec3<u32>,
                           @builtin(local_invocation_index) li: u32) {
    let row = group_index(wid, nwg);
    if (row >= bp.rows) {
        return;
    }
    let l = bp.latent;
    var s = 0.0;
    for (var j = li; j < l; j += WG) {
        let k = row * l + j;
        let m = bwd_stats[2u * l * row + j];
        let lv = bwd_stats[2u * l * row + l + j];
        let ev = exp(lv);
        let dz = bwd_dz[k];
        bwd_dstats[2u * l * row + j] = dz + bp.kl_scale * m;
        bwd_dstats[2u * l * row + l + j] = dz * bwd_eps[k] * 0.5 * exp(0.5 * lv) + bp.kl_scale * 0.5 * (ev - 1.0);
        s += 1.0 + lv - m * m - ev;
    }
    let total = workgroup_sum(li, s);
    if (li == 0u) {
        bwd_kl[row] = -0.5 * total;
    }
}
