package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// recordedTrain is what f.encode records in a checkpoint's "train" metadata.
// Pointers tell a recorded zero from a field older checkpoints lack.
type recordedTrain struct {
	Epochs      *int     `json:"epochs"`
	Batch       *int     `json:"batch"`
	LR          *float32 `json:"lr"`
	Seed        *uint64  `json:"seed"`
	Noise       *string  `json:"noise"`
	KLWarmup    *int     `json:"kl_warmup"`
	Beta1       *float32 `json:"beta1"`
	Beta2       *float32 `json:"beta2"`
	Eps         *float32 `json:"adam_eps"`
	WeightDecay *float32 `json:"weight_decay"`
}

// fromCheckpoint prepares `train --resume` so that it continues the
// interrupted run exactly: the training flags the command line leaves out
// take the values the checkpoint recorded (epochs, batch, seed, learning
// rate, Adam, noise, KL warm-up), the model flags it gives must agree with
// the checkpoint's model, and the data must have the model's width. A run
// stopped mid-epoch cannot change its batch size or seed, which fix the
// epoch's order of rows.
func (f *trainFlags) fromCheckpoint(fs *pflag.FlagSet, ck *nn.Checkpoint, ckPath string, train *data.Dataset, nz *noise.Noise) error {
	if train.Cols != ck.Config.Input() {
		return fmt.Errorf("data %s has %d columns, the checkpoint %s expects %d", train.Name, train.Cols, ckPath, ck.Config.Input())
	}
	if err := f.sameModel(fs, ck.Config, ckPath, train); err != nil {
		return err
	}
	var rec recordedTrain
	if s := ck.Meta["train"]; s != "" {
		if err := json.Unmarshal([]byte(s), &rec); err != nil {
			return fmt.Errorf("%s: metadata train: %v", ckPath, err)
		}
	}
	if ck.EpochBatch > 0 {
		if fs.Changed("batch") && rec.Batch != nil && f.batch != *rec.Batch {
			return usagef("batch %d: the run stopped inside epoch %d with batch %d; resume with that batch size (or leave --batch out)", f.batch, ck.Epoch+1, *rec.Batch)
		}
		if fs.Changed("seed") && rec.Seed != nil && f.seed != *rec.Seed {
			return usagef("seed %d: the run stopped inside epoch %d with seed %d; resume with that seed (or leave --seed out)", f.seed, ck.Epoch+1, *rec.Seed)
		}
	}
	restore := func(flag string, dst, src any) {
		if fs.Changed(flag) {
			return
		}
		switch d := dst.(type) {
		case *int:
			if s := src.(*int); s != nil {
				*d = *s
			}
		case *float32:
			if s := src.(*float32); s != nil {
				*d = *s
			}
		case *uint64:
			if s := src.(*uint64); s != nil {
				*d = *s
			}
		case *string:
			if s := src.(*string); s != nil {
				*d = *s
			}
		}
	}
	restore("epochs", &f.epochs, rec.Epochs)
	restore("batch", &f.batch, rec.Batch)
	restore("lr", &f.lr, rec.LR)
	restore("seed", &f.seed, rec.Seed)
	restore("noise", &f.noise, rec.Noise)
	restore("kl-warmup", &f.klWarmup, rec.KLWarmup)
	restore("beta1", &f.beta1, rec.Beta1)
	restore("beta2", &f.beta2, rec.Beta2)
	restore("adam-eps", &f.eps, rec.Eps)
	restore("weight-decay", &f.weightDecay, rec.WeightDecay)
	if err := f.check(); err != nil {
		return fmt.Errorf("%s: metadata train: %w", ckPath, err)
	}
	n, err := noise.Parse(f.noise)
	if err != nil {
		return fmt.Errorf("%s: metadata train: %w", ckPath, err)
	}
	*nz = n
	return nil
}

// sameModel checks the model flags given on the command line against the
// checkpoint's model: a resumed run keeps its architecture.
func (f *trainFlags) sameModel(fs *pflag.FlagSet, have nn.Config, ckPath string, train *data.Dataset) error {
	if fs.Changed("model") && !strings.EqualFold(f.model, have.Kind) {
		return usagef("model %s: the checkpoint %s holds a %s; leave --model out to resume it", f.model, ckPath, have.Kind)
	}
	if fs.Changed("layers") {
		if l, err := parseInts(f.layers); err != nil || !slices.Equal(l, have.Layers) {
			return usagef("layers %s: the checkpoint %s has layers %v; leave --layers out to resume it", f.layers, ckPath, have.Layers)
		}
	}
	// The flags left out take the checkpoint's values, so that the ones
	// given are checked in the context of the checkpoint's model.
	g := *f
	g.model, g.layers = have.Kind, ""
	for i, w := range have.Layers {
		if i > 0 {
			g.layers += ","
		}
		g.layers += strconv.Itoa(w)
	}
	for _, c := range []struct {
		flag string
		dst  *string
		val  string
	}{
		{"hidden-act", &g.hiddenAct, have.HiddenAct.String()},
		{"latent-act", &g.latentAct, have.LatentAct.String()},
		{"output-act", &g.outputAct, have.OutputAct.String()},
		{"loss", &g.loss, have.Loss},
		{"init", &g.init, have.Init},
	} {
		if !fs.Changed(c.flag) {
			*c.dst = c.val
		}
	}
	if !fs.Changed("beta") {
		g.beta = have.Beta
	}
	want, err := g.config(train)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		flag      string
		got, have any
	}{
		{"hidden-act", want.HiddenAct, have.HiddenAct},
		{"latent-act", want.LatentAct, have.LatentAct},
		{"output-act", want.OutputAct, have.OutputAct},
		{"loss", want.Loss, have.Loss},
		{"beta", want.Beta, have.Beta},
		{"init", want.Init, have.Init},
	} {
		if fs.Changed(c.flag) && c.got != c.have {
			return usagef("%s %v: the checkpoint %s has %v; leave --%s out to resume it", c.flag, c.got, ckPath, c.have, c.flag)
		}
	}
	return nil
}

// removeStaleTemps deletes the temporary files that a killed wgml train
// (SIGKILL, power loss) leaves in its output folder: the checkpoint and
// loss curve are written to ".NAME.tmp-*" and renamed, so a crash between
// the two leaves the temp file behind and the previous file intact. One
// trainer per output folder is assumed.
func removeStaleTemps(dir string) {
	for _, name := range []string{"model.safetensors", "loss.png"} {
		stale, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp-*"))
		for _, p := range stale {
			os.Remove(p)
		}
	}
}
