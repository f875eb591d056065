// sumrows.wgsl: dst (1,N) = Σ_i src[i,:] for src (R,N), or dst += with
// ACCUMULATE. Bindings: src, dst, params.
//
// A workgroup of 16x16 handles 16 columns: invocation (x, y) sums rows y,
// y+16, ... of column x in order, then the 16 partial sums of a column are
// added as a fixed tree in workgroup memory. No atomics: the result is the
// same bits every run.

struct SumRowsParams {
    _dyn: vec4<u32>,
    rows: u32,
    cols: u32,
    _pad0: vec2<u32>,
    _pad1: vec4<u32>,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> sp: SumRowsParams;

var<workgroup> column_part: array<f32, 256>;

@compute @workgroup_size(16, 16)
fn sum_rows(@builtin(workgroup_id) wid: vec3<u32>,
            @builtin(num_workgroups) nwg: vec3<u32>,
            @builtin(local_invocation_id) lid: vec3<u32>) {
    let col = group_index(wid, nwg) * 16u + lid.x;
    var s = 0.0;
    if (col < sp.cols) {
        for (var i = lid.y; i < sp.rows; i += 16u) {
            s += src[i * sp.cols + col];
        }
    }
    column_part[lid.y * 16u + lid.x] = s;
    workgroupBarrier();
    for (var h = 8u; h > 0u; h >>= 1u) {
        if (lid.y < h) {
            column_part[lid.y * 16u + lid.x] += column_part[(lid.y + h) * 16u + lid.x];
        }
        workgroupBarrier();
    }
    if (lid.y == 0u && col < sp.cols) {
        var v = column_part[lid.x];
        if (ACCUMULATE) {
            v += dst[col];
        }
        dst[col] = v;
    }
}
