# wgml: the two set-up commands are `make demo` and `make test`.
GO ?= go
BIN := bin/wgml

.PHONY: build demo test onnx-deps onnx-check vulkan-validate mutants vet bench peer clean

build:
	$(GO) build -o $(BIN) ./cmd/wgml

# Trains the 784-256-64-16 AE on MNIST (10 epochs, best backend available)
# and writes its latent codes, scatter and reconstructions; then trains a
# 2-D-latent VAE briefly and draws its scatter, prior samples, latent-plane
# grid and a 1 -> 7 interpolation. Outputs land in runs/; a second make demo
# trains afresh over them (--overwrite).
demo: build
	$(BIN) train --kind ae --data mnist --epochs 10 --out runs/ae-mnist --overwrite
	$(BIN) encode --model runs/ae-mnist/model.safetensors --with-labels
	$(BIN) reconstruct --model runs/ae-mnist/model.safetensors
	$(BIN) train --kind vae --data mnist --layers 784,512,2 --epochs 5 --out runs/vae2-mnist --overwrite
	$(BIN) encode --model runs/vae2-mnist/model.safetensors --with-labels
	$(BIN) sample --model runs/vae2-mnist/model.safetensors
	$(BIN) interpolate --model runs/vae2-mnist/model.safetensors --from label:1 --to label:7

# Runs every test; on a machine with Mesa's lavapipe the WGSL kernels run too
# (set WGML_REQUIRE_GPU=1 to fail instead of skipping when no adapter exists).
# Then the ONNX export against onnxruntime (onnx-check) and one iteration of
# every benchmark, so that none rots unrun.
test: vet
	$(GO) test -count=1 ./...
	@$(MAKE) --no-print-directory onnx-check
	$(GO) test -count=1 -run '^$$' -bench . -benchtime 1x ./...

# npm's onnxruntime-node for onnx-check, installed with --ignore-scripts (its
# bundled linux/darwin/win32 CPU binaries; the install script would only
# fetch CUDA extras) into ORT_DIR (default .ort/, gitignored).
ORT_DIR ?= .ort
ORT_VERSION ?= 1.31.1
onnx-deps:
	mkdir -p $(ORT_DIR)
	cd $(ORT_DIR) && npm install --ignore-scripts --no-audit --no-fund onnxruntime-node@$(ORT_VERSION)

# Trains five small models (three on MNIST, 1 epoch; a breast-cancer VAE;
# the messy iris table), exports each to ONNX and compares onnxruntime's
# reconstruction, latent and score with wgml's, max relative difference
# 1e-5 (scripts/onnx-check.sh, 1 to 3 minutes on 2 cores). Skipped with a
# message without node or onnx-deps, unless WGML_REQUIRE_ONNX is set (CI).
onnx-check:
	GO=$(GO) ORT_DIR=$(ORT_DIR) scripts/onnx-check.sh

# The gpu tests and a short gpu training under the Khronos validation layer
# with synchronization validation; fails on any error or hazard it reports
# (scripts/vulkan-validate.sh, settings in .ci/vk_layer_settings.txt).
vulkan-validate:
	GO=$(GO) scripts/vulkan-validate.sh

# The curated mutants of scripts/mutants.txt (small deliberate bugs), each
# applied to a temporary copy of the tree with its tests run there (gpu ones
# with WGML_REQUIRE_GPU=1): fails listing any mutant the tests do not catch.
# On demand, not part of make test. MUTANTS=REGEX runs the matching ones.
mutants:
	GO=$(GO) scripts/mutants.sh '$(MUTANTS)'

# go vet and staticcheck (pinned), both must be clean.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
vet:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Backend comparisons (bench/): BenchmarkMatMul (on cpu once per kernel:
# BenchmarkMatMul/cpu/<avx512|avx2|avx512narrow|generic|blas32>/<shape>),
# BenchmarkStepProducts (every product of the AE and VAE steps), BenchmarkTrainStep
# and BenchmarkEpoch (cpu on its default kernel; WGML_CPU_KERNEL forces one),
# cpu then gpu (gpu rows on lavapipe where there is no GPU: a few iterations
# each, the largest shapes skipped). Output is
# benchstat-friendly: add BENCHFLAGS=-count=6 and compare runs with benchstat.
CPU_BENCHTIME ?= 1s
GPU_BENCHTIME ?= 2x
bench:
	$(GO) test -run '^$$' -bench '/cpu/' -benchtime $(CPU_BENCHTIME) $(BENCHFLAGS) ./bench/
	$(GO) test -run '^$$' -bench '/gpu/' -benchtime $(GPU_BENCHTIME) $(BENCHFLAGS) ./bench/

# The PyTorch peer, side by side in one run (bench/peer/peer.py): torch at 1
# and 2 threads against bin/wgml on the same MNIST files. Skipped with a message where
# torch is absent (Debian: apt-get install python3-torch). It prints each
# figure as a share of the physical limit (the step's products at the GEMM
# ceiling: torch's best 1024³ matmul, or --ceiling). PEERFLAGS adds options,
# e.g. PEERFLAGS='--models vae --rounds 5 --ceiling 230'.
PEER_PYTHON ?= $(shell for p in python3 /usr/bin/python3; do $$p -c 'import torch' 2>/dev/null && { echo $$p; exit; }; done; echo python3)
peer: build
	$(PEER_PYTHON) bench/peer/peer.py --wgml $(BIN) $(PEERFLAGS)

clean:
	rm -rf bin runs

# One-class MNIST outlier detection (issue 5): for each digit k, trains the
# 784-256-64-16 AE for 20 epochs on cpu on the training images of k only and
# scores the whole test set (AUROC, positives = other digits). 20-50 min on
# 2 cores; results in runs/oneclass/results.tsv. EPOCHS, BACKEND, DIGITS and
# OUT override the defaults (see scripts/oneclass.sh).
.PHONY: oneclass
oneclass:
	scripts/oneclass.sh

# Breast-cancer outlier detection side by side in one run (issue 10): wgml's
# README configurations (an AE, a VAE scored by its ELBO, the tuned VAE, and
# that VAE with early stopping) beside scikit-learn's IsolationForest
# (random_state 0) on the same z-scored rows, AUROC on test.csv's 113 rows.
# Needs Debian's python3-sklearn; a few seconds on 2 cores. IFORESTFLAGS adds
# options, e.g. IFORESTFLAGS='--split dev' or '--seeds 5' (scripts/iforest.py).
.PHONY: iforest
iforest: build
	scripts/iforest.py --wgml $(BIN) $(IFORESTFLAGS)
