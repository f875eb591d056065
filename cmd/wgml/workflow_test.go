package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// trainFlagFields maps every flag of wgml train to the field of lib.Job
// (Options and the data options included) it sets, with a value away from
// its default.
var trainFlagFields = map[string]struct{ field, value string }{
	"kind": {"Options.Model", "vae"}, "model": {"Options.Model", "vae"},
	"layers": {"Options.Layers", "3,2"}, "hidden-act": {"Options.HiddenAct", "tanh"},
	"latent-act": {"Options.LatentAct", "tanh"}, "output-act": {"Options.OutputAct", "sigmoid"},
	"loss": {"Options.Loss", "mse"}, "beta": {"Options.Beta", "2"}, "kl-warmup": {"Options.KLWarmup", "3"},
	"init": {"Options.Init", "he"}, "epochs": {"Options.Epochs", "3"}, "batch": {"Options.Batch", "7"},
	"lr": {"Options.LR", "0.5"}, "beta1": {"Options.Beta1", "0.5"}, "beta2": {"Options.Beta2", "0.5"},
	"adam-eps": {"Options.AdamEps", "0.5"}, "weight-decay": {"Options.WeightDecay", "0.5"},
	"seed": {"Options.Seed", "9"}, "noise": {"Options.Noise", "mask:0.1"}, "out": {"Out", "x"},
	"resume": {"Start", "true"}, "overwrite": {"Start", "true"}, "log-every": {"Options.LogEvery", "3"},
	"steps-per-submit": {"Options.StepsPerSubmit", "3"}, "contamination": {"Options.Contamination", "0.3"},
	"normal-class": {"Options.NormalClass", "1"}, "lr-schedule": {"Options.LRSchedule", "cosine"},
	"val-frac": {"Options.ValFrac", "0.3"}, "patience": {"Options.Patience", "3"},
	"min-delta": {"Options.MinDelta", "0.3"}, "threshold-on": {"Options.ThresholdOn", "val"},
	"data": {"Data", "x.csv"}, "test": {"Open.TestFile", "t.csv"}, "test-frac": {"Open.TestFrac", "0.3"},
	"label-col": {"Open.CSV.LabelCol", "y"}, "header": {"Open.CSV.Header", "no"}, "sep": {"Open.CSV.Sep", ";"},
	"missing": {"Open.CSV.Missing", "mean"}, "na-values": {"Open.CSV.NAValues", "-"},
	"categorical": {"Open.CSV.Categorical", "a"}, "max-categories": {"Open.CSV.MaxCategories", "3"},
	"columns": {"Open.CSV.Columns", "a"}, "drop": {"Open.CSV.Drop", "a"},
	"image-size": {"Open.Image.Width", "4x4"}, "channels": {"Open.Image.Channels", "3"},
	"skip-bad": {"Open.Image.SkipBad", "true"}, "labels": {"Open.Labels", "l.npy"},
	"normalize": {"Options.Normalize", "minmax"}, "limit": {"Limit", "3"}, "test-limit": {"TestLimit", "3"},
	"stream": {"Options.Stream", "on"}, "stream-chunk": {"Options.StreamChunk", "16"}, "stream-window": {"Options.StreamWindow", "2"},
}

// trainFlagsElsewhere are train's flags that set no Job field, and where
// their value goes instead.
var trainFlagsElsewhere = map[string]string{
	"backend": "the backend opened by name (backends.Open) and given to Training.Run, as Options.Backend would be",
	"stats":   "printing Training.Trainer().StepWork, which every run counts",
}

// TestTrainFlagsMapToOptions walks train's flag set: every flag must set
// the lib.Job field the table names (parsed alone, away from its default,
// it changes that field), or be one of the few that go elsewhere.
func TestTrainFlagsMapToOptions(t *testing.T) {
	fs := newFlags("train", "train", io.Discard, io.Discard)
	addTrainFlags(fs)
	base, err := parseTrain(nil, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	fs.VisitAll(func(f *pflag.Flag) {
		if _, ok := trainFlagsElsewhere[f.Name]; ok {
			return
		}
		m, ok := trainFlagFields[f.Name]
		if !ok {
			t.Errorf("--%s maps to no Options (lib.Job) field", f.Name)
			return
		}
		c, err := parseTrain([]string{"--" + f.Name + "=" + m.value}, io.Discard, io.Discard)
		if err != nil {
			t.Errorf("--%s=%s: %v", f.Name, m.value, err)
			return
		}
		got, def := field(t, &c.job, m.field), field(t, &base.job, m.field)
		if got.IsValid() && reflect.DeepEqual(got.Interface(), def.Interface()) {
			t.Errorf("--%s=%s leaves %s at %v", f.Name, m.value, m.field, got.Interface())
		}
		if name := strings.TrimPrefix(m.field, "Options."); name != m.field && !c.job.Given(optionName(f.Name)) {
			t.Errorf("--%s given, but Options.Given(%q) is false", f.Name, optionName(f.Name))
		}
	})
	for name := range trainFlagFields {
		if fs.Lookup(name) == nil {
			t.Errorf("the table maps --%s, which train does not have", name)
		}
	}
}

// optionName is the option name lib.Options.Given takes for a flag.
func optionName(flag string) string {
	if flag == "kind" {
		return "model"
	}
	return flag
}

// field is the field of v named by a dotted path, invalid (reported) if
// there is none.
func field(t *testing.T, v any, path string) reflect.Value {
	t.Helper()
	f := reflect.ValueOf(v).Elem()
	for _, name := range strings.Split(path, ".") {
		if f = f.FieldByName(name); !f.IsValid() {
			t.Errorf("lib.Job has no field %s", path)
			return f
		}
	}
	return f
}

// TestTrainEqualsLibrary trains one model through wgml train and through
// the library (FitFile) with the same options and finds the weights bit
// for bit equal on the cpu backend.
func TestTrainEqualsLibrary(t *testing.T) {
	dir := t.TempDir()
	train, test := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	if err := os.WriteFile(train, numCSV(90), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(test, numCSV(20), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"train", "--backend", "cpu", "--data", train, "--test", test, "--kind", "vae", "--layers", "3,8,2",
		"--epochs", "4", "--batch", "16", "--lr", "0.01", "--seed", "3", "--beta1", "0", "--val-frac", "0.2", "--patience", "2",
		"--out", filepath.Join(dir, "run")}
	if code := run(args, &out, &errOut); code != 0 {
		t.Fatalf("wgml train: exit %d: %s", code, errOut.String())
	}
	cli, err := nn.LoadCheckpoint(filepath.Join(dir, "run", lib.CheckpointName))
	if err != nil {
		t.Fatal(err)
	}
	given := map[string]bool{"beta1": true}
	m, _, err := lib.FitFile(train, data.OpenOptions{}, lib.Options{Model: "vae", Layers: []int{8, 2}, Epochs: 4, Batch: 16, LR: 0.01, Seed: 3,
		Selection: lib.Selection{ValFrac: 0.2, Patience: 2},
		Given: func(name string) bool {
			return given[name] || slices.Contains([]string{"model", "layers", "epochs", "batch", "lr", "seed", "val-frac", "patience"}, name)
		}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "lib.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := nn.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cli.Weights) == 0 || !reflect.DeepEqual(got.Weights, cli.Weights) {
		t.Errorf("library weights differ from wgml train's (best epochs: library %d, wgml %d)", m.BestEpoch, cli.BestEpoch)
	}
	ck, err := lib.Load(filepath.Join(dir, "run", lib.CheckpointName), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Threshold != ck.Threshold || m.BestEpoch != ck.BestEpoch {
		t.Errorf("library threshold %v (best epoch %d), wgml train's %v (%d)", m.Threshold, m.BestEpoch, ck.Threshold, ck.BestEpoch)
	}
}
