package main

import (
	"encoding/csv"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wgml/wgml/internal/pngtest"
	"github.com/wgml/wgml/nn"
)

// needGPU skips the test where WebGPU finds no adapter, unless
// WGML_REQUIRE_GPU is set (CI sets it): then it fails.
func needGPU(t *testing.T) {
	t.Helper()
	if haveGPU() {
		return
	}
	_, err := gpuProbe()
	if os.Getenv("WGML_REQUIRE_GPU") != "" {
		t.Fatalf("WGML_REQUIRE_GPU is set but WebGPU finds no adapter: %v", err)
	}
	t.Skipf("no WebGPU adapter (%v); set WGML_REQUIRE_GPU=1 to make this a failure", err)
}

// e2eTol is the relative tolerance between a cpu and a gpu run of a command
// (|gpu-cpu| <= e2eTol·max(|cpu|, e2eFloor), with |cpu| the largest of
// the values compared): observed on lavapipe against the avx512 cpu
// kernel, 2.1e-5 at most (encoder.0.weight after one epoch: Adam divides a
// first-layer gradient that nearly cancels by its own size, so the two
// backends' different summation orders show there), latent codes 5.7e-7,
// scores and losses less (1.9e-6 against gonum's blas32, which sums as the
// gpu does).
const e2eTol, e2eFloor = 5e-5, 1e-2

// TestGPUMatchesCPUEndToEnd trains a de-noising AE and a VAE for one epoch
// on a slice of MNIST with --backend cpu and --backend gpu, then scores,
// encodes and de-noises the test rows on both backends with the cpu's
// checkpoint: losses, weights, Adam moments, thresholds, scores, flags,
// latent codes, PSNR and the de-noised pixels must agree.
func TestGPUMatchesCPUEndToEnd(t *testing.T) {
	needGPU(t)
	mn := smallMNIST(t)
	for _, tc := range []struct {
		name  string
		train []string
		score []string
	}{
		{"ae", []string{"--model", "ae", "--layers", "784,32,4", "--noise", "gaussian:0.3"}, nil},
		{"vae", []string{"--model", "vae", "--layers", "784,32,2", "--kl-warmup", "2"}, []string{"--score", "elbo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := map[string]string{}
			for _, be := range []string{"cpu", "gpu"} {
				out[be] = outlierCLI(t, 0, append([]string{"train", "--data", mn, "--limit", "200", "--test-limit", "50", "--epochs", "1", "--batch", "50",
					"--backend", be, "--out", filepath.Join(dir, be)}, tc.train...)...)
			}
			for _, key := range []string{"test loss: ", "outlier threshold: "} {
				closeNumber(t, "train: "+key, number(out["gpu"], key), number(out["cpu"], key))
			}
			cpuCk, gpuCk := loadCk(t, filepath.Join(dir, "cpu", "model.safetensors")), loadCk(t, filepath.Join(dir, "gpu", "model.safetensors"))
			for name, pair := range map[string][2]map[string][]float32{
				"weights": {cpuCk.Weights, gpuCk.Weights}, "adam.m": {cpuCk.AdamM, gpuCk.AdamM}, "adam.v": {cpuCk.AdamV, gpuCk.AdamV},
			} {
				for _, k := range slices.Sorted(mapKeys(pair[0])) {
					closeSlices(t, "train: "+name+" "+k, toF64(pair[1][k]), toF64(pair[0][k]))
				}
			}
			if cpuCk.Step != gpuCk.Step || cpuCk.Meta["threshold_rows"] != gpuCk.Meta["threshold_rows"] {
				t.Errorf("train: step %d and %d, threshold rows %q and %q", cpuCk.Step, gpuCk.Step, cpuCk.Meta["threshold_rows"], gpuCk.Meta["threshold_rows"])
			}

			// Inference on both backends from the cpu's checkpoint.
			ck := filepath.Join(dir, "cpu", "model.safetensors")
			common := []string{"--model", ck, "--data", mn, "--test-limit", "50"}
			for _, be := range []string{"cpu", "gpu"} {
				o := filepath.Join(dir, "out-"+be)
				if err := os.Mkdir(o, 0o755); err != nil {
					t.Fatal(err)
				}
				out["score "+be] = outlierCLI(t, 0, slices.Concat([]string{"score", "--backend", be, "--out", filepath.Join(o, "scores.csv")}, common, tc.score)...)
				outlierCLI(t, 0, slices.Concat([]string{"encode", "--backend", be, "--with-labels", "--out", filepath.Join(o, "latents.csv")}, common)...)
				out["denoise "+be] = outlierCLI(t, 0, slices.Concat([]string{"denoise", "--backend", be, "--noise", "mask:0.3", "--out", filepath.Join(o, "denoise.png")}, common)...)
			}
			for _, key := range []string{"threshold ", "outliers: "} {
				closeNumber(t, "score: "+key, number(out["score gpu"], key), number(out["score cpu"], key))
			}
			for _, key := range []string{"noisy ", "de-noised "} {
				closeNumber(t, "denoise: PSNR "+key, number(out["denoise gpu"], key), number(out["denoise cpu"], key))
			}
			cpuOut, gpuOut := filepath.Join(dir, "out-cpu"), filepath.Join(dir, "out-gpu")
			threshold := number(out["score cpu"], "threshold ")
			cs, gs := readCSV(t, filepath.Join(cpuOut, "scores.csv")), readCSV(t, filepath.Join(gpuOut, "scores.csv"))
			closeSlices(t, "score: scores", column(t, gs, 1), column(t, cs, 1))
			for i := range cs {
				if cs[i][2] != gs[i][2] && math.Abs(column(t, cs, 1)[i]-threshold) > e2eTol*threshold {
					t.Errorf("score: row %d flagged %s on cpu, %s on gpu, away from the threshold", i, cs[i][2], gs[i][2])
				}
			}
			cl, gl := readCSV(t, filepath.Join(cpuOut, "latents.csv")), readCSV(t, filepath.Join(gpuOut, "latents.csv"))
			if !slices.Equal(cl[0], gl[0]) || len(cl) != len(gl) {
				t.Fatalf("encode: headers %v and %v, %d and %d rows", cl[0], gl[0], len(cl), len(gl))
			}
			for j := range len(cl[0]) - 1 { // the last column is the label
				closeSlices(t, "encode: "+cl[0][j], column(t, gl, j), column(t, cl, j))
			}
			cp, gp := readGray(t, filepath.Join(cpuOut, "denoise.png")), readGray(t, filepath.Join(gpuOut, "denoise.png"))
			if cp.Bounds() != gp.Bounds() {
				t.Fatalf("denoise: PNG %v on cpu, %v on gpu", cp.Bounds(), gp.Bounds())
			}
			for i := range cp.Pix {
				if d := int(cp.Pix[i]) - int(gp.Pix[i]); d > 1 || d < -1 {
					t.Fatalf("denoise: pixel %d is %d on cpu, %d on gpu", i, cp.Pix[i], gp.Pix[i])
				}
			}
		})
	}
}

func loadCk(t *testing.T, path string) *nn.Checkpoint {
	t.Helper()
	ck, err := nn.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	return ck
}

// closeNumber reports an error unless got and want agree within e2eTol.
func closeNumber(t *testing.T, what string, got, want float64) {
	t.Helper()
	t.Logf("%s: gpu %v, cpu %v, relative difference %.3g", what, got, want, math.Abs(got-want)/max(math.Abs(want), e2eFloor))
	if math.IsNaN(want) || !(math.Abs(got-want) <= e2eTol*max(math.Abs(want), e2eFloor)) {
		t.Errorf("%s: gpu %v, cpu %v", what, got, want)
	}
}

// closeSlices reports an error unless got and want agree element by element
// within e2eTol of the largest |want| (or e2eFloor), logging the largest
// difference.
func closeSlices(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values on gpu, %d on cpu", what, len(got), len(want))
		return
	}
	scale, maxd := e2eFloor, 0.0
	for _, w := range want {
		scale = max(scale, math.Abs(w))
	}
	worst := -1
	for i := range want {
		if d := math.Abs(got[i] - want[i]); !(d <= maxd) {
			maxd, worst = d, i
		}
	}
	t.Logf("%s: max difference %.3g, relative %.3g", what, maxd, maxd/scale)
	if !(maxd <= e2eTol*scale) {
		t.Errorf("%s: [%d] gpu %v, cpu %v: difference %.3g exceeds %.3g", what, worst, got[worst], want[worst], maxd, e2eTol*scale)
	}
}

func toF64(s []float32) []float64 {
	r := make([]float64, len(s))
	for i, v := range s {
		r[i] = float64(v)
	}
	return r
}

// readCSV returns the records of a CSV file, header first.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil || len(all) < 2 {
		t.Fatalf("%s: %v (%d records)", path, err, len(all))
	}
	return all
}

// column returns column j of records after the header, as numbers.
func column(t *testing.T, records [][]string, j int) []float64 {
	t.Helper()
	c := make([]float64, len(records)-1)
	for i, r := range records[1:] {
		v, err := strconv.ParseFloat(strings.TrimSpace(r[j]), 64)
		if err != nil {
			t.Fatalf("row %d column %d: %v", i, j, err)
		}
		c[i] = v
	}
	return c
}

func readGray(t *testing.T, path string) *image.Gray {
	t.Helper()
	img := pngtest.Read(t, path)
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("%s: a %T, want a grayscale PNG", path, img)
	}
	return g
}
