// common.wgsl: helpers shared by every module (after the variant prelude).

// WG is the workgroup size of the one-dimensional kernels.
const WG: u32 = 256u;

// group_index flattens the two-dimensional grid the Go side dispatches when
// a count of workgroups exceeds 65535 per dimension.
fn group_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return wid.y * nwg.x + wid.x;
}

// element_index is the element an invocation of a one-dimensional kernel
// (workgroup_size(WG)) handles.
fn element_index(wid: vec3<u32>, nwg: vec3<u32>, lid: vec3<u32>) -> u32 {
    return group_index(wid, nwg) * WG + lid.x;
}
