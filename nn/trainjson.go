package nn

import (
	"fmt"

	"github.com/wgml/wgml/noise"
)

// metaTrain is the checkpoint metadata key of the recorded TrainOptions.
const metaTrain = "train"

// trainJSON is TrainOptions as a checkpoint records them (the keys of the
// wgml command's flags). Pointers tell a recorded zero from a field an
// older checkpoint lacks; a missing field takes the default of
// DefaultTrainOptions. LogEvery and StepsPerSubmit are how this process
// runs, not what it trains, and are not recorded.
type trainJSON struct {
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
	// Validation and schedule (validation.go); absent in older checkpoints.
	Schedule *Schedule `json:"lr_schedule,omitempty"`
	ValFrac  *float64  `json:"val_frac,omitempty"`
	Patience *int      `json:"patience,omitempty"`
	MinDelta *float64  `json:"min_delta,omitempty"`
	// A streamed training set's chunks and shuffle buffer (stream.go).
	StreamChunk  *int `json:"stream_chunk,omitempty"`
	StreamWindow *int `json:"stream_window,omitempty"`
}

func trainJSONOf(o TrainOptions) trainJSON {
	nz := o.Noise.String()
	return trainJSON{&o.Epochs, &o.Batch, &o.Adam.LR, &o.Seed, &nz, &o.KLWarmup,
		&o.Adam.Beta1, &o.Adam.Beta2, &o.Adam.Eps, &o.Adam.WeightDecay,
		&o.Schedule, &o.ValFrac, &o.Patience, &o.MinDelta, &o.Stream.Chunk, &o.Stream.Window}
}

// options returns the recorded options over DefaultTrainOptions. It does
// not Check them: a resume does, after the caller's changes.
func (j trainJSON) options() (TrainOptions, error) {
	o := DefaultTrainOptions()
	set := func(dst, src any) {
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
		case *float64:
			if s := src.(*float64); s != nil {
				*d = *s
			}
		}
	}
	set(&o.Epochs, j.Epochs)
	set(&o.Batch, j.Batch)
	set(&o.Adam.LR, j.LR)
	set(&o.Seed, j.Seed)
	set(&o.KLWarmup, j.KLWarmup)
	set(&o.Adam.Beta1, j.Beta1)
	set(&o.Adam.Beta2, j.Beta2)
	set(&o.Adam.Eps, j.Eps)
	set(&o.Adam.WeightDecay, j.WeightDecay)
	set(&o.ValFrac, j.ValFrac)
	set(&o.Patience, j.Patience)
	set(&o.MinDelta, j.MinDelta)
	set(&o.Stream.Chunk, j.StreamChunk)
	set(&o.Stream.Window, j.StreamWindow)
	if j.Schedule != nil {
		o.Schedule = *j.Schedule
	}
	if j.Noise != nil {
		n, err := noise.Parse(*j.Noise)
		if err != nil {
			return o, err
		}
		o.Noise = n
	}
	return o, nil
}

// CheckResume reports whether opt can continue the run that wrote ck: a
// run stopped inside an epoch keeps the batch size and seed that fix that
// epoch's order of rows; every run keeps its validation split, early
// stopping and LR schedule (and a cosine schedule its epochs, its horizon).
// Restore calls it; callers call it early to fail before building anything.
func (ck *Checkpoint) CheckResume(opt TrainOptions) error {
	if ck.Train == nil {
		return nil
	}
	if err := ck.checkResumeValidation(opt); err != nil {
		return err
	}
	if ck.EpochBatch == 0 {
		return nil
	}
	if opt.Batch != ck.Train.Batch {
		return fmt.Errorf("batch %d: the run stopped inside epoch %d with batch %d; resume with that batch size", opt.Batch, ck.Epoch+1, ck.Train.Batch)
	}
	if opt.Seed != ck.Train.Seed {
		return fmt.Errorf("seed %d: the run stopped inside epoch %d with seed %d; resume with that seed", opt.Seed, ck.Epoch+1, ck.Train.Seed)
	}
	if opt.Stream != ck.Train.Stream {
		return fmt.Errorf("stream chunk %d, window %d: the run stopped inside epoch %d reading chunks of %d rows, %d per shuffle buffer; resume with those",
			opt.Stream.Chunk, opt.Stream.Window, ck.Epoch+1, ck.Train.Stream.Chunk, ck.Train.Stream.Window)
	}
	return nil
}

// checkResumeValidation refuses a resume that changes the validation split,
// early stopping or the LR schedule the run was trained with.
func (ck *Checkpoint) checkResumeValidation(opt TrainOptions) error {
	rec := ck.Train
	switch {
	case opt.Schedule.String() != rec.Schedule.String():
		return fmt.Errorf("lr-schedule %s: the run was trained with --lr-schedule %s; resume with that schedule", opt.Schedule, rec.Schedule)
	case rec.Schedule.Kind == ScheduleCosine && opt.Epochs != rec.Epochs:
		return fmt.Errorf("epochs %d: the run's cosine schedule anneals over %d epochs; resume with --epochs %d", opt.Epochs, rec.Epochs, rec.Epochs)
	case opt.ValFrac != rec.ValFrac:
		return fmt.Errorf("val-frac %v: the run held out %v of its training rows; resume with that fraction", opt.ValFrac, rec.ValFrac)
	case opt.Patience != rec.Patience || opt.MinDelta != rec.MinDelta:
		return fmt.Errorf("patience %d, min-delta %v: the run stops early with patience %d, min-delta %v; resume with those", opt.Patience, opt.MinDelta, rec.Patience, rec.MinDelta)
	}
	return nil
}
