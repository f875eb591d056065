// adam.wgsl: one Adam step (nn.AdamParams) over n elements, in place, and
// optionally the training step's loss sums. Needs reduce.wgsl.
// Bindings: param, grad, m, v, rows (k,width), sums (k rows of sums_stride),
// clock, params.
//
// The step t is step_base + clock[bank], the count of Adam dispatches kept
// on the device: invocation 0 writes the count + 1 to clock[1-bank], which
// the next step reads, so no dispatch reads a word that this one writes.
// The bias corrections 1-β^t are computed as -expm1(t·ln β) with ln β from
// the host in float64 (1-pow(β,t) would lose most digits for β near 1 and
// small t).
// With width > 0 the last workgroup adds Σ_j rows[r,j] to
// sums[r·sums_stride] for each of the k = arrayLength(rows)/width rows, as a
// fixed-order tree.

struct AdamParams {
    step_base: u32,
    beta1: f32,
    beta2: f32,
    lr: f32,
    n: u32,
    eps: f32,
    weight_decay: f32,
    ln_beta1: f32,
    ln_beta2: f32,
    bank: u32,
    width: u32,
    sums_stride: u32,
}

@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m1: array<f32>;
@group(0) @binding(3) var<storage, read_write> m2: array<f32>;
@group(0) @binding(4) var<storage, read> loss_rows: array<f32>;
@group(0) @binding(5) var<storage, read_write> loss_sums: array<f32>;
@group(0) @binding(6) var<storage, read_write> clock: array<u32>;
@group(0) @binding(7) var<uniform> hp: AdamParams;

// expm1 returns exp(x)-1 to float32 accuracy: a Taylor series through x⁹
// (truncation below 3e-10 relative) where exp(x)-1 would cancel.
fn expm1(x: f32) -> f32 {
    if (abs(x) >= 0.5) {
        return exp(x) - 1.0;
    }
    var r = 1.0 + x / 9.0;
    for (var i = 8.0; i >= 2.0; i -= 1.0) {
        r = 1.0 + x / i * r;
    }
    return x * r;
}

@compute @workgroup_size(WG)
fn adam(@builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
    let g = group_index(wid, nwg);
    let groups = (hp.n + WG - 1u) / WG;
    if (g >= groups) {
        if (g == groups && hp.width > 0u) {
            let k = arrayLength(&loss_rows) / hp.width;
            for (var r = 0u; r < k; r++) {
                var s = 0.0;
                for (var j = li; j < hp.width; j += WG) {
                    s += loss_rows[r * hp.width + j];
                }
                let total = workgroup_sum(li, s);
                if (li == 0u) {
                    loss_sums[r * hp.sums_stride] += total;
                }
                workgroupBarrier();
            }
        }
        return;
    }
    let c = clock[hp.bank];
    if (g == 0u && li == 0u) {
        clock[1u - hp.bank] = c + 1u;
    }
    let e = g * WG + li;
    if (e >= hp.n) {
        return;
    }
    let t = f32(hp.step_base + c);
    let bc1 = -expm1(t * hp.ln_beta1);
    let bc2 = -expm1(t * hp.ln_beta2);
    let p = param[e];
    let gr = grad[e] + hp.weight_decay * p;
    let m = hp.beta1 * m1[e] + (1.0 - hp.beta1) * gr;
    let v = hp.beta2 * m2[e] + (1.0 - hp.beta2) * gr * gr;
    m1[e] = m;
    m2[e] = v;
    param[e] = p - hp.lr * (m / bc1) / (sqrt(v / bc2) + hp.eps);
}
