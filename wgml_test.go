package wgml

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wgml/wgml/internal/gputest"

	"github.com/wgml/wgml/nn"
)

func plane(rng *rand.Rand, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		out[i] = []float64{a, b, a + b, 10 * (a - b), 5 + a}
	}
	return out
}

func TestFitSaveLoad(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	train := plane(rng, 200)
	m, err := Fit(train, Options{Layers: []int{4, 2}, Epochs: 20, Batch: 20, LR: 0.01, Contamination: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.History) != 20 || !(m.History[19].Loss < m.History[0].Loss) {
		t.Errorf("history: %d epochs, loss not falling", len(m.History))
	}
	scores, err := m.Score(train)
	if err != nil {
		t.Fatal(err)
	}
	if _, n := Outliers(scores, m.Threshold); n != 40 {
		t.Errorf("contamination 0.2 of 200 training rows: %d above the threshold, want 40", n)
	}
	l := saveLoad(t, m)
	if l.Threshold != m.Threshold || l.Contamination != 0.2 || l.ScoreKind != "recon" || l.Images {
		t.Errorf("loaded threshold %v contamination %v score %q images %v; saved %v 0.2 recon false", l.Threshold, l.Contamination, l.ScoreKind, l.Images, m.Threshold)
	}
	again, err := l.Score(train)
	if err != nil || !slices.Equal(again, scores) {
		t.Errorf("scores after Load differ (%v)", err)
	}
	codes, err := l.Encode(train[:3])
	if err != nil || len(codes) != 3 || len(codes[0]) != 2 {
		t.Fatalf("Encode: %v, %v", codes, err)
	}
	back, err := l.Decode(codes)
	if err != nil || len(back) != 3 || len(back[0]) != 5 {
		t.Fatalf("Decode: %v, %v", back, err)
	}
	// Decode(Encode(x)) is Denoise(x): both end in data units.
	den, err := l.Denoise(train[:3])
	if err != nil {
		t.Fatal(err)
	}
	for i := range den {
		for j := range den[i] {
			if math.Abs(den[i][j]-back[i][j]) > 1e-4*max(1, math.Abs(den[i][j])) {
				t.Fatalf("Denoise %v and Decode(Encode) %v differ", den[i], back[i])
			}
		}
	}
	// Data units: the 4th feature has a spread of about 14, the 5th a mean of 5.
	if math.Abs(den[0][4]-train[0][4]) > 2 {
		t.Errorf("denoised row %v far from %v", den[0], train[0])
	}
}

func TestFitErrors(t *testing.T) {
	good := [][]float64{{1, 2}, {3, 4}, {5, 7}}
	for name, c := range map[string]struct {
		rows [][]float64
		opt  Options
	}{
		"no rows":       {nil, Options{}},
		"ragged":        {[][]float64{{1, 2}, {3}}, Options{}},
		"NaN":           {[][]float64{{1, math.NaN()}}, Options{}},
		"model":         {good, Options{Model: "gan"}},
		"activation":    {good, Options{HiddenAct: "swish"}},
		"noise":         {good, Options{Noise: "blur:2"}},
		"elbo of an ae": {good, Options{Score: "elbo"}},
		"contamination": {good, Options{Contamination: 1.5, Epochs: 1}},
		"normalize":     {good, Options{Normalize: "robust"}},
		"layers":        {good, Options{Layers: []int{0}}},
	} {
		if _, err := Fit(c.rows, c.opt); err == nil {
			t.Errorf("%s: Fit succeeded, want an error", name)
		}
	}
	m, err := Fit(good, Options{Layers: []int{1}, Epochs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Score([][]float64{{1, 2, 3}}); err == nil {
		t.Error("Score of a row of the wrong width: want an error")
	}
	if _, err := m.Decode([][]float64{{1, 2}}); err == nil {
		t.Error("Decode of a code of the wrong width: want an error")
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing"), nil); err == nil {
		t.Error("Load of a missing file: want an error")
	}
}

func TestFitVAEImages(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	rows := make([][]float64, 64)
	for i := range rows {
		rows[i] = make([]float64, 16)
		for j := range rows[i] {
			rows[i][j] = float64(rng.IntN(2))
		}
	}
	m, err := Fit(rows, Options{Model: "vae", Layers: []int{8, 2}, Images: true, Epochs: 2, Batch: 16, Score: "elbo", Noise: "saltpepper:0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Net.Config.Loss != "bce" || !m.Images || m.Norm.Kind != "none" {
		t.Errorf("image VAE: loss %s, images %v, normaliser %s", m.Net.Config.Loss, m.Images, m.Norm.Kind)
	}
	den, err := m.Denoise(rows[:2])
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range den[0] {
		if v < 0 || v > 1 {
			t.Fatalf("image output %v outside [0,1]", v)
		}
	}
	path := filepath.Join(t.TempDir(), "v.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path, nil)
	if err != nil || l.ScoreKind != "elbo" || l.Threshold != m.Threshold || !l.Images {
		t.Fatalf("Load: %+v, %v", l, err)
	}
}

// TestScoreLoopHoldsDeviceMemory runs 1000 Score calls (and Encode, Decode,
// Denoise in the same loop) on the gpu backend and checks that the device
// memory it holds after the first round does not grow: inference reuses the
// model's workspaces.
func TestScoreLoopHoldsDeviceMemory(t *testing.T) {
	b := gputest.Open(t)
	rng := rand.New(rand.NewPCG(3, 4))
	rows := plane(rng, 130)
	m, err := Fit(rows, Options{Layers: []int{4, 2}, Epochs: 2, Batch: 32, Backend: b})
	if err != nil {
		t.Fatal(err)
	}
	m.Batch = 50 // 130 rows: batches of 50, 50 and 30
	held := func() int64 { return b.(nn.Counting).Counters().BytesAllocated }
	var first int64
	for i := range 1000 {
		if _, err := m.Score(rows); err != nil {
			t.Fatal(err)
		}
		if i%100 == 0 {
			codes, err := m.Encode(rows)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Decode(codes); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Denoise(rows); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			first = held()
		}
	}
	if got := held(); got != first {
		t.Errorf("device bytes allocated: %d after the first round, %d after 1000 Score calls (grew by %d)", first, got, got-first)
	}
	if first <= 0 {
		t.Errorf("device bytes allocated %d: the gpu backend does not count them", first)
	}
}

// saveLoad saves m to a temporary file and loads it back on the cpu.
func saveLoad(t *testing.T, m *Model) *Model {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	l, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
