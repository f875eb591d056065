# wgml: the two set-up commands are `make demo` and `make test`.
GO ?= go
BIN := bin/wgml

.PHONY: build demo test vet bench clean

build:
	$(GO) build -o $(BIN) ./cmd/wgml

# Trains the 784-256-64-16 AE on MNIST (10 epochs, best backend available)
# and writes its latent codes, scatter and reconstructions; then trains a
# 2-D-latent VAE briefly and draws its scatter, prior samples, latent-plane
# grid and a 1 -> 7 interpolation. Outputs land in runs/.
demo: build
	$(BIN) train --model ae --data mnist --epochs 10 --out runs/ae-mnist
	$(BIN) encode --model runs/ae-mnist/model.safetensors --with-labels
	$(BIN) reconstruct --model runs/ae-mnist/model.safetensors
	$(BIN) train --model vae --data mnist --layers 784,512,2 --epochs 5 --out runs/vae2-mnist
	$(BIN) encode --model runs/vae2-mnist/model.safetensors --with-labels
	$(BIN) sample --model runs/vae2-mnist/model.safetensors
	$(BIN) interpolate --model runs/vae2-mnist/model.safetensors --from label:1 --to label:7

# Runs every test; on a machine with Mesa's lavapipe the WGSL kernels run too
# (set WGML_REQUIRE_GPU=1 to fail instead of skipping when no adapter exists).
test: vet
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x ./bench/

clean:
	rm -rf bin runs
