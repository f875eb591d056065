#!/usr/bin/env bash
# Measures training past one storage binding and past memory (README "Large
# data"): not a test, it takes minutes.
#
#  1. A 2.5M × 32 float32 .npy (320 MB, 2.4× lavapipe's 128 MiB binding)
#     trains one epoch resident on --backend gpu, split over several
#     bindings, and on cpu: the test losses must agree; on 100000 of its
#     rows, gpu in one binding and in 13 must end where cpu ends.
#  2. Samples/s of the same file resident and streamed (wgml bench), with
#     bytes uploaded per step (0 resident, a batch's rows streamed).
#  3. A larger .npy (LARGE_ROWS × 32, 2 GB by default) streamed from disk
#     for one epoch on cpu, its peak RSS from /usr/bin/time -v: bounded by
#     the chunk buffers, not the file.
#  4. The workflow: wgml train --stream on that file, one epoch on cpu
#     (normaliser pass, epoch, threshold pass), wall time and peak RSS.
#  5. A 1.2M × 32 CSV (365 MB) trained with --stream through its binary
#     cache (built on the first run, reused on the second) and resident:
#     samples/s and peak RSS of each.
#  6. --backend gpu streaming the LARGE_ROWS file (16× lavapipe's 128 MiB
#     binding): wgml bench --stream for GPU_STEPS steps, then wgml train
#     --stream interrupted (SIGINT) after GPU_SECONDS, its checkpoint written.
#
# Usage: scripts/largedata.sh   (LARGEDATA_DIR, default /tmp/wgml-largedata,
# holds the files; LARGE_ROWS sets the size of 3; SECTIONS, default
# "1 2 3 4 5 6", picks the sections run.) The files come from
# bench/largedata gen (normal draws; the .npy holds what the CSV says).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${LARGEDATA_DIR:-/tmp/wgml-largedata}
large_rows=${LARGE_ROWS:-16000000}
sections=" ${SECTIONS:-1 2 3 4 5 6} "
gpu_steps=${GPU_STEPS:-200}
gpu_seconds=${GPU_SECONDS:-120}
mkdir -p "$dir"
go build -o "$dir/wgml" ./cmd/wgml
go build -o "$dir/largedata" ./bench/largedata
wgml=$dir/wgml
uptime
has() { [[ $sections == *" $1 "* ]]; }
# gen ROWS NAME: NAME.npy (and NAME.csv when CSV=1) of ROWS × 32 values.
gen() {
	local csv=/dev/null
	[ "${CSV:-0}" = 1 ] && csv=$dir/$2.csv
	[ -f "$dir/$2.npy" ] && { [ "$csv" = /dev/null ] || [ -f "$csv" ]; } || "$dir/largedata" gen "$1" 32 "$csv" "$dir/$2.npy"
}
# timed LABEL COMMAND...: the command's epoch and summary lines, wall time
# and peak RSS (/usr/bin/time -v).
timed() {
	local label=$1
	shift
	/usr/bin/time -v "$@" >"$dir/out" 2>"$dir/time" || true
	tr '\r' '\n' <"$dir/out" | grep -E "^streaming|^epoch|^test loss|^outlier|^interrupted|^ +(cpu|gpu) " || true
	grep -E "^wgml: |error" "$dir/time" | head -3 || true
	echo "$label: wall $(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time"), peak RSS $(($(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time") / 1024)) MiB"
}

if has 1 || has 2; then gen 2500000 big25; fi
if has 1; then
echo "== 1. big25.npy ($(du -h "$dir/big25.npy" | cut -f1)), one epoch resident, gpu (several bindings) and cpu"
for be in gpu cpu; do
	/usr/bin/time -v "$wgml" train --data "$dir/big25.npy" --model ae --backend "$be" --epochs 1 --batch 512 \
		--out "$dir/run-$be" --overwrite 2>&1 | grep -E "^training|^epoch|^test loss|Maximum resident|Elapsed"
done

echo "== 1b. 100000 of its rows: gpu in one binding, gpu in 13 (WGML_MAX_BINDING), cpu"
for v in "gpu " "gpu 1048576" "cpu "; do
	set -- $v
	WGML_MAX_BINDING=${2:-} "$wgml" train --data "$dir/big25.npy" --model ae --backend "$1" --epochs 1 --batch 512 \
		--limit 100000 --test-limit 20000 --out "$dir/run-limit" --overwrite 2>&1 | grep -E "^epoch"
done
fi

if has 2; then
echo "== 2. big25.npy resident against streamed (wgml bench)"
for round in 1 2; do # cpu: two interleaved rounds of 900 steps
	for mode in "" --stream; do
		"$wgml" bench --data "$dir/big25.npy" $mode --model ae --layers 32,256,64,16 --backends cpu \
			--batch 512 --steps 900 --growth=false 2>&1 | grep -E "^ +cpu " | sed "s/^/round $round ${mode:-resident} /"
	done
done
for mode in "" --stream; do # gpu: one round of 300 steps
	"$wgml" bench --data "$dir/big25.npy" $mode --model ae --layers 32,256,64,16 --backends gpu \
		--batch 512 --steps 300 --growth=false 2>&1 | grep -E "^ +gpu " | sed "s/^/${mode:-resident} /"
done
fi

if has 3 || has 4 || has 6; then gen "$large_rows" large; fi
if has 3; then
echo "== 3. large.npy ($(du -h "$dir/large.npy" | cut -f1)) streamed from disk for one epoch on cpu"
/usr/bin/time -v "$wgml" bench --data "$dir/large.npy" --stream --model ae --layers 32,16,4 --backends cpu \
	--batch 1024 --steps $((large_rows / 1024)) --growth=false 2>&1 | grep -E "^wgml bench|^ +cpu|Maximum resident|Elapsed"
fi

train=(train --kind ae --layers 32,16,4 --batch 1024 --epochs 1 --overwrite)
if has 4; then
echo "== 4. wgml train --stream on large.npy ($(du -h "$dir/large.npy" | cut -f1)), one epoch on cpu"
timed "train --stream large.npy cpu" "$wgml" "${train[@]}" --data "$dir/large.npy" --stream --backend cpu --out "$dir/run-stream"
fi

if has 5; then
CSV=1 gen 1200000 big12
echo "== 5. big12.csv ($(du -h "$dir/big12.csv" | cut -f1)): --stream through its cache (built, then reused), and resident"
rm -rf "$dir/run-csv-stream"
for run in "build the cache" "reuse the cache"; do
	timed "train --stream big12.csv cpu ($run)" "$wgml" "${train[@]}" --data "$dir/big12.csv" --stream --backend cpu --out "$dir/run-csv-stream"
done
timed "train big12.csv cpu resident" "$wgml" "${train[@]}" --data "$dir/big12.csv" --stream=off --backend cpu --out "$dir/run-csv-resident"
timed "train --stream big12.npy cpu" "$wgml" "${train[@]}" --data "$dir/big12.npy" --stream --backend cpu --out "$dir/run-npy-stream"
timed "train big12.npy cpu resident" "$wgml" "${train[@]}" --data "$dir/big12.npy" --stream=off --backend cpu --out "$dir/run-npy-resident"
fi

if has 6; then
echo "== 6. --backend gpu streaming large.npy ($(du -h "$dir/large.npy" | cut -f1), $((large_rows * 128 / 134217728))× lavapipe's 128 MiB binding)"
timed "bench --stream large.npy gpu, $gpu_steps steps" "$wgml" bench --data "$dir/large.npy" --stream --kind ae --layers 32,16,4 --backends gpu \
	--batch 1024 --steps "$gpu_steps" --growth=false
timed "train --stream large.npy gpu, SIGINT after ${gpu_seconds}s" timeout -s INT "$gpu_seconds" "$wgml" "${train[@]}" --data "$dir/large.npy" \
	--stream --backend gpu --log-every 10 --out "$dir/run-stream-gpu"
ls -l "$dir/run-stream-gpu"
fi
uptime
