// matmul_reduce.wgsl: the second dispatch of a split-K product. part holds
// SPLIT (M,N) layers of partial sums; invocation e < M*ceil(N/4) adds the
// four columns it owns over the layers in order z = 0, 1, ... (the same
// bits every run) and writes the epilogue (matmul_epilogue.wgsl) into c.
// With ROW_SUM the next M invocations add rowpart (SPLIT x M) likewise into
// db. Needs act.wgsl and matmul_epilogue.wgsl.

@compute @workgroup_size(WG)
fn matmul_reduce(@builtin(workgroup_id) wid: vec3<u32>,
                 @builtin(num_workgroups) nwg: vec3<u32>,
                 @builtin(local_invocation_id) lid: vec3<u32>) {
    let e = element_index(wid, nwg, lid);
    let groups = (mp.n + 3u) / 4u;
    let outputs = mp.m * groups;
    if (e < outputs) {
        let r = e / groups;
        let c0 = 4u * (e % groups);
        var v = vec4<f32>(0.0);
        for (var z = 0u; z < SPLIT; z++) {
            v += part_load4((z * mp.m + r) * mp.n, c0, mp.n);
        }
        c_store4(r * mp.n, c0, mp.n, epilogue(r, c0, v));
        return;
    }
    let r = e - outputs;
    if (ROW_SUM && r < mp.m) {
        var s = 0.0;
        for (var z = 0u; z < SPLIT; z++) {
            s += rowpart[z * mp.m + r];
        }
        db[r] = s;
    }
}
