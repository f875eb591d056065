#!/bin/sh
# Large data (issue 19): reading a 1.2M-row × 32-column table of floats with
# wgml's reader and with pandas read_csv, then one training epoch on it as
# CSV and as .npy, each with wall time, CPU time (user+sys: less swayed by
# other work on a shared machine than the wall) and peak RSS
# (/usr/bin/time -v), in one run so that the ratios hold under the
# machine's load (printed).
#
#   bench/large-data.sh            (ROWS, COLS, DIR override the defaults)
#
# The table is deterministic (bench/largedata gen, seed 1): normal draws
# with 6 decimals, 365 MB as CSV, 154 MB as float32 .npy.
set -eu
ROWS=${ROWS:-1200000}
COLS=${COLS:-32}
DIR=${DIR:-/tmp/wgml-large-data}
mkdir -p "$DIR"
go build -o "$DIR/largedata" ./bench/largedata
go build -o "$DIR/wgml" ./cmd/wgml
if [ ! -f "$DIR/big.csv" ]; then
	"$DIR/largedata" gen "$ROWS" "$COLS" "$DIR/big.csv" "$DIR/big.npy"
fi
ls -l "$DIR/big.csv" "$DIR/big.npy"
measure() { # measure NAME COMMAND...: the command's output, wall, CPU time and peak RSS
	name=$1
	shift
	/usr/bin/time -v "$@" >"$DIR/out" 2>"$DIR/time" || { cat "$DIR/out" "$DIR/time"; exit 1; }
	grep -E "rows/s|read_csv|samples/s" "$DIR/out" || true
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/time")
	cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f s", s }' "$DIR/time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time")
	echo "| $name | $wall | $cpu | $((rss / 1024)) MB |"
}
uptime
echo "| what | wall (m:ss) | CPU (user+sys) | peak RSS |"
echo "| --- | ---: | ---: | ---: |"
measure "wgml reader (data.ReadFile) on the CSV" "$DIR/largedata" read "$DIR/big.csv"
if /usr/bin/python3 -c "import pandas" 2>/dev/null; then
	measure "pandas read_csv (import included in wall and RSS)" /usr/bin/python3 -c "
import time, pandas as pd
t = time.time(); df = pd.read_csv('$DIR/big.csv'); s = time.time() - t
print('pandas %s read_csv: %d rows in %.3f s: %.0f rows/s' % (pd.__version__, len(df), s, len(df) / s))"
else
	echo "pandas not installed: no reference timing"
fi
measure "wgml reader on the .npy" "$DIR/largedata" read "$DIR/big.npy"
measure "wgml train --epochs 1 on the CSV (cpu)" "$DIR/wgml" train --data "$DIR/big.csv" --epochs 1 --backend cpu --out "$DIR/run-csv" --overwrite
measure "wgml train --epochs 1 on the .npy (cpu)" "$DIR/wgml" train --data "$DIR/big.npy" --epochs 1 --backend cpu --out "$DIR/run-npy" --overwrite
uptime
