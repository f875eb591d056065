#!/usr/bin/env bash
# Checks `wgml export --format onnx` against a real ONNX runtime: trains
# five small models (the MNIST 784-256-64-16 AE for 1 epoch; a 784-128-8
# MNIST VAE, BCE and leakyrelu, for 1 epoch; a sigmoid/tanh MNIST AE with an
# identity output, clipped to [0,1]; a breast-cancer VAE; the messy iris
# table with a categorical column and masked gaps), exports each, runs it in
# onnxruntime (npm's onnxruntime-node) on the rows `wgml score` scores and
# compares reconstruction, latent and score with wgml's (`wgml score`,
# `wgml encode`, the wgml package's reconstruction): scripts/onnx-check.js
# prints the max relative difference of each and fails above 1e-5.
#
# Where Debian's python3-onnx is installed, the ONNX checker (check_model,
# full_check: shape inference too) checks each graph first (python3 -I, so
# that the Go package onnx/ here does not shadow it).
#
# onnxruntime-node is installed by `make onnx-deps` (npm install
# --ignore-scripts into $ORT_DIR, default .ort/, gitignored). Without node
# or that install the check is skipped with a message, unless
# WGML_REQUIRE_ONNX is set (CI sets it): then that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
ORT_DIR=${ORT_DIR:-.ort}

skip() {
	if [ -n "${WGML_REQUIRE_ONNX:-}" ]; then
		echo "onnx-check: WGML_REQUIRE_ONNX is set but $1" >&2
		exit 1
	fi
	echo "onnx-check: skipped: $1"
	exit 0
}
command -v node >/dev/null || skip "node is not installed (apt-get install nodejs npm, then make onnx-deps)"
[ -d "$ORT_DIR/node_modules/onnxruntime-node" ] || skip "onnxruntime-node is not installed in $ORT_DIR (make onnx-deps)"

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
$GO build -o "$W/wgml" ./cmd/wgml
$GO build -o "$W/onnxrows" ./scripts/onnxrows
export NODE_PATH="$(cd "$ORT_DIR" && pwd)/node_modules"
PY=$(for p in python3 /usr/bin/python3; do $p -I -c 'import onnx' 2>/dev/null && { echo $p; break; }; done || true)
if [ -n "$PY" ]; then
	echo "onnx-check: ONNX checker: onnx $($PY -I -c 'import onnx; print(onnx.__version__)')"
else
	echo "onnx-check: no ONNX checker (apt-get install python3-onnx): onnxruntime only"
fi
BC="--data testdata/breast_cancer/train.csv --test testdata/breast_cancer/test.csv --label-col diagnosis"

# check NAME TRAIN_FLAGS...: train, export, write the rows, score, encode, compare.
check() {
	local name=$1 dir=$W/$1
	shift
	"$W/wgml" train "$@" --backend cpu --out "$dir" >"$W/$name.log" 2>&1 || { cat "$W/$name.log" >&2; return 1; }
	"$W/wgml" export --backend cpu --model "$dir/model.safetensors" --out "$dir/model.onnx" >/dev/null
	[ -z "$PY" ] || $PY -I -c 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)' "$dir/model.onnx"
	"$W/onnxrows" --model "$dir/model.safetensors" --out "$dir/rows"
	local ck=(--model "$dir/model.safetensors" --backend cpu)
	"$W/wgml" encode "${ck[@]}" --out "$dir/latents.csv" --plot none >/dev/null 2>&1
	local kinds=(recon) scores=() kind def
	grep -q '"kind":"vae"' "$dir/rows/meta.json" && kinds+=(elbo)
	for kind in "${kinds[@]}"; do
		"$W/wgml" score "${ck[@]}" --score $kind --out "$dir/$kind.csv" >/dev/null 2>&1
		[ ${#kinds[@]} -eq 1 ] || scores+=("score_$kind=$dir/$kind.csv")
	done
	def=$(sed 's/.*"score":"\([a-z]*\)".*/\1/' "$dir/rows/meta.json")
	scores+=("score=$dir/$def.csv")
	node scripts/onnx-check.js "$name" "$dir/model.onnx" "$dir/rows" "$dir/latents.csv" "${scores[@]}"
}

check mnist-ae --data mnist --epochs 1
check mnist-vae --data mnist --model vae --layers 784,128,8 --hidden-act leakyrelu --epochs 1
check mnist-linear --data mnist --layers 784,64,8 --hidden-act sigmoid --latent-act tanh --output-act identity --epochs 1 --limit 5000
check bc-vae $BC --normal-class benign --model vae --layers 30,64,16 --beta 0.05 --init he --batch 32 --epochs 30
check iris --data testdata/iris_messy/iris.csv --missing mask --layers 7,6,3 --epochs 100 --batch 16 --lr 0.01
