package nn_test

// Fuzz targets for the checkpoint reader (FuzzReadSafetensors, in
// internal/safetensors, covers the container format alone). Their seed
// corpora in testdata/fuzz/<FuzzName>/ (and the f.Add seeds) run as
// ordinary tests; to search for new failures run one at a time, e.g.
//
//	go test -run '^$' -fuzz '^FuzzLoadCheckpoint$' -fuzztime 60s ./nn
//
// and commit any input it writes to testdata/fuzz as a regression seed.

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/internal/safetensors"
	"github.com/wgml/wgml/nn"
)

// fuzzConfigs are small models whose checkpoints seed the fuzzers.
var fuzzConfigs = []nn.Config{
	{Kind: nn.KindAE, Layers: []int{4, 3, 2}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "torch"},
	{Kind: nn.KindVAE, Layers: []int{4, 2}, HiddenAct: nn.Tanh, OutputAct: nn.Sigmoid, Loss: nn.LossBCE, Beta: 0.5, Init: "he"},
}

// fuzzRows is a small training set of cols columns.
func fuzzRows(rows, cols int) nn.Source {
	v := make([]float32, rows*cols)
	for i := range v {
		v[i] = float32(i%7) / 7
	}
	return nn.Source{Rows: rows, Cols: cols, Floats: v}
}

// fuzzCheckpoint returns the bytes of a checkpoint of c trained for one
// epoch and two steps (so stopped mid-epoch), with Adam state, or only the
// weights.
func fuzzCheckpoint(tb testing.TB, c nn.Config, withAdam bool) []byte {
	b := cpu.New()
	m, err := nn.NewModel(b, c, 1)
	if err != nil {
		tb.Fatal(err)
	}
	var tr *nn.Trainer
	if withAdam {
		test := fuzzRows(3, c.Input())
		opt := nn.TrainOptions{Epochs: 2, Batch: 2, Adam: nn.DefaultAdam, Seed: 1}
		if tr, err = nn.NewTrainer(b, m, fuzzRows(7, c.Input()), &test, opt); err != nil {
			tb.Fatal(err)
		}
		if _, err := tr.RunEpoch(); err != nil {
			tb.Fatal(err)
		}
		steps := 0
		tr.Stop = func() bool { steps++; return steps > 2 }
		if _, err := tr.RunEpoch(); err != nn.ErrStopped {
			tb.Fatalf("RunEpoch: %v, want ErrStopped", err)
		}
	}
	ck, err := nn.Snapshot(b, m, tr, map[string]string{"data": `{"spec":"x.csv"}`, "threshold": "1.5"})
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "seed.safetensors")
	if err := ck.Save(path); err != nil {
		tb.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// editHeader replaces old by new once in the header of the safetensors
// file raw and fixes the header length.
func editHeader(tb testing.TB, raw []byte, old, new string) []byte {
	n := int(binary.LittleEndian.Uint64(raw))
	header := string(raw[8 : 8+n])
	if !strings.Contains(header, old) {
		tb.Fatalf("header has no %s", old)
	}
	header = strings.Replace(header, old, new, 1)
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(out, header...), raw[8+n:]...)
}

// FuzzLoadCheckpoint feeds arbitrary bytes to LoadCheckpoint. It must
// return an error naming the file, or a checkpoint that builds a working
// model, resumes training without a panic, and saves to a file that loads
// back the same.
func FuzzLoadCheckpoint(f *testing.F) {
	for _, c := range fuzzConfigs {
		for _, adam := range []bool{true, false} {
			raw := fuzzCheckpoint(f, c, adam)
			f.Add(raw)
			n := int(binary.LittleEndian.Uint64(raw))
			f.Add(raw[:8+n])        // no data
			f.Add(raw[:len(raw)-4]) // one value short
			for _, e := range [][2]string{
				{`"format_version":"2"`, `"format_version":"9"`},
				{`"step":"`, `"step":"-`},
				{`\"layers\":[4,`, `\"layers\":[0,`},
				{`\"layers\":[4,`, `\"layers\":[4000000000,`},
				{`\"hidden_act\":\"`, `\"hidden_act\":\"s`},
				{`"epoch_batch":"`, `"epoch_batch":"9`},
			} {
				f.Add(editHeader(f, raw, e[0], e[1]))
			}
			nan := bytes.Clone(raw)
			binary.LittleEndian.PutUint32(nan[8+n:], math.Float32bits(float32(math.NaN())))
			f.Add(nan)
		}
	}
	dir := fuzzDir(f) // each fuzz worker is its own process with its own folder
	path, again := filepath.Join(dir, "fuzz.safetensors"), filepath.Join(dir, "again.safetensors")
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		checkLoad(t, path, again)
	})
}

// FuzzCheckpointMetadata keeps the file well formed and fuzzes the
// metadata LoadCheckpoint interprets: format version, config, step, epoch,
// mid-epoch position and sums, and history.
func FuzzCheckpointMetadata(f *testing.F) {
	var tensors [][]safetensors.Tensor
	for i, c := range fuzzConfigs {
		path := filepath.Join(f.TempDir(), "seed.safetensors")
		if err := os.WriteFile(path, fuzzCheckpoint(f, c, true), 0o644); err != nil {
			f.Fatal(err)
		}
		ts, meta, err := safetensors.Read(path)
		if err != nil {
			f.Fatal(err)
		}
		var list []safetensors.Tensor
		for _, name := range slices.Sorted(mapKeys(ts)) {
			list = append(list, ts[name])
		}
		tensors = append(tensors, list)
		f.Add(uint8(i), meta["format_version"], meta["config"], meta["step"], meta["epoch"], meta["epoch_batch"], meta["epoch_sums"], meta["history"])
		f.Add(uint8(i), "0", meta["config"], "0", "0", "", "", "")
		f.Add(uint8(i), "1", meta["config"], "9223372036854775807", "99", "1000000", "1e308,-0", `[{"epoch":1,"test_loss":null}]`)
		f.Add(uint8(i), "1", strings.Replace(meta["config"], `"beta":`, `"beta":-`, 1), "1", "1", "0", "NaN,1", "{}")
	}
	dir := fuzzDir(f)
	path, again := filepath.Join(dir, "fuzz.safetensors"), filepath.Join(dir, "again.safetensors")
	f.Fuzz(func(t *testing.T, which uint8, version, config, step, epoch, batch, sums, history string) {
		meta := map[string]string{"format": "wgml", "format_version": version, "config": config, "step": step,
			"epoch": epoch, "epoch_batch": batch, "epoch_sums": sums, "history": history}
		if err := safetensors.Write(path, tensors[int(which)%len(tensors)], meta); err != nil {
			t.Skip(err) // e.g. metadata that is not UTF-8 cannot be written as JSON
		}
		checkLoad(t, path, again)
	})
}

// checkLoad loads the checkpoint at path and, if it loads, uses it: builds
// the model on the cpu backend, runs it, resumes training for an epoch,
// saves it to again and loads that back.
func checkLoad(t *testing.T, path, again string) {
	ck, err := nn.LoadCheckpoint(path)
	if err != nil {
		if !strings.HasPrefix(err.Error(), path+": ") {
			t.Fatalf("error %q does not start with the file name", err)
		}
		return
	}
	if err := ck.Config.Validate(); err != nil {
		t.Fatalf("loaded a checkpoint whose config is invalid: %v", err)
	}
	if ck.Step < 0 || ck.Epoch < 0 || ck.EpochBatch < 0 {
		t.Fatalf("step %d, epoch %d, epoch batch %d", ck.Step, ck.Epoch, ck.EpochBatch)
	}
	specs, err := ck.Config.ParamSpecs()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		w := ck.Weights[s.Name]
		if len(w) != s.Rows*s.Cols {
			t.Fatalf("tensor %s: %d values, want %d", s.Name, len(w), s.Rows*s.Cols)
		}
		for _, v := range w {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("tensor %s holds %v", s.Name, v)
			}
		}
	}
	b := cpu.New()
	m, err := ck.Build(b)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	rows := fuzzRows(5, ck.Config.Input())
	if _, err := m.Run(b, rows, 2, nn.Want{Latent: true, Output: true}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ck.AdamM != nil {
		tr, err := nn.NewTrainer(b, m, rows, nil, nn.TrainOptions{Epochs: ck.Epoch + 1, Batch: 2, Adam: nn.DefaultAdam, Seed: 1})
		if err != nil {
			t.Fatalf("NewTrainer: %v", err)
		}
		// Restore may refuse (a mid-epoch position past this data's end);
		// RunEpoch may fail (a diverging loss); neither may panic.
		if err := ck.Restore(tr); err == nil {
			tr.RunEpoch()
		}
	}
	if err := ck.Save(again); err != nil {
		t.Fatalf("Save of a loaded checkpoint: %v", err)
	}
	ck2, err := nn.LoadCheckpoint(again)
	if err != nil {
		t.Fatalf("reloading a saved checkpoint: %v", err)
	}
	if ck2.Step != ck.Step || ck2.Epoch != ck.Epoch || ck2.EpochBatch != ck.EpochBatch || len(ck2.History) != len(ck.History) ||
		!slices.Equal(ck2.Config.Layers, ck.Config.Layers) || ck2.Config.Kind != ck.Config.Kind {
		t.Fatalf("saved and reloaded: %+v, was %+v", ck2, ck)
	}
	for name, w := range ck.Weights {
		if !slices.Equal(ck2.Weights[name], w) {
			t.Fatalf("tensor %s changed in a save and reload", name)
		}
	}
}

func mapKeys[M ~map[K]V, K comparable, V any](m M) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// fuzzDir is a new folder for the files a fuzz target writes for each
// input: on tmpfs (/dev/shm) where there is one, since rewriting a small
// file on ext4 costs milliseconds (a truncated file is flushed on close).
func fuzzDir(f *testing.F) string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if d, err := os.MkdirTemp("/dev/shm", "wgml-fuzz-"); err == nil {
			f.Cleanup(func() { os.RemoveAll(d) })
			return d
		}
	}
	return f.TempDir()
}
