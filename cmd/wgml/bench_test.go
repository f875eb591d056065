package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wgml/wgml/bench"
	"github.com/wgml/wgml/cpu"
)

// benchCLI runs wgml bench in-process and returns stdout and stderr,
// failing unless the exit status is want.
func benchCLI(t *testing.T, want int, args ...string) (string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(append([]string{"bench"}, args...), &out, &errOut); code != want {
		t.Fatalf("wgml bench %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

func TestBenchTable(t *testing.T) {
	out, _ := benchCLI(t, 0, "--backends", "cpu", "--model", "ae", "--data", "synthetic", "--steps", "3",
		"--growth-batches", "16,32", "--growth-widths", "32,64", "--growth-steps", "2", "--layers", "784,64,8")
	for _, want := range []string{"samples/s", "ratio", "model MiB", "data MiB", "peak RSS MiB", "cpu: " + cpu.New().Device(), "cost growth",
		"width", "batch"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Growth: batches 16 and 32 at width 64, then width 32 at batch 128.
	if n := strings.Count(out, "\n"); n < 12 {
		t.Errorf("output has %d lines:\n%s", n, out)
	}
}

func TestBenchJSON(t *testing.T) {
	out, _ := benchCLI(t, 0, "--json", "--backends", "cpu", "--model", "vae", "--data", "synthetic", "--steps", "2",
		"--batch", "32", "--growth=false", "--layers", "784,32,4")
	var rep bench.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, out)
	}
	if len(rep.Results) != 1 || rep.Results[0].Backend != "cpu" || rep.Results[0].Steps != 2 || rep.Results[0].Batch != 32 {
		t.Fatalf("results: %+v", rep.Results)
	}
	r := rep.Results[0]
	if !(r.SamplesPerSec > 0) || r.ModelBytes <= 0 || r.DataBytes != int64(rep.Rows)*(784+4) || rep.PeakRSS <= 0 || rep.Model != "vae" || len(rep.Growth) != 0 {
		t.Errorf("report: %+v", rep)
	}
}

// TestBenchGPU runs the gpu row where an adapter exists (lavapipe in CI)
// and checks its counters; without one it skips (fails under
// WGML_REQUIRE_GPU).
func TestBenchGPU(t *testing.T) {
	needGPU(t)
	out, errOut := benchCLI(t, 0, "--json", "--backends", "cpu,gpu", "--model", "ae", "--data", "synthetic", "--steps", "2",
		"--batch", "16", "--growth=false", "--layers", "784,16,4")
	var rep bench.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, out)
	}
	if len(rep.Skipped) == 1 {
		t.Fatalf("gpu row skipped although an adapter exists: %s %s", rep.Skipped[0].Reason, errOut)
	}
	if len(rep.Results) != 2 {
		t.Fatalf("results: %+v", rep.Results)
	}
	g := rep.Results[1]
	if g.Backend != "gpu" || g.PerStep == nil || g.PerStep.Dispatches <= 0 || g.PerStep.Submits <= 0 {
		t.Errorf("gpu row: %+v (per step %+v)", g, g.PerStep)
	}
	if g.DeviceBytes != rep.Results[0].DeviceBytes {
		t.Errorf("device bytes: gpu %d, cpu %d; want the same", g.DeviceBytes, rep.Results[0].DeviceBytes)
	}
}

func TestBenchBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--backends", "tpu"},
		{"--backends", "cpu,cpu"},
		{"--model", "gan", "--data", "synthetic"},
		{"--steps", "0"},
		{"--growth-batches", "8,x"},
		{"--growth-widths", "0,8", "--data", "synthetic"},
		{"--layers", "10,5", "--data", "synthetic"},
		{"--batch", "100000", "--data", "synthetic"},
	} {
		_, errOut := benchCLI(t, 2, args...)
		if !strings.HasPrefix(errOut, "wgml: bench: ") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("wgml bench %v: stderr %q, want one line \"wgml: bench: ...\"", args, errOut)
		}
	}
}
