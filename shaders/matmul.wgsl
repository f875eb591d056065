// matmul.wgsl: c (M,N) = op(a) (M,K) · op(b) (K,N), with op(x) = xᵀ where
// TRANS_A / TRANS_B say so (a is then stored (K,M), b (N,K)), and the fused
// epilogue: ACCUMULATE adds the old c; HAS_BIAS is Linear's
// c = ACT(... + bias[col]) with bias (1,N) in aux; DERIV is
// LinearInputGrad's c = (...) ⊙ ACT'(aux) with aux (M,N) the forward output;
// otherwise c = ACT(...). ROW_SUM also writes db[m] = Σ_k op(a)[m,k], the
// bias gradient of LinearGrads. Needs act.wgsl and matmul_epilogue.wgsl; the
// Go side (shaders.MatMul) declares the blocking constants and the buffers
// a, b, aux (read), c, db (read_write) with their load4/store4 helpers.
//
// A workgroup of WX x WY invocations computes a BM x BN block of c; an
// invocation computes TM contiguous rows by TN columns, in vec4 groups of
// columns WX*4 apart (so the vec4 reads of Bs are consecutive across
// invocations: no bank conflicts). K is walked in slices of BK staged in
// workgroup memory k-major (As[k][m], Bs[k][n]); a slice's global loads are
// issued into registers before the previous slice is multiplied (register
// prefetch). Global loads are vec4 along the stored matrix's rows (VecA,
// VecB; scalar otherwise), consecutive invocations reading consecutive
// words of a row (coalesced). Where a row runs along k the four values are
// stored transposed, four invocations per row of the operand; the vec4
// slots of k-row k are XOR-swizzled by swz(k), so those stores (8 operand
// rows x 4 k-groups per 32 invocations) land on 32 distinct banks, and the
// vec4 reads stay whole and conflict-free. Loads outside the matrices read
// zero, so any M, K, N works.
//
// SPLIT > 1: workgroup row wid.y = z*tiles_y + tile covers K range
// [z*kc, (z+1)*kc) and writes its raw partial sums to layer z of c
// (SPLIT (M,N) layers) and, with ROW_SUM, partial row sums to db (SPLIT x M);
// matmul_reduce adds the layers in order and applies the epilogue.

const BK: u32 = 16u;
const WX: u32 = BN / TN;
const WY: u32 = BM / TM;
const NT: u32 = WX * WY;
const SA: u32 = BM / 4u; // vec4 words per k-row of As
const SB: u32 = BN / 4u;
const LA: u32 = BM * BK / (4u * NT); // vec4 loads of a per invocation per slice
const LB: u32 = BN * BK / (4u * NT);
const GN: u32 = TN / 4u; // vec4 column groups per invocation
const GM: u32 = TM / 4u;
const AS_LEN: u32 = BK * SA;
const BS_LEN: u32 = BK * SB;
const ACC_LEN: u32 = TM * GN;

const KQ: u32 = BK / 4u; // vec4 loads per row of a k-contiguous operand's slice

// swz is the XOR swizzle of the vec4 slots of k-row k of As and Bs: it
// flips bits 1-2 of the slot, so it stays inside an aligned group of 8
// (SA and SB are multiples of 8) and sends k-groups 0-3 to distinct slots.
fn swz(k: u32) -> u32 {
    return (k >> 1u) & 6u;
}

var<workgroup> As: array<vec4<f32>, AS_LEN>;
var<workgroup> Bs: array<vec4<f32>, BS_LEN>;

// load_a returns the four values of load g of the slice at k0: along k at
// row row0+m when a is stored (M,K), along m at k0+k when stored (K,M).
fn load_a(g: u32, row0: u32, k0: u32) -> vec4<f32> {
    if (TRANS_A) {
        let r = k0 + g / SA;
        let c = row0 + 4u * (g % SA);
        if (r >= mp.k || c >= mp.m) { return vec4<f32>(0.0); }
        return a_load4(r * mp.m, c, mp.m);
    }
    let r = row0 + g / KQ;
    let c = k0 + 4u * (g % KQ);
    if (r >= mp.m || c >= mp.k) { return vec4<f32>(0.0); }
    return a_load4(r * mp.k, c, mp.k);
}

// store_a puts load g into As.
fn store_a(g: u32, v: vec4<f32>) {
    if (TRANS_A) {
        let k = g / SA;
        As[k * SA + ((g % SA) ^ swz(k))] = v;
        return;
    }
    let m = g / KQ;
    let k = 4u * (g % KQ);
    for (var j = 0u; j < 4u; j++) {
        As[(k + j) * SA + ((m / 4u) ^ swz(k + j))][m % 4u] = v[j];
    }
}

// load_b returns load g of b's slice at k0: along n when b is stored
// (K,N), along k at column col0+n when stored (N,K).
fn load_b(g: u32, col0: u32, k0: u32) -> vec4<f32> {
    if (TRANS_B) {
        let r = col0 + g / KQ;
        let c = k0 + 4u * (g % KQ);
        if (r >= mp.n || c >= mp.k) { return vec4<f32>(0.0); }
        return b_load4(r * mp.k, c, mp.k);
    }
    let r = k0 + g / SB;
    let c = col0 + 4u * (g % SB);
    if (r >= mp.k || c >= mp.n) { return vec4<f32>(0.0); }
    return b_load4(r * mp.n, c, mp.n);
}

// store_b puts load g into Bs.
fn store_b(g: u32, v: vec4<f32>) {
    if (!TRANS_B) {
        let k = g / SB;
        Bs[k * SB + ((g % SB) ^ swz(k))] = v;
        return;
    }
    let n = g / KQ;
    let k = 4u * (g % KQ);
    for (var j = 0u; j < 4u; j++) {
        Bs[(k + j) * SB + ((n / 4u) ^ swz(k + j))][n % 4u] = v[j];
    }
}

@compute @workgroup_size(WX, WY)
fn matmul(@builtin(workgroup_id) wid: vec3<u32>,
          @builtin(local_invocation_id) lid: vec3<u32>,
          @builtin(local_invocation_index) li: u32) {
    let tiles_y = (mp.m + BM - 1u) / BM;
    let z = wid.y / tiles_y;
    let row0 = (wid.y % tiles_y) * BM;
    let col0 = wid.x * BN;
    let k_begin = z * mp.kc;
    let k_end = min(mp.k, k_begin + mp.kc);
    let row_sum = ROW_SUM && wid.x == 0u;

    var acc: array<vec4<f32>, ACC_LEN>;
    var rs: array<vec4<f32>, GM>;
    var ra: array<vec4<f32>, LA>;
    var rb: array<vec4<f32>, LB>;
    for (var i = 0u; i < LA; i++) { ra[i] = load_a(li + i * NT, row0, k_begin); }
    for (var i = 0u; i < LB; i++) { rb[i] = load_b(li + i * NT, col0, k_begin); }
    for (var k0 = k_begin; k0 < k_end; k0 += BK) {
        workgroupBarrier();
        for (var i = 0u; i < LA; i++) { store_a(li + i * NT, ra[i]); }
        for (var i = 0u; i < LB; i++) { store_b(li + i * NT, rb[i]); }
        workgroupBarrier();
        if (k0 + BK < k_end) {
            for (var i = 0u; i < LA; i++) { ra[i] = load_a(li + i * NT, row0, k0 + BK); }
            for (var i = 0u; i < LB; i++) { rb[i] = load_b(li + i * NT, col0, k0 + BK); }
        }
        for (var kk = 0u; kk < BK; kk++) {
            var av: array<vec4<f32>, GM>;
            let s = swz(kk);
            for (var i = 0u; i < GM; i++) { av[i] = As[kk * SA + ((lid.y * GM + i) ^ s)]; }
            var bv: array<vec4<f32>, GN>;
            for (var j = 0u; j < GN; j++) { bv[j] = Bs[kk * SB + ((j * WX + lid.x) ^ s)]; }
            for (var i = 0u; i < TM; i++) {
                let a_i = av[i / 4u][i % 4u];
                for (var j = 0u; j < GN; j++) {
                    acc[i * GN + j] += a_i * bv[j];
                }
            }
            if (row_sum) {
                for (var i = 0u; i < GM; i++) { rs[i] += av[i]; }
            }
        }
    }

    for (var i = 0u; i < TM; i++) {
        let r = row0 + lid.y * TM + i;
        if (r >= mp.m) {
            break;
        }
        if (row_sum && lid.x == 0u) {
            let s = rs[i / 4u][i % 4u];
            if (SPLIT > 1u) {
                db[z * mp.m + r] = s;
            } else {
                db[r] = s;
            }
        }
        for (var j = 0u; j < GN; j++) {
            let c0 = col0 + (j * WX + lid.x) * 4u;
            if (c0 >= mp.n) {
                continue;
            }
            if (SPLIT > 1u) {
                c_store4((z * mp.m + r) * mp.n, c0, mp.n, acc[i * GN + j]);
            } else {
                c_store4(r * mp.n, c0, mp.n, epilogue(r, c0, acc[i * GN + j]));
            }
        }
    }
}
