# Sourced by the scripts that write testdata from the CSV files bundled
# with scikit-learn (breast-cancer.sh, iris-messy.sh).
#
# sklearn_csv NAME sets src to scikit-learn's sklearn/datasets/data/NAME,
# from Debian's python3-sklearn fetched with `apt-get download` (no root
# needed, nothing installed) and unpacked in a temporary folder that is
# removed when the script exits.
sklearn_csv() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download python3-sklearn >/dev/null && dpkg-deb -x python3-sklearn_*.deb x)
	src=$(find "$tmp/x" -path "*sklearn/datasets/data/$1" | head -1)
}
