#!/usr/bin/env bash
# Runs the gpu package's tests and one short gpu training (a 1-epoch VAE on
# 2000 MNIST rows) under the Khronos validation layer with synchronization
# validation (settings: .ci/vk_layer_settings.txt), and fails on any
# validation error or synchronization hazard the layer reports. Warnings
# are printed, not fatal. Logs land in $VVL_OUT (default: a fresh temporary
# folder), one per run. Needs a Vulkan adapter (lavapipe will do) and
# Debian's vulkan-validationlayers.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
manifest=$(ls /usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json 2>/dev/null || true)
if [ -z "$manifest" ]; then
	echo "vulkan-validate: no Khronos validation layer (apt-get install vulkan-validationlayers)" >&2
	exit 1
fi
out=${VVL_OUT:-$(mktemp -d)}
mkdir -p "$out"
export VK_LAYER_SETTINGS_PATH=$PWD/.ci/vk_layer_settings.txt
export VK_INSTANCE_LAYERS=VK_LAYER_KHRONOS_validation
export WGML_REQUIRE_GPU=1

status=0
# check LOG WHAT: the layer ran with synchronization validation, and it
# reported no error and no hazard.
check() {
	local log=$1 what=$2 active errors hazards warnings
	active=$(grep -c "Khronos Validation Layer Active" "$log" || true)
	errors=$(grep -cE "Validation Error|\(ERROR /" "$log" || true)
	hazards=$(grep -c "SYNC-HAZARD" "$log" || true)
	warnings=$(grep -cE "Validation (Performance )?Warning|\((WARN|PERF) /" "$log" || true)
	echo "vulkan-validate: $what: layer active in $active instances; $errors errors, $hazards hazards, $warnings warnings ($log)"
	if [ "$active" -eq 0 ] || ! grep -q "SYNCHRONIZATION_VALIDATION" "$log"; then
		echo "vulkan-validate: $what: the validation layer did not run with synchronization validation" >&2
		status=1
	fi
	if [ "$errors" -gt 0 ] || [ "$hazards" -gt 0 ] || [ "$warnings" -gt 0 ]; then
		grep -E -A3 "Validation (Error|Warning|Performance Warning)|SYNC-HAZARD|\((ERROR|WARN|PERF) /" "$log" | head -60 >&2
	fi
	if [ "$errors" -gt 0 ] || [ "$hazards" -gt 0 ]; then
		status=1
	fi
}

if ! $GO test -count=1 -v ./gpu/ >"$out/gpu-tests.log" 2>&1; then
	tail -40 "$out/gpu-tests.log" >&2
	echo "vulkan-validate: the gpu tests failed under the validation layer" >&2
	status=1
fi
check "$out/gpu-tests.log" "go test ./gpu/"

$GO build -o "$out/wgml" ./cmd/wgml
if ! "$out/wgml" train --kind vae --data mnist --backend gpu --epochs 1 --limit 2000 --test-limit 500 \
	--out "$out/vae" >"$out/train.log" 2>&1; then
	tail -20 "$out/train.log" >&2
	echo "vulkan-validate: the gpu training failed under the validation layer" >&2
	status=1
fi
if ! grep -q "\[vulkan, " "$out/train.log"; then
	echo "vulkan-validate: the training did not run on a Vulkan adapter" >&2
	status=1
fi
check "$out/train.log" "wgml train --backend gpu"
exit $status
