package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wgml/wgml/bench"
	"github.com/wgml/wgml/data"
)

// TestBenchStream benches a .npy resident and --stream on cpu and gpu: the
// streamed gpu row uploads about a batch's rows per step and the resident
// one nothing; --stream refuses what is not a .npy.
func TestBenchStream(t *testing.T) {
	needGPU(t)
	path := filepath.Join(t.TempDir(), "x.npy")
	if err := data.WriteNPY(path, 300, 12, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = float32((i*7+j*3)%17) / 17
		}
	}); err != nil {
		t.Fatal(err)
	}
	perStep := map[bool]float64{}
	for _, stream := range []bool{false, true} {
		out, _ := benchCLI(t, 0, "--json", "--backends", "cpu,gpu", "--model", "ae", "--data", path, "--steps", "6",
			"--batch", "16", "--growth=false", "--layers", "12,8,3", "--stream="+strconv.FormatBool(stream))
		var rep bench.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("--json output does not parse: %v\n%s", err, out)
		}
		if len(rep.Results) != 2 || rep.Results[1].PerStep == nil {
			t.Fatalf("stream %v: results %+v", stream, rep.Results)
		}
		perStep[stream] = rep.Results[1].PerStep.BytesUploaded
		if strings.Contains(rep.Data, "streamed") != stream {
			t.Errorf("stream %v: data %q", stream, rep.Data)
		}
	}
	if batch := float64(16 * 12 * 4); perStep[false] != 0 || perStep[true] < batch || perStep[true] > 1.2*batch {
		t.Errorf("bytes uploaded per gpu step: %v resident, %v streamed; want 0 and about a batch's %v", perStep[false], perStep[true], batch)
	}
	_, errOut := benchCLI(t, 2, "--stream", "--data", "synthetic")
	if !strings.HasPrefix(errOut, "wgml: bench: stream: ") {
		t.Errorf("--stream of synthetic rows: %q", errOut)
	}
	if err := os.Truncate(path, 1000); err != nil {
		t.Fatal(err)
	}
	_, errOut = benchCLI(t, 1, "--stream", "--data", path, "--backends", "cpu")
	if !strings.HasPrefix(errOut, "wgml: bench: "+path+": shape (300, 12)") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("--stream of a cut file: %q, want one line naming it and its shape", errOut)
	}
}
