#!/usr/bin/env bash
# Prints the README's table of every matrix product of the AE and VAE
# training steps (BenchmarkStepProducts, batch 128, the default cpu kernel)
# as Markdown: the shape; GFLOP/s (wall, median of COUNT runs); GFLOP per
# CPU-second (all threads' CPU time, median: what a shared machine's load
# moves least) and that as a share of the ceiling, the micro-kernel's
# GFLOP per CPU-second on L1-resident panels (BenchmarkMicro, one thread,
# best of the runs).
#
# Usage: bench/products-table.sh [COUNT]   (default 6; run from the repository root)
set -euo pipefail
count=${1:-6}
GO=${GO:-go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$GO test -c -o "$tmp/bench.test" ./bench/
$GO test -c -o "$tmp/gemm.test" ./internal/gemm/
# The default kernel is the first BenchmarkMicro runs (the best this CPU has).
kernel=${WGML_CPU_KERNEL:-$(cd internal/gemm && "$tmp/gemm.test" -test.run '^$' -test.bench Micro -test.benchtime 1x | sed -n 's#^BenchmarkMicro/\([a-z0-9]*\).*#\1#p' | head -1)}
for _ in $(seq "$count"); do
	(cd internal/gemm && "$tmp/gemm.test" -test.run '^$' -test.bench "Micro/$kernel\$" -test.benchtime 200ms) >>"$tmp/micro.txt"
	(cd bench && "$tmp/bench.test" -test.run '^$' -test.bench 'StepProducts' -test.benchtime 100ms) >>"$tmp/products.txt"
done
procs=$(grep -m1 -o 'StepProducts/[^ ]*-[0-9]*' "$tmp/products.txt" | sed 's/.*-//')
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; kernel $kernel; load: $(uptime | sed 's/.*load average: //')"
echo
echo "| model | layer | op | M×K×N | GFLOP/s | GFLOP per CPU-s | share of ceiling |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: |"
awk -v procs="${procs:-1}" '
	FNR == NR {
		if ($1 ~ /^BenchmarkMicro/) {
			for (i = 3; i < NF; i++) { if ($(i+1) == "GFLOP/s") g = $i; if ($(i+1) == "ns/op") t = $i; if ($(i+1) == "cpu-ns/op") c = $i }
			if (c > 0 && g * t / c > peak) peak = g * t / c
		}
		next
	}
	$1 ~ /^BenchmarkStepProducts/ {
		name = $1; sub(/-[0-9]+$/, "", name); if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		for (i = 3; i < NF; i++) {
			if ($(i+1) == "GFLOP/s") gf[name] = gf[name] " " $i
			if ($(i+1) == "cpu-ns/op") cns[name] = cns[name] " " $i
			if ($(i+1) == "ns/op") ns[name] = ns[name] " " $i
		}
	}
	function median(s,   a, k, i, j, t) {
		k = split(s, a, " ")
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		for (r = 1; r <= n; r++) {
			name = order[r]; split(name, p, "/")
			g = median(gf[name]); cpuG = g * median(ns[name]) / median(cns[name])
			printf "| %s | %s | %s | %s | %.1f | %.1f | %.0f%% |\n", p[3], p[4], p[5], p[6], g, cpuG, 100 * cpuG / peak
		}
		printf "\nCeiling: %.1f GFLOP per CPU-second (BenchmarkMicro/%s, one thread, best run); GOMAXPROCS=%d.\n", peak, "'"$kernel"'", procs
	}' "$tmp/micro.txt" "$tmp/products.txt"
