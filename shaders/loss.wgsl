// loss.wgsl: reconstruction losses and their gradients in one pass, one
// workgroup per row of (B,N) inputs. Needs act.wgsl and reduce.wgsl.
// Bindings: pred (or logits), target (as `truth`: target is a WGSL keyword),
// row_loss (B,1), grad (B,N) (any buffer without HAS_GRAD), params.

struct LossParams {
    _dyn: vec4<u32>,
    rows: u32,
    cols: u32,
    grad_scale: f32,
    _pad0: u32,
    _pad1: vec4<u32>,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> row_loss: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<uniform> lp: LossParams;

// mse: row_loss[i] = Σ_j (pred-target)², grad = grad_scale·2·(pred-target)
// ⊙ ACT'(pred): the gradient at the pre-activation of pred's layer (ACT
// identity: at pred itself).
@compute @workgroup_size(WG)
fn mse(@builtin(workgroup_id) wid: vec3<u32>,
       @builtin(num_workgroups) nwg: vec3<u32>,
       @builtin(local_invocation_index) li: u32) {
    let row = group_index(wid, nwg);
    if (row >= lp.rows) {
        return;
    }
    var s = 0.0;
    for (var j = li; j < lp.cols; j += WG) {
        let e = row * lp.cols + j;
        let d = pred[e] - truth[e];
        s += d * d;
        if (HAS_GRAD) {
            grad[e] = lp.grad_scale * 2.0 * d * act_deriv(pred[e]);
        }
    }
    let total = workgroup_sum(li, s);
    if (li == 0u) {
        row_loss[row] = total;
    }
}

// log1p_exp_neg returns log(1+exp(-|z|)) accurately where exp(-|z|) is
// small (the log1p trick: u·log(1+u)/((1+u)-1)).
fn log1p_exp_neg(z: f32) -> f32 {
    let u = exp(-abs(z));
    let w = 1.0 + u;
    if (w == 1.0) {
        return u;
    }
    return log(w) * u / (w - 1.0);
}

// bce: binary cross-entropy of sigmoid(z) against t in the stable form
// row_loss[i] = Σ_j max(z,0) - z·t + log(1+exp(-|z|)),
// grad = grad_scale·(sigmoid(z)-t).
@compute @workgroup_size(WG)
fn bce(@builtin(workgroup_id) wid: vec3<u32>,
       @builtin(num_workgroups) nwg: vec3<u32>,
       @builtin(local_invocation_index) li: u32) {
    let row = group_index(wid, nwg);
    if (row >= lp.rows) {
        return;
    }
    var s = 0.0;
    for (var j = li; j < lp.cols; j += WG) {
        let e = row * lp.cols + j;
        let z = pred[e];
        let t = truth[e];
        s += max(z, 0.0) - z * t + log1p_exp_neg(z);
        if (HAS_GRAD) {
            grad[e] = lp.grad_scale * (sigmoid(z) - t);
        }
    }
    let total = workgroup_sum(li, s);
    if (li == 0u) {
        row_loss[row] = total;
    }
}
