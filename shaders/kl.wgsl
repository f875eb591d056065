// kl.wgsl: KL(N(mu, exp(logvar)) ‖ N(0, I)) per row, one workgroup per row
// of stats (B,2L): row i is mu[i,:] then logvar[i,:]. Needs reduce.wgsl.
// Bindings: stats, row_kl (B,1), params.

struct KLParams {
    _dyn: vec4<u32>,
    rows: u32,
    latent: u32,
    _pad0: vec2<u32>,
    _pad1: vec4<u32>,
}

@group(0) @binding(0) var<storage, read> kl_stats: array<f32>;
@group(0) @binding(1) var<storage, read_write> kl_row: array<f32>;
@group(0) @binding(2) var<uniform> kp: KLParams;

// kl: row_kl[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar)).
@compute @workgroup_size(WG)
fn kl(@builtin(workgroup_id) wid: vec3<u32>,
      @builtin(num_workgroups) nwg: vec3<u32>,
      @builtin(local_invocation_index) li: u32) {
    let row = group_index(wid, nwg);
    if (row >= kp.rows) {
        return;
    }
    let l = kp.latent;
    var s = 0.0;
    for (var j = li; j < l; j += WG) {
        let m = kl_stats[2u * l * row + j];
        let lv = kl_stats[2u * l * row + l + j];
        s += 1.0 + lv - m * m - exp(lv);
    }
    let total = workgroup_sum(li, s);
    if (li == 0u) {
        kl_row[row] = -0.5 * total;
    }
}
