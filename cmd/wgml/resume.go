package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// fromCheckpoint prepares `train --resume` so that it continues the
// interrupted run exactly: the training flags the command line leaves out
// take the values the checkpoint recorded (epochs, batch, seed, learning
// rate, Adam, noise, KL warm-up, LR schedule, validation and early stopping), the model flags it gives must agree with
// the checkpoint's model, the data must have the model's width and the
// class filter must be the one the run used. nn checks that a run stopped
// mid-epoch keeps its batch size and seed, which fix the epoch's order of
// rows.
func (f *trainFlags) fromCheckpoint(fs *pflag.FlagSet, ck *nn.Checkpoint, c card.Card, ckPath string, train *data.Dataset) error {
	if train.Cols != ck.Config.Input() {
		return fmt.Errorf("data %s has %d columns, the checkpoint %s expects %d", train.Name, train.Cols, ckPath, ck.Config.Input())
	}
	if err := f.sameModel(fs, ck.Config, ckPath, train); err != nil {
		return err
	}
	if c.NormalClass != f.normalClass {
		return usagef("normal-class %q: %s was trained with --normal-class %q; resume with the same (\"\": every class)", f.normalClass, ckPath, c.NormalClass)
	}
	if rec := ck.Train; rec != nil {
		o := &f.opt
		for _, r := range []struct {
			flag    string
			restore func()
		}{
			{"epochs", func() { o.Epochs = rec.Epochs }},
			{"batch", func() { o.Batch = rec.Batch }},
			{"lr", func() { o.Adam.LR = rec.Adam.LR }},
			{"seed", func() { o.Seed = rec.Seed }},
			{"noise", func() { o.Noise = rec.Noise }},
			{"kl-warmup", func() { o.KLWarmup = rec.KLWarmup }},
			{"beta1", func() { o.Adam.Beta1 = rec.Adam.Beta1 }},
			{"beta2", func() { o.Adam.Beta2 = rec.Adam.Beta2 }},
			{"adam-eps", func() { o.Adam.Eps = rec.Adam.Eps }},
			{"weight-decay", func() { o.Adam.WeightDecay = rec.Adam.WeightDecay }},
			{"lr-schedule", func() { o.Schedule = rec.Schedule }},
			{"val-frac", func() { o.ValFrac = rec.ValFrac }},
			{"patience", func() { o.Patience = rec.Patience }},
			{"min-delta", func() { o.MinDelta = rec.MinDelta }},
		} {
			if !fs.Changed(r.flag) {
				r.restore()
			}
		}
	}
	if !fs.Changed("threshold-on") && c.Thresholds.On != "" {
		f.thresholdOn = c.Thresholds.On
	}
	if err := ck.CheckResume(f.opt); err != nil {
		return usageError{err}
	}
	return f.check()
}

// sameModel checks the model flags given on the command line against the
// checkpoint's model: a resumed run keeps its architecture.
func (f *trainFlags) sameModel(fs *pflag.FlagSet, have nn.Config, ckPath string, train *data.Dataset) error {
	if fs.Changed("model") && !strings.EqualFold(f.model, have.Kind) {
		return usagef("model %s: the checkpoint %s holds a %s; leave --model out to resume it", f.model, ckPath, have.Kind)
	}
	if fs.Changed("layers") && !slices.Equal(f.layers, have.Layers) {
		return usagef("layers %s: the checkpoint %s has layers %v; leave --layers out to resume it", joinInts(f.layers), ckPath, have.Layers)
	}
	// The flags left out take the checkpoint's values, so that the ones
	// given are checked in the context of the checkpoint's model.
	g := *f
	g.model, g.layers = have.Kind, have.Layers
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
// the two leaves the temp file behind and the previous file intact. The
// folder's lock (lockDir) makes this trainer the only writer there.
func removeStaleTemps(dir string) {
	for _, name := range []string{"model.safetensors", lastName, "loss.png"} {
		stale, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp-*"))
		for _, p := range stale {
			os.Remove(p)
		}
	}
}
