// matmul_epilogue.wgsl: the Params block of matmul.wgsl and
// matmul_reduce.wgsl and the epilogue they share.

struct MatMulParams {
    dyn: vec4<u32>,
    m: u32,
    k: u32,
    n: u32,
    kc: u32, // K per split: a multiple of BK, K itself when SPLIT = 1
    _pad: vec4<u32>,
}

@group(0) @binding(5) var<uniform> mp: MatMulParams;

// epilogue returns the final c[r, c0..c0+3] from the product v: the old c
// added (ACCUMULATE), then either multiplied by ACT'(aux[r, c0..]) (DERIV)
// or bias[c0..] added (HAS_BIAS) and ACT applied.
fn epilogue(r: u32, c0: u32, v0: vec4<f32>) -> vec4<f32> {
    var v = v0;
    if (ACCUMULATE) {
        v += c_load4(r * mp.n, c0, mp.n);
    }
    if (DERIV) {
        let y = aux_load4(r * mp.n, c0, mp.n);
        return v * vec4<f32>(act_deriv(y.x), act_deriv(y.y), act_deriv(y.z), act_deriv(y.w));
    }
    if (HAS_BIAS) {
        v += aux_load4(0u, c0, mp.n);
    }
    return vec4<f32>(act_apply(v.x), act_apply(v.y), act_apply(v.z), act_apply(v.w));
}
