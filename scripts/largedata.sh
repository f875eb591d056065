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
#
# Usage: scripts/largedata.sh   (LARGEDATA_DIR, default /tmp/wgml-largedata,
# holds the files; LARGE_ROWS sets the size of 3.)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${LARGEDATA_DIR:-/tmp/wgml-largedata}
large_rows=${LARGE_ROWS:-16000000}
mkdir -p "$dir"
go build -o "$dir/wgml" ./cmd/wgml
go build -o "$dir/npygen" ./scripts/npygen
wgml=$dir/wgml
uptime

[ -f "$dir/big25.npy" ] || "$dir/npygen" -rows 2500000 -cols 32 -out "$dir/big25.npy"
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

[ -f "$dir/large.npy" ] || "$dir/npygen" -rows "$large_rows" -cols 32 -out "$dir/large.npy"
echo "== 3. large.npy ($(du -h "$dir/large.npy" | cut -f1)) streamed from disk for one epoch on cpu"
/usr/bin/time -v "$wgml" bench --data "$dir/large.npy" --stream --model ae --layers 32,16,4 --backends cpu \
	--batch 1024 --steps $((large_rows / 1024)) --growth=false 2>&1 | grep -E "^wgml bench|^ +cpu|Maximum resident|Elapsed"
uptime
