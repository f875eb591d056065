package gpu

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wgml/wgml/internal/atomicfile"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// mmShape is the shape of one product as the variant choice sees it.
type mmShape struct {
	m, k, n        int
	transA, transB nn.Transpose
}

// String is the shape as the tuning cache and table write it:
// "128x784x400" with "/ta" and "/tb" for transposed operands.
func (s mmShape) String() string {
	r := fmt.Sprintf("%dx%dx%d", s.m, s.k, s.n)
	if s.transA == nn.Trans {
		r += "/ta"
	}
	if s.transB == nn.Trans {
		r += "/tb"
	}
	return r
}

// mmState is the matmul variant choice of a backend: the pinned variant,
// the choice made for each shape, the tuning table, and the split-K
// scratch buffers.
type mmState struct {
	pinRead bool
	pin     *mmVariant
	chosen  map[mmShape]mmVariant
	results []TuneResult
	cache   map[string]string // shape -> variant, this adapter's disk cache
	scratch [2]*Tensor
}

// TuneResult is one timed candidate of the tuning pass.
type TuneResult struct {
	Variant string  `json:"variant"`
	Shape   string  `json:"shape"`
	Micros  float64 `json:"us"`
	GFLOPS  float64 `json:"gflops"`
	Chosen  bool    `json:"chosen"`
}

// TuneResults returns the tuning table of every product shape b has timed
// so far (none on a software adapter or where the disk cache answered).
func (b *Backend) TuneResults() []TuneResult { return b.mm.results }

// Tune times every candidate variant of the (m,k)·(k,n) product with the
// given transposes, as building a model does for its shapes on a hardware
// adapter, records the fastest as the shape's choice, and returns the
// table. Unlike the choice a product makes by itself, it times on a
// software adapter too and ignores the disk cache.
func (b *Backend) Tune(m, k, n int, transA, transB nn.Transpose) ([]TuneResult, error) {
	s := mmShape{m, k, n, transA, transB}
	before := len(b.mm.results)
	b.tune(s)
	if b.err != nil {
		return nil, b.err
	}
	return b.mm.results[before:], nil
}

// chooseMatMul returns the variant of a product: the WGML_MATMUL pin; else
// on a software adapter the shape rule (its timings mean nothing); else the
// variant the disk cache or a tuning pass found fastest for this adapter.
func (b *Backend) chooseMatMul(m, k, n int, transA, transB nn.Transpose) mmVariant {
	if !b.mm.pinRead {
		b.mm.pinRead = true
		v, ok, err := pinnedVariant()
		if err != nil {
			b.fail(fmt.Errorf("%s: %w", pinEnv, err))
		}
		if ok {
			b.mm.pin = &v
		}
	}
	if b.mm.pin != nil {
		return *b.mm.pin
	}
	if b.info.Software {
		return ruleVariant(m, k, n)
	}
	s := mmShape{m, k, n, transA, transB}
	if v, ok := b.mm.chosen[s]; ok {
		return v
	}
	if b.mm.cache == nil {
		b.mm.cache = loadTuneCache(b.info)
	}
	if name, ok := b.mm.cache[s.String()]; ok {
		if v, err := parseMMVariant(name); err == nil {
			b.setChoice(s, v)
			return v
		}
	}
	return b.tune(s)
}

func (b *Backend) setChoice(s mmShape, v mmVariant) {
	if b.mm.chosen == nil {
		b.mm.chosen = map[mmShape]mmVariant{}
	}
	b.mm.chosen[s] = v
}

// tuneClock reads the time for the tuning pass (a test fakes it).
var tuneClock = time.Now

// tuneReps is how often the tuning pass runs each candidate after a
// warm-up run that compiles its pipeline.
const tuneReps = 5

// tune times every candidate of shape s on scratch operands (fence-timed:
// a submit and a wait around tuneReps runs), records the table, chooses
// the fastest, and writes the choice to the disk cache (on a hardware
// adapter: a software adapter's timings are never used). Work recorded
// before is submitted first; the tuning runs are not counted in b's
// counters, which describe the model's own work.
func (b *Backend) tune(s mmShape) mmVariant {
	rule := ruleVariant(s.m, s.k, s.n)
	if b.err != nil {
		return rule
	}
	saved := b.counters
	defer func() { b.counters = saved }()
	ar, ac := s.transA.Dims(s.m, s.k)
	br, bc := s.transB.Dims(s.k, s.n)
	var temps []*Tensor
	alloc := func(r, c int) *Tensor {
		t, err := b.Alloc(r, c)
		if err != nil {
			b.fail(err)
			return nil
		}
		temps = append(temps, b.tensor(t))
		return b.tensor(t)
	}
	a, bm, c := alloc(ar, ac), alloc(br, bc), alloc(s.m, s.n)
	defer b.freeTemps(temps)
	if b.err != nil {
		return rule
	}
	if err := b.Sync(); err != nil {
		return rule
	}
	v := shaders.Variant{TransA: s.transA, TransB: s.transB}
	flops := 2 * float64(s.m) * float64(s.k) * float64(s.n)
	best, bestT := rule, 0.0
	var rows []TuneResult
	for _, cand := range mmCandidates(s.m, s.k, s.n) {
		b.recordMatMul(cand, v, s.m, s.k, s.n, a, bm, nil, c, nil)
		if b.Sync() != nil {
			return rule
		}
		t0 := tuneClock()
		for range tuneReps {
			b.recordMatMul(cand, v, s.m, s.k, s.n, a, bm, nil, c, nil)
		}
		if b.Sync() != nil {
			return rule
		}
		us := float64(tuneClock().Sub(t0).Microseconds()) / tuneReps
		rows = append(rows, TuneResult{Variant: cand.String(), Shape: s.String(), Micros: us, GFLOPS: flops / us / 1e3})
		if bestT == 0 || us < bestT {
			best, bestT = cand, us
		}
	}
	for i := range rows {
		rows[i].Chosen = rows[i].Variant == best.String()
	}
	b.mm.results = append(b.mm.results, rows...)
	b.setChoice(s, best)
	if b.mm.cache == nil {
		b.mm.cache = loadTuneCache(b.info)
	}
	b.mm.cache[s.String()] = best.String()
	if !b.info.Software {
		saveTuneCache(b.info, b.mm.cache)
	}
	return best
}

// freeTemps releases the tuning pass's scratch tensors and every cached
// dispatch that binds them.
func (b *Backend) freeTemps(temps []*Tensor) {
	dead := map[*buffer]bool{}
	for _, t := range temps {
		dead[t.buf] = true
	}
	b.freeBuffers(dead)
}

// tuneCachePath is the file of the tuning choices of every adapter:
// wgml/matmul-tune.json under os.UserCacheDir.
func tuneCachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "wgml", "matmul-tune.json"), nil
}

// tuneCacheFile is the disk cache: adapter key -> shape -> variant.
type tuneCacheFile map[string]map[string]string

// adapterKey names an adapter in the disk cache: its name, device id,
// driver and API.
func adapterKey(a AdapterInfo) string {
	return fmt.Sprintf("%s|%s|%s|%s", a.Name, a.DeviceID, a.Driver, a.Backend)
}

// loadTuneCache returns a's cached choices (empty when there are none or
// the file cannot be read: the tuning pass then runs again).
func loadTuneCache(a AdapterInfo) map[string]string {
	all := readTuneCache()
	if m := all[adapterKey(a)]; m != nil {
		return m
	}
	return map[string]string{}
}

func readTuneCache() tuneCacheFile {
	all := tuneCacheFile{}
	path, err := tuneCachePath()
	if err != nil {
		return all
	}
	if data, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(data, &all) // a broken cache is retuned and rewritten
	}
	return all
}

// saveTuneCache writes a's choices into the disk cache, atomically; a cache
// that cannot be written only means tuning again next time.
func saveTuneCache(a AdapterInfo, choices map[string]string) {
	path, err := tuneCachePath()
	if err != nil {
		return
	}
	all := readTuneCache()
	all[adapterKey(a)] = choices
	data, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	_ = atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}
