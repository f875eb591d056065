#!/usr/bin/env bash
# Rebuilds testdata/breast_cancer/{train,test}.csv, a real tabular data set for
# the outlier and de-noising commands: the Breast Cancer Wisconsin (Diagnostic)
# data (569 tumours, 30 features, 357 benign / 212 malignant) as shipped in
# Debian's python3-sklearn package (sklearn/datasets/data/breast_cancer.csv).
#
# sklearn's file starts with a line "569,30,malignant,benign" (rows, features,
# the class names) and ends each row with the target 0 (malignant) or
# 1 (benign). This script writes a plain header (sklearn's feature names in
# snake case, then "diagnosis") and the class name, and puts every fifth row
# (0-based row index ≡ 4 mod 5) into test.csv, the rest into train.csv, so
# the split does not depend on any seed.
#
# Usage: scripts/breast-cancer.sh [PATH/TO/breast_cancer.csv]
# Without an argument it fetches scikit-learn's copy (scripts/sklearn-csv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/sklearn-csv.sh
src=${1:-}
if [[ -z $src ]]; then
	sklearn_csv breast_cancer.csv
fi

out=testdata/breast_cancer
mkdir -p "$out"
header=""
for stat in mean error worst; do
	for f in radius texture perimeter area smoothness compactness concavity concave_points symmetry fractal_dimension; do
		header+="${stat}_${f},"
	done
done
header+="diagnosis"

awk -F, -v header="$header" -v train="$out/train.csv" -v test="$out/test.csv" '
NR == 1 {
	if ($2 != 30 || $3 != "malignant" || $4 != "benign") { print "unexpected first line: " $0 > "/dev/stderr"; exit 1 }
	n = $1; print header > train; print header > test; next
}
{
	if (NF != 31 || ($31 != 0 && $31 != 1)) { print "line " NR ": want 30 features and a 0/1 target" > "/dev/stderr"; exit 1 }
	row = $1
	for (i = 2; i <= 30; i++) row = row "," $i
	row = row "," ($31 == 0 ? "malignant" : "benign")
	print row > ((NR - 2) % 5 == 4 ? test : train)
	rows++
}
END { if (rows != n) { print "read " rows " rows, the first line says " n > "/dev/stderr"; exit 1 } }
' "$src"
echo "wrote $out/train.csv ($(($(wc -l <"$out/train.csv") - 1)) rows) and $out/test.csv ($(($(wc -l <"$out/test.csv") - 1)) rows)"
