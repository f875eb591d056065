// matmul.wgsl: c (M,N) = op(a) (M,K) · op(b) (K,N), with op(x) = xᵀ where
// TRANS_A / TRANS_B say so (a is then stored (K,M), b (N,K)). ACCUMULATE adds
// the old c. HAS_BIAS is the fused Linear epilogue: c = ACT(... + bias[col]).
// Needs act.wgsl.
//
// Bindings: a, b, bias (1,N) (any buffer without HAS_BIAS), c, params.
//
// Each workgroup of 16x16 invocations computes a TILE x TILE (64x64) block
// of c, each invocation 4x4 outputs strided by 16 (rows ly+16i, columns
// lx+16j), so shared-memory reads and the stores of c are consecutive across
// a row of invocations. K is walked in slices of TK, staged in workgroup
// memory; loads outside the matrices read zero, so any M, K, N works.

struct MatMulParams {
    dyn: vec4<u32>,
    m: u32,
    k: u32,
    n: u32,
    _pad0: u32,
    _pad1: vec4<u32>,
}

@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> mp: MatMulParams;

const TILE: u32 = 64u;
const TK: u32 = 16u;

// a_tile[kk*TILE + m] = op(a)[row0+m, k0+kk]; b_tile[kk*TILE + n] likewise.
var<workgroup> a_tile: array<f32, 1024>;
var<workgroup> b_tile: array<f32, 1024>;

// load_a returns op(a)[row, kk], or 0 outside the matrix.
fn load_a(row: u32, kk: u32) -> f32 {
    if (row >= mp.m || kk >= mp.k) {
        return 0.0;
    }
    if (TRANS_A) {
        return a[kk * mp.m + row];
    }
    return a[row * mp.k + kk];
}

// load_b returns op(b)[kk, col], or 0 outside the matrix.
fn load_b(kk: u32, col: u32) -> f32 {
    if (kk >= mp.k || col >= mp.n) {
        return 0.0;
    }
    if (TRANS_B) {
        return b[col * mp.k + kk];
    }
    return b[kk * mp.n + col];
}

@compute @workgroup_size(16, 16)
fn matmul(@builtin(workgroup_id) wid: vec3<u32>,
          @builtin(local_invocation_id) lid: vec3<u32>,
          @builtin(local_invocation_index) li: u32) {
    let row0 = wid.y * TILE;
    let col0 = wid.x * TILE;
    var acc: array<vec4<f32>, 4>;
    for (var k0 = 0u; k0 < mp.k; k0 += TK) {
        // Stage the slices: 1024 elements each, 4 per invocation, walking
        // the stored matrix's contiguous dimension across invocations.
        for (var i = 0u; i < 4u; i++) {
            let idx = li + i * 256u;
            var m: u32;
            var ka: u32;
            if (TRANS_A) {
                m = idx % TILE;
                ka = idx / TILE;
            } else {
                ka = idx % TK;
                m = idx / TK;
            }
            a_tile[ka * TILE + m] = load_a(row0 + m, k0 + ka);
            var n: u32;
            var kb: u32;
            if (TRANS_B) {
                kb = idx % TK;
                n = idx / TK;
            } else {
                n = idx % TILE;
                kb = idx / TILE;
            }
            b_tile[kb * TILE + n] = load_b(k0 + kb, col0 + n);
        }
        workgroupBarrier();
        for (var kk = 0u; kk < TK; kk++) {
            let base = kk * TILE;
            let av = vec4<f32>(a_tile[base + lid.y], a_tile[base + lid.y + 16u],
                               a_tile[base + lid.y + 32u], a_tile[base + lid.y + 48u]);
            let bv = vec4<f32>(b_tile[base + lid.x], b_tile[base + lid.x + 16u],
                               b_tile[base + lid.x + 32u], b_tile[base + lid.x + 48u]);
            acc[0] += av.x * bv;
            acc[1] += av.y * bv;
            acc[2] += av.z * bv;
            acc[3] += av.w * bv;
        }
        workgroupBarrier();
    }
    for (var i = 0u; i < 4u; i++) {
        let row = row0 + lid.y + 16u * i;
        if (row >= mp.m) {
            continue;
        }
        for (var j = 0u; j < 4u; j++) {
            let col = col0 + lid.x + 16u * j;
            if (col >= mp.n) {
                continue;
            }
            let e = row * mp.n + col;
            var v = acc[i][j];
            if (ACCUMULATE) {
                v += c[e];
            }
            if (HAS_BIAS) {
                v += bias[col];
            }
            c[e] = act_apply(v);
        }
    }
}
