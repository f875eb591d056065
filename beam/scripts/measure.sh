#!/usr/bin/env bash
# Measures wgml-beam score on Beam's prism runner against one `wgml score`
# process on the same 1M-row CSV: wall time, rows/s and peak RSS of each
# (GNU time -v), then checks that both wrote the same scores. Not a test: a
# minute or two on 2 cores. ROWS, COLS, SHARDS and WORK override the
# defaults; the figures print at the end.
#
#	beam/scripts/measure.sh            # from the repository root
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-1000000} COLS=${COLS:-8} SHARDS=${SHARDS:-4}
WORK=${WORK:-$(mktemp -d /tmp/wgml-beam-measure.XXXXXX)}
GO=${GO:-go}
mkdir -p "$WORK" bin

"$GO" build -o bin/wgml ./cmd/wgml
(cd beam && "$GO" build -o ../bin/wgml-beam ./cmd/wgml-beam)

# ROWS rows of COLS correlated numbers (c2.. are noisy mixes of c0 and c1).
gen() {
	awk -v rows="$1" -v cols="$COLS" -v seed="$2" 'BEGIN {
		srand(seed); OFS = ","
		for (j = 0; j < cols; j++) printf "%sc%d", (j ? "," : ""), j; print ""
		for (i = 0; i < rows; i++) {
			x = rand() * 2 - 1; y = rand() * 2 - 1
			printf "%.5f,%.5f", x, y
			for (j = 2; j < cols; j++) printf ",%.5f", (j % 2 ? x : y) * j / cols + 0.05 * (rand() - 0.5)
			print ""
		}
	}'
}
gen 20000 1 > "$WORK/train.csv"
gen "$ROWS" 2 > "$WORK/big.csv"
bin/wgml train --data "$WORK/train.csv" --layers "$COLS,6,3" --epochs 3 --backend cpu --out "$WORK/run" --overwrite > "$WORK/train.log"
MODEL=$WORK/run/model.safetensors

measure() { # name command...: runs it under GNU time, prints wall s, rows/s, peak RSS
	local name=$1; shift
	/usr/bin/time -v "$@" > "$WORK/$name.log" 2> "$WORK/$name.time"
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$WORK/$name.time")
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/$name.time")
	printf '%-28s %8.2f s %10.0f rows/s %8.0f MB peak RSS\n' "$name" "$wall" "$(echo "$ROWS / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

echo "$ROWS rows x $COLS columns ($(du -h "$WORK/big.csv" | cut -f1)), model $COLS-6-3 AE; $(nproc) CPUs; load: $(uptime | sed 's/.*load average/load average/')"
# --test big.csv: score every row of the file in order (without it, wgml
# score scores the 20% test split of --data).
measure "wgml score" bin/wgml score --model "$MODEL" --data "$WORK/big.csv" --test "$WORK/big.csv" --backend cpu --out "$WORK/wgml-scores.csv"
measure "wgml-beam score (prism)" bin/wgml-beam score --model "$MODEL" --data "$WORK/big.csv" --out "$WORK/beam-scores" --shards "$SHARDS"
echo "load after: $(uptime | sed 's/.*load average/load average/')"

# The same rows, the same scores: both sorted by index, headers dropped.
tail -q -n +2 "$WORK"/beam-scores-*-of-*.csv | sort -t, -k1,1n > "$WORK/beam.sorted"
tail -n +2 "$WORK/wgml-scores.csv" | sort -t, -k1,1n > "$WORK/wgml.sorted"
differ=$(diff "$WORK/beam.sorted" "$WORK/wgml.sorted" | grep -c '^<' || true)
echo "scores: $(wc -l < "$WORK/beam.sorted") rows from wgml-beam, $(wc -l < "$WORK/wgml.sorted") from wgml score; $differ lines differ (diff $WORK/beam.sorted $WORK/wgml.sorted)"
