package wgml

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// resume makes r continue the checkpoint's run exactly: the training
// options the caller did not set take the values the checkpoint recorded
// (epochs, batch, seed, learning rate, Adam, noise, KL warm-up, LR
// schedule, validation and early stopping), the model options set must
// agree with the checkpoint's model, the data must have the model's width
// and the class filter must be the one the run used. nn checks that a run
// stopped mid-epoch keeps its batch size and seed, which fix the epoch's
// order of rows.
func (r *Training) resume(c card.Card) error {
	ck, path := r.Resumed, r.checkpoint
	if r.Rows.Cols != ck.Config.Input() {
		return fmt.Errorf("data %s has %d columns, the checkpoint %s expects %d", r.Rows.Name, r.Rows.Cols, path, ck.Config.Input())
	}
	if err := r.Opt.sameModel(ck.Config, path, r.Rows); err != nil {
		return err
	}
	if c.NormalClass != r.Opt.NormalClass {
		return optionErr("normal-class %q: %s was trained with --normal-class %q; resume with the same (\"\": every class)", r.Opt.NormalClass, path, c.NormalClass)
	}
	if ck.Train != nil {
		r.Opt.recorded(&r.Train, *ck.Train)
	}
	if !r.Opt.set("threshold-on", r.Opt.ThresholdOn != "") && c.Thresholds.On != "" {
		r.Opt.ThresholdOn = c.Thresholds.On
	}
	r.Config, r.norm = ck.Config, c.Data.Normalizer
	return asOption(ck.CheckResume(r.Train))
}

// recorded sets the training options the caller did not set to the
// recorded run's.
func (o *Options) recorded(to *nn.TrainOptions, rec nn.TrainOptions) {
	for _, r := range []struct {
		name    string
		nonZero bool
		restore func()
	}{
		{"epochs", o.Epochs != 0, func() { to.Epochs = rec.Epochs }},
		{"batch", o.Batch != 0, func() { to.Batch = rec.Batch }},
		{"lr", o.LR != 0, func() { to.Adam.LR = rec.Adam.LR }},
		{"seed", o.Seed != 0, func() { to.Seed = rec.Seed }},
		{"noise", o.Noise != "", func() { to.Noise = rec.Noise }},
		{"kl-warmup", o.KLWarmup != 0, func() { to.KLWarmup = rec.KLWarmup }},
		{"beta1", o.Beta1 != 0, func() { to.Adam.Beta1 = rec.Adam.Beta1 }},
		{"beta2", o.Beta2 != 0, func() { to.Adam.Beta2 = rec.Adam.Beta2 }},
		{"adam-eps", o.AdamEps != 0, func() { to.Adam.Eps = rec.Adam.Eps }},
		{"weight-decay", o.WeightDecay != 0, func() { to.Adam.WeightDecay = rec.Adam.WeightDecay }},
		{"lr-schedule", o.LRSchedule != "", func() { to.Schedule = rec.Schedule }},
		{"val-frac", o.ValFrac != 0, func() { to.ValFrac = rec.ValFrac }},
		{"patience", o.Patience != 0, func() { to.Patience = rec.Patience }},
		{"min-delta", o.MinDelta != 0, func() { to.MinDelta = rec.MinDelta }},
		{"stream-chunk", o.StreamChunk != 0, func() { to.Stream.Chunk = rec.Stream.Chunk }},
		{"stream-window", o.StreamWindow != 0, func() { to.Stream.Window = rec.Stream.Window }},
	} {
		if !o.set(r.name, r.nonZero) {
			r.restore()
		}
	}
}

// sameModel checks the model options set against the checkpoint's model:
// a resumed run keeps its architecture.
func (o *Options) sameModel(have nn.Config, path string, train *data.Dataset) error {
	if o.set("model", o.Model != "") && !strings.EqualFold(o.Model, have.Kind) {
		return optionErr("model %s: the checkpoint %s holds a %s; leave --model out to resume it", o.Model, path, have.Kind)
	}
	if o.set("layers", o.Layers != nil) {
		given := append([]int{train.Cols}, o.Layers...)
		if o.InputWidth != 0 {
			given[0] = o.InputWidth
		}
		if !slices.Equal(given, have.Layers) {
			return optionErr("layers %s: the checkpoint %s has layers %v; leave --layers out to resume it", JoinInts(given), path, have.Layers)
		}
	}
	// The options left out take the checkpoint's values, so that the ones
	// set are checked in the context of the checkpoint's model.
	g := *o
	g.Model, g.Layers, g.InputWidth = have.Kind, have.Layers[1:], have.Layers[0]
	g.Given = func(string) bool { return true }
	for _, c := range []struct {
		name string
		dst  *string
		val  string
	}{
		{"hidden-act", &g.HiddenAct, have.HiddenAct.String()},
		{"latent-act", &g.LatentAct, have.LatentAct.String()},
		{"output-act", &g.OutputAct, have.OutputAct.String()},
		{"loss", &g.Loss, have.Loss},
		{"init", &g.Init, have.Init},
	} {
		if !o.set(c.name, *c.dst != "") {
			*c.dst = c.val
		}
	}
	if !o.set("beta", o.Beta != 0) {
		g.Beta = have.Beta
	}
	want, err := g.config(train)
	if err != nil {
		return err
	}
	return o.sameAs(want, have, path)
}

// sameAs refuses a model option set whose value (in want) differs from the
// checkpoint's model have.
func (o *Options) sameAs(want, have nn.Config, path string) error {
	for _, c := range []struct {
		name      string
		nonZero   bool
		got, have any
	}{
		{"hidden-act", o.HiddenAct != "", want.HiddenAct, have.HiddenAct},
		{"latent-act", o.LatentAct != "", want.LatentAct, have.LatentAct},
		{"output-act", o.OutputAct != "", want.OutputAct, have.OutputAct},
		{"loss", o.Loss != "", want.Loss, have.Loss},
		{"beta", o.Beta != 0, want.Beta, have.Beta},
		{"init", o.Init != "", want.Init, have.Init},
	} {
		if o.set(c.name, c.nonZero) && c.got != c.have {
			return optionErr("%s %v: the checkpoint %s has %v; leave --%s out to resume it", c.name, c.got, path, c.have, c.name)
		}
	}
	return nil
}

// JoinInts writes v as a list flag's value: 1,2,3.
func JoinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}
