// gather.wgsl: dst[i,:] = scale·data[index[start+i],:] for dst (B,N).
// Bindings: data, index, dst, clock, params. data is f32 words, or with
// DATA_U8 bytes packed 4 per little-endian u32 word (element s is byte s of
// the buffer). index holds index_len indices, then the step clock's count
// when it was uploaded; start is start_base + (clock[bank] - that)·rows, so
// the device's step counter advances it from batch to batch and a step
// uploads nothing. data holds rows row_lo to row_hi-1 of the dataset (one
// buffer of a dataset split over several, whole rows in each, or all of
// it): a row outside that range is written by another buffer's dispatch.

struct GatherParams {
    start_base: u32,
    _dyn0: u32,
    _dyn1: vec2<u32>,
    rows: u32,
    cols: u32,
    scale: f32,
    bank: u32,
    index_len: u32,
    row_lo: u32,
    row_hi: u32,
    _pad1: u32,
}

@group(0) @binding(0) var<storage, read> data: array<u32>;
@group(0) @binding(1) var<storage, read> index: array<i32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<storage, read> gather_clock: array<u32>;
@group(0) @binding(4) var<uniform> gp: GatherParams;

@compute @workgroup_size(WG)
fn gather(@builtin(workgroup_id) wid: vec3<u32>,
          @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    if (e >= gp.rows * gp.cols) {
        return;
    }
    let i = e / gp.cols;
    let j = e - i * gp.cols;
    let start = gp.start_base + (gather_clock[gp.bank] - u32(index[gp.index_len])) * gp.rows;
    let r = u32(index[start + i]);
    if (r < gp.row_lo || r >= gp.row_hi) {
        return;
    }
    let s = (r - gp.row_lo) * gp.cols + j;
    var v: f32;
    if (DATA_U8) {
        v = f32((data[s >> 2u] >> ((s & 3u) * 8u)) & 0xffu);
    } else {
        v = bitcast<f32>(data[s]);
    }
    dst[e] = gp.scale * v;
}
