#!/usr/bin/env python3
"""An N×N×N float32 matrix product: torch.matmul (TF32 off) against wgml's
BenchmarkMatMul on the same machine, in one run, with the ratio.

  python3 bench/peer/matmul.py --device cuda --size 4096 --bench-test .dev/bench.test
  python3 bench/peer/matmul.py --device cpu --size 512 --bench-test .dev/bench.test --backend cpu

wgml's side runs `BENCH_TEST -test.run '^$' -test.bench 'MatMul/BACKEND/NxNxN$'`
(on cpu 'MatMul/cpu/KERNEL/NxNxN$', see --kernels) with WGML_BENCH_MATMUL=NxNxN
and reads its GFLOP/s. Exits 0 with a message
when torch is not installed.
"""

import argparse
import os
import re
import subprocess
import sys
import time


def torch_gflops(torch, n, device, iters):
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    if hasattr(torch, "set_float32_matmul_precision"):
        torch.set_float32_matmul_precision("highest")
    g = torch.Generator(device=device).manual_seed(1)
    a = torch.rand(n, n, device=device, generator=g, dtype=torch.float32) * 2 - 1
    b = torch.rand(n, n, device=device, generator=g, dtype=torch.float32) * 2 - 1
    c = torch.empty(n, n, device=device)

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    for _ in range(3):
        torch.matmul(a, b, out=c)
    sync()
    t0 = time.perf_counter()
    for _ in range(iters):
        torch.matmul(a, b, out=c)
    sync()
    return 2 * n ** 3 * iters / (time.perf_counter() - t0) / 1e9


def wgml_gflops(bench_test, backend, n, iters, kernels):
    """GFLOP/s of BenchmarkMatMul/BACKEND/NxNxN; on cpu, of
    BenchmarkMatMul/cpu/KERNEL/NxNxN for the first of kernels this CPU runs
    (a kernel it lacks is skipped and prints no figure)."""
    shape = f"{n}x{n}x{n}"
    env = dict(os.environ, WGML_BENCH_MATMUL=shape, WGML_BENCH_ALL="1")
    levels = [f"{backend}/{k}" for k in kernels] if backend == "cpu" else [backend]
    for lv in levels:
        cmd = [bench_test, "-test.run", "^$", "-test.bench", f"MatMul/{lv}/{shape}$", "-test.benchtime", f"{iters}x"]
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
        out = p.stdout + p.stderr
        m = re.search(r"([0-9.]+) GFLOP/s", out)
        if p.returncode != 0:
            sys.exit(f"matmul: {' '.join(cmd)}: exit {p.returncode}:\n{out}")
        if m:
            return float(m.group(1)), out
    sys.exit(f"matmul: no GFLOP/s from {bench_test} for {backend} {' '.join(kernels)}:\n{out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=4096)
    ap.add_argument("--device", default="cuda", help="torch device: cuda or cpu")
    ap.add_argument("--backend", default="gpu", help="wgml backend: gpu or cpu")
    ap.add_argument("--bench-test", default=".dev/bench.test", help="wgml's compiled benchmarks (go test -c ./bench)")
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--kernels", default="avx512,avx2,generic",
                    help="cpu backend: the first of these kernels the CPU runs is timed (default avx512,avx2,generic)")
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        print(f"matmul: skipped: PyTorch is not installed for {sys.executable}")
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        print("matmul: skipped: --device cuda but torch.cuda.is_available() is False")
        return 0
    name = torch.cuda.get_device_name(0) if args.device == "cuda" else "cpu"
    n = args.size
    t = torch_gflops(torch, n, args.device, args.iters)
    w, out = wgml_gflops(args.bench_test, args.backend, n, args.iters, args.kernels.split(","))
    line = [l for l in out.splitlines() if l.startswith("BenchmarkMatMul")]
    print(f"matmul {n}x{n}x{n} float32 on {name}:")
    print(f"  torch {torch.__version__} {args.device} (TF32 off): {t:10.1f} GFLOP/s")
    print(f"  wgml {args.backend}:{' ' * max(0, 22 - len(args.backend))}{w:10.1f} GFLOP/s   ({line[0].strip() if line else ''})")
    print(f"  ratio wgml/torch: {w / t:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
