package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/wgml/wgml/internal/safetensors"
)

// CheckpointVersion is the checkpoint format this wgml writes; it reads this
// version and older ones. Version 2 stores biases as [Out], as PyTorch's
// state_dict does; version 1 stored them as [1 Out].
const CheckpointVersion = 2

// maxCheckpointStep bounds the step count a checkpoint may claim.
const maxCheckpointStep = 1 << 40

// Checkpoint is a model's weights and training state as stored in a
// safetensors file. Weights are named as PyTorch's state_dict would name
// and shape them (encoder.0.weight is (Out,In), encoder.0.bias (Out)); the
// Adam moments are stored as adam.m.NAME and adam.v.NAME. Config, step,
// epoch, history, the training options and the caller's Meta go into the
// __metadata__ JSON.
type Checkpoint struct {
	Config  Config
	Weights map[string][]float32
	AdamM   map[string][]float32 // nil when not stored
	AdamV   map[string][]float32
	Step    int
	Epoch   int
	// EpochBatch and EpochSums: see Trainer.
	EpochBatch int
	EpochSums  [2]float64
	History    []EpochStats
	// Train is the options of the run that wrote the checkpoint (nil when
	// none trained it here, e.g. a model saved without its trainer), for
	// Trainer-exact resume: see ResumeOptions.
	Train *TrainOptions
	// Early is the early-stopping state (nil without it) and BestEpoch
	// its best epoch (0: none), stored as metadata early_stop and best_epoch.
	Early     *EarlyStop
	BestEpoch int
	Meta      map[string]string // caller's fields: normalisation, threshold, data...
}

// Snapshot reads m's weights (and, with t not nil, its Adam state, step,
// epoch and history) into a Checkpoint.
func Snapshot(b Backend, m *Model, t *Trainer, meta map[string]string) (*Checkpoint, error) {
	if err := m.usable(); err != nil {
		return nil, err
	}
	ck := &Checkpoint{Config: m.Config, Meta: meta}
	var err error
	if ck.Weights, err = readFlat(b, m.Params, m.Params.Flat); err != nil {
		return nil, err
	}
	if t != nil {
		if ck.AdamM, err = readFlat(b, m.Params, m.Params.M); err != nil {
			return nil, err
		}
		if ck.AdamV, err = readFlat(b, m.Params, m.Params.V); err != nil {
			return nil, err
		}
		ck.Step, ck.Epoch, ck.History = t.Step, t.Epoch, t.History
		ck.EpochBatch, ck.EpochSums = t.EpochBatch, t.EpochSums
		opt := t.Opt
		ck.Train = &opt
		if t.Early != nil {
			es := *t.Early
			ck.Early, ck.BestEpoch = &es, es.BestEpoch
		}
	}
	return ck, nil
}

func readFlat(b Backend, ps *ParamSet, flat Tensor) (map[string][]float32, error) {
	host := make([]float32, ps.Total)
	if err := b.Read(flat, host); err != nil {
		return nil, err
	}
	out := map[string][]float32{}
	for i, v := range ps.unpack(host) {
		out[ps.Names[i]] = v
	}
	return out, nil
}

// Save writes ck to path atomically (temp file, fsync, rename). It refuses
// to write tensors holding NaN or ±Inf, which LoadCheckpoint rejects, so a
// diverged run never replaces its last good checkpoint.
func (ck *Checkpoint) Save(path string) error {
	cfg, err := json.Marshal(ck.Config)
	if err != nil {
		return err
	}
	hist, err := json.Marshal(historyJSON(ck.History))
	if err != nil {
		return err
	}
	meta := map[string]string{}
	for k, v := range ck.Meta {
		meta[k] = v
	}
	meta["format"] = "wgml"
	meta["format_version"] = strconv.Itoa(CheckpointVersion)
	meta["config"] = string(cfg)
	meta["step"] = strconv.Itoa(ck.Step)
	meta["epoch"] = strconv.Itoa(ck.Epoch)
	meta["history"] = string(hist)
	meta["epoch_batch"] = strconv.Itoa(ck.EpochBatch)
	meta["epoch_sums"] = fmt.Sprintf("%v,%v", strconv.FormatFloat(ck.EpochSums[0], 'g', -1, 64), strconv.FormatFloat(ck.EpochSums[1], 'g', -1, 64))
	if ck.Train != nil {
		tr, err := json.Marshal(trainJSONOf(*ck.Train))
		if err != nil {
			return err
		}
		meta[metaTrain] = string(tr)
	}
	if err := ck.writeEarlyStop(meta); err != nil {
		return err
	}
	specs, err := ck.Config.ParamSpecs()
	if err != nil {
		return err
	}
	var ts []safetensors.Tensor
	for _, group := range []struct {
		prefix string
		vals   map[string][]float32
	}{{"", ck.Weights}, {"adam.m.", ck.AdamM}, {"adam.v.", ck.AdamV}} {
		if group.vals == nil {
			continue
		}
		for _, s := range specs {
			data := group.vals[s.Name]
			for i, v := range data {
				if !finite(float64(v)) { // LoadCheckpoint would reject it: keep the previous file
					return fmt.Errorf("%s: not written: tensor %s%s holds %v at index %d", path, group.prefix, s.Name, v, i)
				}
			}
			ts = append(ts, safetensors.Tensor{Name: group.prefix + s.Name, Shape: s.Shape(), Data: data})
		}
	}
	return safetensors.Write(path, ts, meta)
}

// LoadCheckpoint reads and validates a checkpoint file.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	ts, meta, err := safetensors.Read(path)
	if err != nil {
		return nil, err
	}
	if meta["format"] != "wgml" {
		return nil, fmt.Errorf("%s: not a wgml checkpoint (no format=wgml in its metadata)", path)
	}
	ver, err := strconv.Atoi(meta["format_version"])
	if err != nil {
		return nil, fmt.Errorf("%s: format_version %q is not a number", path, meta["format_version"])
	}
	if ver > CheckpointVersion {
		return nil, fmt.Errorf("%s: checkpoint format version %d is newer than this wgml reads (%d); upgrade wgml", path, ver, CheckpointVersion)
	}
	ck := &Checkpoint{Meta: map[string]string{}}
	if err := ck.readState(meta); err != nil {
		return nil, fmt.Errorf("%s: metadata %w", path, err)
	}
	for k, v := range meta {
		switch k {
		case "format", "format_version", "config", "step", "epoch", "history", "epoch_batch", "epoch_sums", metaTrain, metaEarlyStop, metaBestEpoch:
		default:
			ck.Meta[k] = v
		}
	}
	if err := ck.readTensors(ts, ver); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ck, nil
}

// readState reads the model config and training state of the metadata;
// errors start with the key.
func (ck *Checkpoint) readState(meta map[string]string) error {
	var err error
	if err := json.Unmarshal([]byte(meta["config"]), &ck.Config); err != nil {
		return fmt.Errorf("config: %v", err)
	}
	if err := ck.Config.Validate(); err != nil {
		return fmt.Errorf("config: %v", err)
	}
	if ck.Step, err = strconv.Atoi(meta["step"]); err != nil || ck.Step < 0 {
		return fmt.Errorf("step %q is not a step count", meta["step"])
	}
	if ck.Epoch, err = strconv.Atoi(meta["epoch"]); err != nil || ck.Epoch < 0 {
		return fmt.Errorf("epoch %q is not an epoch count", meta["epoch"])
	}
	// Every epoch and batch done took a step; steps stay far below the
	// bits the random streams keep for them (see streamEps).
	if ck.Step > maxCheckpointStep {
		return fmt.Errorf("step %d: more than %d steps", ck.Step, maxCheckpointStep)
	}
	if ck.Epoch > ck.Step {
		return fmt.Errorf("epoch %d: more epochs than the %d steps done", ck.Epoch, ck.Step)
	}
	if v := meta["epoch_batch"]; v != "" {
		if ck.EpochBatch, err = strconv.Atoi(v); err != nil || ck.EpochBatch < 0 || ck.EpochBatch > ck.Step {
			return fmt.Errorf("epoch_batch %q is not a batch count (of at most the %d steps done)", v, ck.Step)
		}
		if _, err := fmt.Sscanf(meta["epoch_sums"], "%g,%g", &ck.EpochSums[0], &ck.EpochSums[1]); err != nil ||
			!finite(ck.EpochSums[0]) || !finite(ck.EpochSums[1]) {
			return fmt.Errorf("epoch_sums %q: want two finite numbers", meta["epoch_sums"])
		}
	}
	var hist []epochJSON
	if h := meta["history"]; h != "" {
		if err := json.Unmarshal([]byte(h), &hist); err != nil {
			return fmt.Errorf("history: %v", err)
		}
	}
	ck.History = historyFromJSON(hist)
	if s := meta[metaTrain]; s != "" {
		var tj trainJSON
		if err := json.Unmarshal([]byte(s), &tj); err != nil {
			return fmt.Errorf("%s: %v", metaTrain, err)
		}
		opt, err := tj.options()
		if err != nil {
			return fmt.Errorf("%s: %v", metaTrain, err)
		}
		ck.Train = &opt
	}
	return ck.readEarlyStop(meta)
}

// readTensors takes the config's weights (required) and Adam moments (all
// or none) from ts, shaped as format version ver stores them and finite.
func (ck *Checkpoint) readTensors(ts map[string]safetensors.Tensor, ver int) error {
	specs, _ := ck.Config.ParamSpecs()
	get := func(prefix string, required bool) (map[string][]float32, error) {
		out := map[string][]float32{}
		for _, s := range specs {
			t, ok := ts[prefix+s.Name]
			if !ok {
				if !required && len(out) == 0 {
					return nil, nil
				}
				return nil, fmt.Errorf("tensor %s is missing", prefix+s.Name)
			}
			want := s.Shape()
			if ver < 2 {
				want = []int{s.Rows, s.Cols}
			}
			if !slices.Equal(t.Shape, want) {
				return nil, fmt.Errorf("tensor %s has shape %v, the config needs %v", prefix+s.Name, t.Shape, want)
			}
			for i, v := range t.Data {
				if !finite(float64(v)) {
					return nil, fmt.Errorf("tensor %s holds %v at index %d: the checkpoint is corrupt", prefix+s.Name, v, i)
				}
			}
			out[s.Name] = t.Data
		}
		return out, nil
	}
	var err error
	if ck.Weights, err = get("", true); err != nil {
		return err
	}
	if ck.AdamM, err = get("adam.m.", false); err != nil {
		return err
	}
	ck.AdamV, err = get("adam.v.", false)
	return err
}

// Build creates the checkpoint's model on b with its weights.
func (ck *Checkpoint) Build(b Backend) (*Model, error) {
	m, err := NewModel(b, ck.Config, 0)
	if err != nil {
		return nil, err
	}
	ck.Apply(b, m)
	return m, nil
}

// Restore loads the checkpoint's Adam state, step, epoch and history into t,
// whose model was built from the same checkpoint.
func (ck *Checkpoint) Restore(t *Trainer) error {
	if ck.AdamM == nil || ck.AdamV == nil {
		return fmt.Errorf("checkpoint holds no optimizer state, so training cannot resume from it")
	}
	if err := ck.CheckResume(t.Opt); err != nil {
		return err
	}
	if batches := (t.trainRows() + t.Opt.Batch - 1) / t.Opt.Batch; ck.EpochBatch >= batches && ck.EpochBatch > 0 {
		return fmt.Errorf("checkpoint stopped after batch %d of an epoch, but an epoch here has %d batches: resume with the data and batch size of the interrupted run",
			ck.EpochBatch, batches)
	}
	ps := t.M.Params
	t.B.Upload(ps.M, pack(ps, ck.AdamM))
	t.B.Upload(ps.V, pack(ps, ck.AdamV))
	t.Step, t.Epoch, t.History = ck.Step, ck.Epoch, append([]EpochStats(nil), ck.History...)
	t.EpochBatch, t.EpochSums = ck.EpochBatch, ck.EpochSums
	if t.Early != nil && ck.Early != nil {
		es := *ck.Early
		t.Early = &es
	}
	return nil
}

// Apply uploads the checkpoint's weights into m, a model of its config
// (e.g. the best weights of an early-stopped run into its trainer's model).
func (ck *Checkpoint) Apply(b Backend, m *Model) {
	b.Upload(m.Params.Flat, pack(m.Params, ck.Weights))
}

// pack lays named tensors out in ps's flat layout.
func pack(ps *ParamSet, vals map[string][]float32) []float32 {
	flat := make([]float32, ps.Total)
	for i, dst := range ps.unpack(flat) {
		copy(dst, vals[ps.Names[i]])
	}
	return flat
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Metadata keys of the early-stopping state.
const (
	metaEarlyStop = "early_stop" // JSON of EarlyStop
	metaBestEpoch = "best_epoch" // the epoch of the best validation loss
)

func (ck *Checkpoint) writeEarlyStop(meta map[string]string) error {
	if ck.Early != nil {
		es, err := json.Marshal(ck.Early)
		if err != nil {
			return err
		}
		meta[metaEarlyStop] = string(es)
	}
	if ck.BestEpoch > 0 {
		meta[metaBestEpoch] = strconv.Itoa(ck.BestEpoch)
	}
	return nil
}

func (ck *Checkpoint) readEarlyStop(meta map[string]string) error {
	if s := meta[metaEarlyStop]; s != "" {
		var es EarlyStop
		if err := json.Unmarshal([]byte(s), &es); err != nil {
			return fmt.Errorf("%s: %v", metaEarlyStop, err)
		}
		if err := es.Check(); err != nil {
			return fmt.Errorf("%s: %v", metaEarlyStop, err)
		}
		if es.Epoch > ck.Epoch {
			return fmt.Errorf("%s: observed epoch %d, but the checkpoint is at epoch %d", metaEarlyStop, es.Epoch, ck.Epoch)
		}
		ck.Early = &es
	}
	if s := meta[metaBestEpoch]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > ck.Epoch {
			return fmt.Errorf("%s %q: want an epoch in 1..%d", metaBestEpoch, s, ck.Epoch)
		}
		ck.BestEpoch = n
	}
	return nil
}
