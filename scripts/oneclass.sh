#!/usr/bin/env bash
# One-class MNIST outlier detection (issue 5), as one command: `make oneclass`.
#
# For each digit k: train the 784-256-64-16 AE (ReLU, sigmoid output, MSE,
# Adam 1e-3, batch 128, seed 1) on the training images of k only
# (--normal-class k, about 6000 rows), then score the whole test set (10000
# images) by reconstruction error; AUROC and AUPRC take every other digit as
# the positive (outlier) class. 5-12 s per epoch on 2 CPU cores: 20-50 min.
#
# Environment: EPOCHS (20), BACKEND (cpu), DIGITS ("0 1 2 3 4 5 6 7 8 9"),
# OUT (runs/oneclass). Writes $OUT/results.tsv (one row per digit, then the
# mean) and, per digit, $OUT/digitK/{model.safetensors,loss.png,scores.csv}
# and the logs $OUT/digitK.{train,score}.log.
set -euo pipefail
cd "$(dirname "$0")/.."

EPOCHS=${EPOCHS:-20}
BACKEND=${BACKEND:-cpu}
DIGITS=${DIGITS:-0 1 2 3 4 5 6 7 8 9}
OUT=${OUT:-runs/oneclass}

mkdir -p "$OUT"
bin="$OUT/wgml" # a private build: later edits to the tree do not change a running experiment
go build -o "$bin" ./cmd/wgml

results="$OUT/results.tsv"
printf 'digit\tauroc\tauprc\ttest_loss\tseconds\n' >"$results"
for k in $DIGITS; do
	start=$(date +%s)
	"$bin" train --kind ae --layers 784,256,64,16 --data mnist --normal-class "$k" \
		--epochs "$EPOCHS" --backend "$BACKEND" --out "$OUT/digit$k" --overwrite >"$OUT/digit$k.train.log"
	"$bin" score --model "$OUT/digit$k/model.safetensors" --backend "$BACKEND" \
		--out "$OUT/digit$k/scores.csv" >"$OUT/digit$k.score.log"
	# "AUROC 0.9876  AUPRC 0.9987  (positive: label != k, ...)"
	read -r _ auroc _ auprc _ < <(grep '^AUROC' "$OUT/digit$k.score.log")
	loss=$(awk '/^test loss:/ {print $3}' "$OUT/digit$k.train.log")
	printf '%s\t%s\t%s\t%s\t%s\n' "$k" "$auroc" "$auprc" "$loss" "$(($(date +%s) - start))" >>"$results"
	echo "digit $k: AUROC $auroc  AUPRC $auprc"
done
awk -F'\t' 'NR > 1 { a += $2; p += $3; n++ } END { if (n) printf "mean\t%.4f\t%.4f\t\t\n", a / n, p / n }' "$results" >>"$results"
echo
column -t -s $'\t' "$results" 2>/dev/null || cat "$results"
