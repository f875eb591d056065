package gpu

import (
	"testing"

	"github.com/wgml/wgml/nn"
)

// TestTune runs the tuning pass on lavapipe (where a product never calls it
// by itself): one row per candidate, exactly one chosen, and the table
// kept for wgml bench --tune.
func TestTune(t *testing.T) {
	b := openBackend(t)
	rows, err := b.Tune(65, 300, 33, nn.Trans, nn.NoTrans)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(mmCandidates(65, 300, 33)); len(rows) != want {
		t.Fatalf("%d rows, want one per candidate (%d)", len(rows), want)
	}
	chosen := 0
	for _, r := range rows {
		if r.Shape != "65x300x33/ta" || r.Micros <= 0 || r.GFLOPS <= 0 {
			t.Errorf("row %+v", r)
		}
		if r.Chosen {
			chosen++
		}
	}
	if chosen != 1 {
		t.Errorf("%d rows chosen, want 1", chosen)
	}
	if got := len(b.TuneResults()); got != len(rows) {
		t.Errorf("TuneResults has %d rows, want %d", got, len(rows))
	}
}

// TestTuneCache round-trips the per-adapter disk cache under a private
// os.UserCacheDir, keeping other adapters' entries.
func TestTuneCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	a := AdapterInfo{Name: "card A", DeviceID: "0x1", Driver: "d", Backend: "vulkan"}
	other := AdapterInfo{Name: "card B", DeviceID: "0x2", Driver: "d", Backend: "vulkan"}
	if got := loadTuneCache(a); len(got) != 0 {
		t.Fatalf("empty cache holds %v", got)
	}
	saveTuneCache(a, map[string]string{"128x784x400/tb": "t64x64/k4"})
	saveTuneCache(other, map[string]string{"1x1x1": "t32x32"})
	if got := loadTuneCache(a)["128x784x400/tb"]; got != "t64x64/k4" {
		t.Errorf("adapter A's choice = %q, want t64x64/k4", got)
	}
	if got := loadTuneCache(other)["1x1x1"]; got != "t32x32" {
		t.Errorf("adapter B's choice = %q, want t32x32", got)
	}
}
