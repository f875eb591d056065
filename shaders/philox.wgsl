// philox.wgsl: library of wgml's random stream, bit for bit the functions
// of internal/philox: Philox4x32-10, Uniform, and a Box-Muller transform that
// agrees with Go's float64 one to float32 rounding.

const PHILOX_M0: u32 = 0xD2511F53u;
const PHILOX_M1: u32 = 0xCD9E8D57u;
const PHILOX_W0: u32 = 0x9E3779B9u;
const PHILOX_W1: u32 = 0xBB67AE85u;

// mul_hi returns the high 32 bits of the 64-bit product a·b, from 16-bit
// halves (WGSL has no 64-bit integers).
fn mul_hi(a: u32, b: u32) -> u32 {
    let a0 = a & 0xffffu;
    let a1 = a >> 16u;
    let b0 = b & 0xffffu;
    let b1 = b >> 16u;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let mid = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
    return a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}

// philox4x32 is nn.Philox4x32: ten rounds over counter ctr under key.
fn philox4x32(ctr_in: vec4<u32>, key_in: vec2<u32>) -> vec4<u32> {
    var ctr = ctr_in;
    var key = key_in;
    for (var r = 0; r < 10; r++) {
        let hi0 = mul_hi(PHILOX_M0, ctr.x);
        let lo0 = PHILOX_M0 * ctr.x;
        let hi1 = mul_hi(PHILOX_M1, ctr.z);
        let lo1 = PHILOX_M1 * ctr.z;
        ctr = vec4<u32>(hi1 ^ ctr.y ^ key.x, lo1, hi0 ^ ctr.w ^ key.y, lo0);
        key += vec2<u32>(PHILOX_W0, PHILOX_W1);
    }
    return ctr;
}

// random_bits is philox.Bits: element e of stream (seed, stream), with
// seed and stream given as (lo, hi) word pairs.
fn random_bits(seed: vec2<u32>, stream: vec2<u32>, e: u32) -> vec4<u32> {
    return philox4x32(vec4<u32>(e, 0u, stream.x, stream.y), seed);
}

// uniform01 is philox.Uniform: (x>>9)·2⁻²³ + 2⁻²⁴, exact in f32.
fn uniform01(x: u32) -> f32 {
    return f32(x >> 9u) * (1.0 / 8388608.0) + (1.0 / 16777216.0);
}

// ln is the natural logarithm with a small relative error near 1 too
// (Vulkan allows the log builtin an absolute error of 2⁻²¹ there, which
// would swamp -2·ln(u) for u close to 1): x = m·2^k with m in [√½, √2),
// ln x = k·ln2 + 2·atanh((m-1)/(m+1)).
fn ln(x: f32) -> f32 {
    let f = frexp(x);
    var m = f.fract;
    var k = f32(f.exp);
    if (m < 0.70710678) {
        m *= 2.0;
        k -= 1.0;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = 1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0))));
    return k * 0.69314718 + 2.0 * s * series;
}

// cos_2pi returns cos(2π·u) for u in [0, 1], reducing to a quarter period
// first (the cos builtin may be inaccurate outside [-π, π] and is only
// required to be within 2⁻¹¹ inside it).
fn cos_2pi(u: f32) -> f32 {
    let q = round(4.0 * u);
    let x = 6.28318531 * (u - 0.25 * q);
    let x2 = x * x;
    let c = 1.0 + x2 * (-1.0 / 2.0 + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40320.0))));
    let s = x * (1.0 + x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 * (1.0 / 362880.0)))));
    switch (u32(q) & 3u) {
        case 1u: { return -s; }
        case 2u: { return -c; }
        case 3u: { return s; }
        default: { return c; }
    }
}

// box_muller is nn.BoxMuller: sqrt(-2·ln u1)·cos(2π·u2).
fn box_muller(u1: f32, u2: f32) -> f32 {
    return sqrt(max(-2.0 * ln(u1), 0.0)) * cos_2pi(u2);
}
