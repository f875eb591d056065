#!/usr/bin/env bash
# Rebuilds testdata/iris_messy/iris.csv, a mixed table for the CSV reader's
# real-data paths: Fisher's iris (150 flowers, 4 measurements, 3 species) as
# shipped in Debian's python3-sklearn (sklearn/datasets/data/iris.csv), made
# messy ON PURPOSE, because no table shipped there has both a text column and
# missing values:
#
#   - semicolon-separated, with a header;
#   - the species (sklearn's target 0/1/2) written as its name, a text
#     (categorical) feature column;
#   - measurement j (0-3) of 0-based row i removed when (7i + 3j) mod 19 = 0,
#     written as an empty field for even i and as NA for odd i (32 of 600);
#   - the species of row i written as ? when i mod 37 = 5 (4 rows).
#
# Every value that is present is sklearn's, unchanged.
#
# Usage: scripts/iris-messy.sh [PATH/TO/iris.csv]
# Without an argument it fetches scikit-learn's copy (scripts/sklearn-csv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/sklearn-csv.sh
src=${1:-}
if [[ -z $src ]]; then
	sklearn_csv iris.csv
fi

out=testdata/iris_messy
mkdir -p "$out"
awk -F, 'BEGIN { OFS = ";"; split("setosa versicolor virginica", name, " ") }
NR == 1 { print "sepal_length", "sepal_width", "petal_length", "petal_width", "species"; next }
{
	i = NR - 2
	line = ""
	for (j = 0; j < 4; j++) {
		v = $(j + 1)
		if ((7 * i + 3 * j) % 19 == 0) v = (i % 2 == 0) ? "" : "NA"
		line = line v OFS
	}
	s = name[$5 + 1]
	if (i % 37 == 5) s = "?"
	print line s
}' "$src" >"$out/iris.csv"
echo "wrote $out/iris.csv ($(($(wc -l <"$out/iris.csv") - 1)) rows)"
