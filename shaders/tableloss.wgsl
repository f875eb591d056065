// tableloss.wgsl: the table reconstruction loss (nn.TableLayout's doc) and
// its gradient, one workgroup per row of (B,N) inputs: squared errors of
// numeric columns and softmax cross-entropies of categorical groups over
// the present features, scaled by F/P (features over present features).
// Needs reduce.wgsl.
// Bindings: pred, target (as `truth`), mask (B,N) (any buffer when
// has_mask is 0), the layout (as `kinds`: `layout` is reserved; N i32:
// -1 numeric, k ≥ 1 the first column of a group of k, 0 the group's other
// columns), row_loss (B,1), grad (B,N) (any buffer without HAS_GRAD),
// params.

struct TableParams {
    _dyn: vec4<u32>,
    rows: u32,
    cols: u32,
    grad_scale: f32,
    has_mask: u32,
    _pad1: vec4<u32>,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read> mask: array<f32>;
@group(0) @binding(3) var<storage, read> kinds: array<i32>;
@group(0) @binding(4) var<storage, read_write> row_loss: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;
@group(0) @binding(6) var<uniform> tp: TableParams;

// present reports whether the feature whose first value is element e is
// present in its row.
fn present(e: u32) -> bool {
    return tp.has_mask == 0u || mask[e] != 0.0;
}

// group_lse returns log Σ exp(pred) over the k values from element e,
// shifted by their maximum so that it never overflows.
fn group_lse(e: u32, k: u32) -> f32 {
    var hi = pred[e];
    for (var c = 1u; c < k; c++) {
        hi = max(hi, pred[e + c]);
    }
    var s = 0.0;
    for (var c = 0u; c < k; c++) {
        s += exp(pred[e + c] - hi);
    }
    return hi + log(s);
}

@compute @workgroup_size(WG)
fn table_loss(@builtin(workgroup_id) wid: vec3<u32>,
              @builtin(num_workgroups) nwg: vec3<u32>,
              @builtin(local_invocation_index) li: u32) {
    let row = group_index(wid, nwg);
    if (row >= tp.rows) {
        return;
    }
    let base = row * tp.cols;
    var s = 0.0;
    var features = 0.0;
    var here = 0.0;
    for (var j = li; j < tp.cols; j += WG) {
        let k = kinds[j];
        if (k == 0) {
            continue;
        }
        features += 1.0;
        let e = base + j;
        if (!present(e)) {
            continue;
        }
        here += 1.0;
        if (k < 0) {
            let d = pred[e] - truth[e];
            s += d * d;
        } else {
            let lse = group_lse(e, u32(k));
            for (var c = 0u; c < u32(k); c++) {
                s += truth[e + c] * (lse - pred[e + c]);
            }
        }
    }
    // workgroup_sum reuses one array: barriers keep its calls apart.
    let total = workgroup_sum(li, s);
    workgroupBarrier();
    let nf = workgroup_sum(li, features);
    workgroupBarrier();
    let np = workgroup_sum(li, here);
    var scale = 0.0;
    if (np > 0.0) {
        scale = nf / np;
    }
    if (li == 0u) {
        row_loss[row] = scale * total;
    }
    if (!HAS_GRAD) {
        return;
    }
    let gs = tp.grad_scale * scale;
    for (var j = li; j < tp.cols; j += WG) {
        let k = kinds[j];
        let e = base + j;
        if (k == 0) {
            continue;
        }
        if (k < 0) {
            var g = 0.0;
            if (present(e)) {
                g = gs * 2.0 * (pred[e] - truth[e]);
            }
            grad[e] = g;
            continue;
        }
        let n = u32(k);
        if (!present(e)) {
            for (var c = 0u; c < n; c++) {
                grad[e + c] = 0.0;
            }
            continue;
        }
        let lse = group_lse(e, n);
        var ts = 0.0;
        for (var c = 0u; c < n; c++) {
            ts += truth[e + c];
        }
        for (var c = 0u; c < n; c++) {
            grad[e + c] = gs * (ts * exp(pred[e + c] - lse) - truth[e + c]);
        }
    }
}
