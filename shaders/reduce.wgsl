// reduce.wgsl: library of the deterministic workgroup sum used by the
// per-row losses (workgroup_size(WG), one workgroup per row).

var<workgroup> partial: array<f32, WG>;

// workgroup_sum returns the sum of v over the workgroup's WG invocations,
// as a fixed tree (so the same inputs always give the same bits). Every
// invocation must call it (it has barriers).
fn workgroup_sum(li: u32, v: f32) -> f32 {
    partial[li] = v;
    workgroupBarrier();
    for (var h = WG / 2u; h > 0u; h >>= 1u) {
        if (li < h) {
            partial[li] += partial[li + h];
        }
        workgroupBarrier();
    }
    return partial[0];
}
