#!/usr/bin/env bash
# The AE-versus-VAE pictures: trains a 2-D-latent AE and a 2-D-latent VAE
# on MNIST (784-512-2, 5 epochs each, into RUNS/ae2-mnist and
# RUNS/vae2-mnist), writes each one's latent scatter and 1 -> 7 path
# beside its checkpoint, and into PICTURES:
#   ae-samples.png, vae-samples.png  draws from where each model's codes lie
#                                    (an AE: a Gaussian fitted to its codes;
#                                    a VAE: its prior N(0, I))
#   ae-plane.png, vae-plane.png      the decoded latent plane (an AE: over
#                                    its codes' middle 98%; a VAE: the prior's
#                                    inverse-normal-CDF grid)
#   compare.png                      both models side by side (wgml compare)
# `make demo` runs it with PICTURES=runs/pictures; `make pictures` writes
# docs/, the README's pictures.
#
# Usage: scripts/pictures.sh [RUNS [PICTURES]]   (defaults: runs, RUNS/pictures)
# WGML names the binary (default bin/wgml).
set -euo pipefail
cd "$(dirname "$0")/.."

wgml=${WGML:-bin/wgml}
runs=${1:-runs}
pics=${2:-$runs/pictures}
mkdir -p "$pics"
for kind in ae vae; do
	run=$runs/${kind}2-mnist
	"$wgml" train --kind "$kind" --data mnist --layers 784,512,2 --epochs 5 --out "$run" --overwrite
	"$wgml" encode --model "$run/model.safetensors" --with-labels
	"$wgml" interpolate --model "$run/model.safetensors" --from label:1 --to label:7
	# sample writes manifold.png beside --out: one model at a time, renamed.
	"$wgml" sample --model "$run/model.safetensors" --n 32 --manifold 15 --out "$pics/$kind-samples.png"
	mv "$pics/manifold.png" "$pics/$kind-plane.png"
done
"$wgml" compare --ae "$runs/ae2-mnist/model.safetensors" --vae "$runs/vae2-mnist/model.safetensors" --out "$pics/compare.png"
