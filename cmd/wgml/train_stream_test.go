package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wgml/wgml/data"
)

// TestTrainStream: wgml train --stream trains a .npy from disk, says so,
// and writes a checkpoint wgml score loads unchanged; a bad mode and a
// limit with --stream are usage errors.
func TestTrainStream(t *testing.T) {
	dir := t.TempDir()
	npy := filepath.Join(dir, "rows.npy")
	if err := data.WriteNPY(npy, 120, 3, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32(math.Sin(float64(i*3 + j)))
		}
	}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "run")
	got := wgml(t, 0, "train", "--data", npy, "--stream", "--stream-chunk", "16", "--stream-window", "2", "--layers", "3,2", "--epochs", "2", "--batch", "8", "--backend", "cpu", "--out", out)
	if !strings.Contains(got, "streaming "+npy+" from disk (--stream on)") {
		t.Errorf("train --stream printed:\n%s", got)
	}
	wgml(t, 0, "score", "--model", filepath.Join(out, "model.safetensors"), "--data", npy, "--backend", "cpu", "--out", filepath.Join(dir, "scores.csv"))
	wgml(t, 2, "train", "--data", npy, "--stream=maybe", "--out", filepath.Join(dir, "x"))
	wgml(t, 2, "train", "--data", npy, "--stream", "--limit", "10", "--out", filepath.Join(dir, "y"))
}

// TestTrainStreamGPUMatchesCPU trains a .npy streamed in chunks of 16 rows
// (chunk boundaries inside batches of 24) on cpu and gpu: the test loss,
// the threshold of the streamed thresholds pass and the weights agree
// within the trajectory tolerance.
func TestTrainStreamGPUMatchesCPU(t *testing.T) {
	needGPU(t)
	dir := t.TempDir()
	npy := filepath.Join(dir, "rows.npy")
	if err := data.WriteNPY(npy, 150, 5, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32(math.Cos(float64(i*5+j) * 0.7))
		}
	}); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, be := range []string{"cpu", "gpu"} {
		out[be] = wgmlIn(t, dir, "train", "--backend", be, "--data", npy, "--stream", "--stream-chunk", "16", "--stream-window", "3",
			"--layers", "5,3,2", "--epochs", "3", "--batch", "24", "--lr", "0.01", "--val-frac", "0.2", "--out", be)
	}
	for _, key := range []string{"test loss: ", "outlier threshold: "} {
		closeNumber(t, "train --stream: "+key, number(out["gpu"], key), number(out["cpu"], key))
	}
	cpuCk, gpuCk := loadCk(t, filepath.Join(dir, "cpu", "model.safetensors")), loadCk(t, filepath.Join(dir, "gpu", "model.safetensors"))
	for k, w := range cpuCk.Weights {
		closeSlices(t, "train --stream: weights "+k, toF64(gpuCk.Weights[k]), toF64(w))
	}
}
