// random.wgsl: RandNormal and Corrupt over n elements; element e draws
// random_bits(seed, stream, e). Needs philox.wgsl. The stream's low word is
// stream_base + clock[bank], the device's step counter, so a training step
// uploads nothing.

struct RandomParams {
    seed: vec2<u32>,
    stream_base: u32,
    stream_hi: u32,
    n: u32,
    level: f32,
    bank: u32,
    _pad0: u32,
    _pad1: vec4<u32>,
}

// stream returns the (lo, hi) words of the stream of p.
fn stream(p: RandomParams, clock: u32) -> vec2<u32> {
    return vec2<u32>(p.stream_base + clock, p.stream_hi);
}

// rand_normal: bindings dst, clock, params. dst[e] = philox.Normal(seed, stream, e).
@group(0) @binding(0) var<storage, read_write> normal_dst: array<f32>;
@group(0) @binding(1) var<storage, read> normal_clock: array<u32>;
@group(0) @binding(2) var<uniform> np: RandomParams;

@compute @workgroup_size(WG)
fn rand_normal(@builtin(workgroup_id) wid: vec3<u32>,
               @builtin(num_workgroups) nwg: vec3<u32>,
               @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= np.n) {
        return;
    }
    let r = random_bits(np.seed, stream(np, normal_clock[np.bank]), e);
    normal_dst[e] = box_muller(uniform01(r.x), uniform01(r.y));
}

// corrupt: bindings src, dst, clock, params. dst[e] = noise.Noise.Apply(src[e], ...)
// for the noise kind NOISE at level, clamped to [0,1] with CLIP.
@group(0) @binding(0) var<storage, read> corrupt_src: array<f32>;
@group(0) @binding(1) var<storage, read_write> corrupt_dst: array<f32>;
@group(0) @binding(2) var<storage, read> corrupt_clock: array<u32>;
@group(0) @binding(3) var<uniform> cp: RandomParams;

@compute @workgroup_size(WG)
fn corrupt(@builtin(workgroup_id) wid: vec3<u32>,
           @builtin(num_workgroups) nwg: vec3<u32>,
           @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= cp.n) {
        return;
    }
    var x = corrupt_src[e];
    let r = random_bits(cp.seed, stream(cp, corrupt_clock[cp.bank]), e);
    switch NOISE {
        case 1u: { // gaussian
            x += cp.level * box_muller(uniform01(r.x), uniform01(r.y));
        }
        case 2u: { // mask
            if (uniform01(r.z) < cp.level) {
                x = 0.0;
            }
        }
        case 3u: { // salt and pepper
            if (uniform01(r.z) < cp.level) {
                x = select(1.0, 0.0, uniform01(r.w) < 0.5);
            }
        }
        default: {}
    }
    if (CLIP) {
        x = clamp(x, 0.0, 1.0);
    }
    corrupt_dst[e] = x;
}
