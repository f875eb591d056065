// kl.wgsl: KL(N(mu, exp(logvar)) ‖ N(0, I)) per row, one workgroup per row
// of (B,L) inputs, and with HAS_GRAD its gradient added into dmu, dlogvar.
// Needs reduce.wgsl.
// Bindings: mu, logvar, row_loss (B,1), dmu, dlogvar (any buffer without
// HAS_GRAD), params.

struct KLParams {
    dyn: vec4<u32>,
    rows: u32,
    cols: u32,
    grad_scale: f32,
    _pad0: u32,
    _pad1: vec4<u32>,
}

@group(0) @binding(0) var<storage, read_write> mu: array<f32>;
@group(0) @binding(1) var<storage, read_write> logvar: array<f32>;
@group(0) @binding(2) var<storage, read_write> row_loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> dmu: array<f32>;
@group(0) @binding(4) var<storage, read_write> dlogvar: array<f32>;
@group(0) @binding(5) var<uniform> kp: KLParams;

// kl: row_loss[i] = -½ Σ_j (1 + logvar - mu² - exp(logvar));
// dmu += grad_scale·mu, dlogvar += grad_scale·½(exp(logvar)-1).
@compute @workgroup_size(WG)
fn kl(@builtin(workgroup_id) wid: vec3<u32>,
      @builtin(num_workgroups) nwg: vec3<u32>,
      @builtin(local_invocation_index) li: u32) {
    let row = group_index(wid, nwg);
    if (row >= kp.rows) {
        return;
    }
    var s = 0.0;
    for (var j = li; j < kp.cols; j += WG) {
        let e = row * kp.cols + j;
        let m = mu[e];
        let lv = logvar[e];
        let ev = exp(lv);
        s += 1.0 + lv - m * m - ev;
        if (HAS_GRAD) {
            dmu[e] += kp.grad_scale * m;
            dlogvar[e] += kp.grad_scale * 0.5 * (ev - 1.0);
        }
    }
    let total = workgroup_sum(li, s);
    if (li == 0u) {
        row_loss[row] = -0.5 * total;
    }
}
