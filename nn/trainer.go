package nn

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/wgml/wgml/noise"
)

// TrainOptions configure a Trainer.
type TrainOptions struct {
	Epochs int
	Batch  int
	Adam   AdamParams  // LR, Beta1, Beta2, Eps, WeightDecay; Step is the trainer's
	Seed   uint64      // data order, VAE eps and noise draw from it
	Noise  noise.Noise // input corruption for de-noising (target stays clean)
	// KLWarmup > 0 ramps the KL weight linearly from 0 to Beta over that
	// many epochs (per step), a common fix for posterior collapse.
	KLWarmup int
	// LogEvery > 0 reads the running loss every that many steps, for
	// progress display; otherwise losses are read only at epoch ends.
	LogEvery int
	// StepsPerSubmit is the number of training steps recorded before the
	// backend is flushed (GPU: one queue submit); 0 takes the backend's
	// default (Batching), else 1.
	StepsPerSubmit int
	// Validation and learning-rate schedule: see validation.go.
	Schedule Schedule // scales Adam.LR once per epoch; the zero Schedule is constant
	ValFrac  float64  // in (0, 1): the fraction of training rows the caller holds out (SplitValidation); 0: none
	Patience int      // >= 1: stop after that many epochs without validation improvement (needs ValFrac); 0: never
	MinDelta float64  // the least validation-loss decrease that counts as improvement
	// Stream shapes the reading of a streamed training set (Source.Stream).
	Stream StreamOptions
}

// DefaultAdam is PyTorch's torch.optim.Adam default with lr 1e-3.
var DefaultAdam = AdamParams{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}

// DefaultTrainOptions are the training defaults of the wgml command and the
// wgml package: 10 epochs of batches of 128 rows, DefaultAdam, seed 1, a
// constant learning rate, no validation set.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{Epochs: 10, Batch: 128, Adam: DefaultAdam, Seed: 1}
}

// Check validates the options a user chose (named by the wgml command's
// flags); NewTrainer checks what depends on the data.
func (o TrainOptions) Check() error {
	finite := func(v float32) bool { return !math.IsInf(float64(v), 0) && !math.IsNaN(float64(v)) }
	h := o.Adam
	switch {
	case o.Epochs <= 0:
		return fmt.Errorf("epochs %d: want at least 1", o.Epochs)
	case o.Batch <= 0:
		return fmt.Errorf("batch %d: want a positive batch size", o.Batch)
	case !(h.LR > 0) || !finite(h.LR):
		return fmt.Errorf("lr %v: want a positive learning rate", h.LR)
	case !(h.Eps >= 0) || !finite(h.Eps):
		return fmt.Errorf("adam-eps %v: want a small non-negative number", h.Eps)
	case !(h.WeightDecay >= 0) || !finite(h.WeightDecay):
		return fmt.Errorf("weight-decay %v: want a non-negative number", h.WeightDecay)
	case !(h.Beta1 >= 0 && h.Beta1 < 1 && h.Beta2 >= 0 && h.Beta2 < 1):
		return fmt.Errorf("beta1 %v, beta2 %v: want values in [0, 1)", h.Beta1, h.Beta2)
	case o.KLWarmup < 0:
		return fmt.Errorf("kl-warmup %d: want a non-negative epoch count", o.KLWarmup)
	case o.StepsPerSubmit < 0:
		return fmt.Errorf("steps-per-submit %d: want a positive number, or 0 for the adapter's default", o.StepsPerSubmit)
	}
	return o.checkValidation()
}

// EpochStats are one epoch's mean losses per row. Loss = Recon + Beta·KL.
type EpochStats struct {
	Epoch                       int
	Step                        int // Adam steps done at the end of the epoch
	Loss, Recon, KL             float64
	TestLoss, TestRecon, TestKL float64 // NaN when there is no test set
	ValLoss, ValRecon, ValKL    float64 // NaN when there is no validation set
	LR                          float32 // the epoch's learning rate (Adam.LR · Schedule factor)
	Improved                    bool    // early stopping: the best validation loss so far
	Seconds                     float64
	SamplesPerSec               float64
}

// Progress is reported every LogEvery steps.
type Progress struct {
	Epoch, Batch, Batches int
	Rows                  int     // rows seen this epoch
	Loss                  float64 // running mean loss this epoch
}

// ErrStopped is returned by RunEpoch when Stop asked to stop; the trainer
// is at a step boundary and can be checkpointed.
var ErrStopped = errors.New("training stopped")

// Trainer fits a Model on a dataset that is uploaded to the backend once.
// It allocates every buffer in NewTrainer; a step allocates nothing.
type Trainer struct {
	B     Backend
	M     *Model
	Opt   TrainOptions
	Step  int // Adam steps done
	Epoch int // epochs done
	// EpochBatch is the number of batches of epoch Epoch+1 already done
	// when training stopped mid-epoch (0 otherwise), and EpochSums their
	// reconstruction and KL sums, so a resumed epoch continues exactly.
	EpochBatch int
	EpochSums  [2]float64
	// History holds the stats of every finished epoch (restored on resume).
	History []EpochStats
	// StepWork is the backend work of the training steps this process ran
	// (progress reads included, epoch-end reads and evaluation not), when
	// the backend counts its work; StepsRun is their number.
	StepWork Counters
	StepsRun int
	// OnProgress, if set, is called every Opt.LogEvery steps.
	OnProgress func(Progress)
	// Stop, if set, is polled before each step; true ends the epoch early
	// with ErrStopped.
	Stop func() bool
	// limited: RunSteps is running, with stepsLeft steps to go.
	limited   bool
	stepsLeft int

	// Early is the early-stopping state (nil without Opt.Patience): see
	// validation.go.
	Early *EarlyStop
	// Best is the best epoch's checkpoint under early stopping, kept by
	// Run (see there).
	Best *Checkpoint
	// lr is the learning rate of the current epoch (setEpochLR).
	lr float32
	// val: the validation rows (SetValidation).
	val      *resident
	valIndex Tensor
	valWS    map[int]*workspace

	train, test     *resident
	stream          *streamed // the training set when streamed (train is nil then)
	perm, testIndex Tensor
	trainIndex      Tensor // 0..rows-1 over the training set, made by RunTrain
	ws, evalWS      map[int]*workspace
	moments         map[*Dense]moments // per-layer Adam's views (layeradam.go)
	// sums (2,ViewAlign) holds the epoch's loss sums: recon at [0,0], KL at
	// [1,0] (views acc[0], acc[1]; accRows the rows a step adds into), so
	// one Read or Upload moves both.
	sums    Tensor
	acc     [2]Tensor
	accRows Tensor
	host    [2 * ViewAlign]float32
}

// NewTrainer uploads train (and test, if not nil) and allocates everything.
func NewTrainer(b Backend, m *Model, train Source, test *Source, opt TrainOptions) (*Trainer, error) {
	if err := m.usable(); err != nil {
		return nil, err
	}
	if opt.Epochs < 0 {
		return nil, fmt.Errorf("epochs %d: want at least 1", opt.Epochs)
	}
	if opt.Batch <= 0 {
		return nil, fmt.Errorf("batch %d: want a positive batch size", opt.Batch)
	}
	if opt.Batch > train.Rows {
		return nil, fmt.Errorf("batch %d: larger than the training set (%d rows)", opt.Batch, train.Rows)
	}
	if !(opt.Adam.LR > 0) {
		return nil, fmt.Errorf("lr %v: want a positive learning rate", opt.Adam.LR)
	}
	if train.Cols != m.Config.Input() {
		return nil, fmt.Errorf("layers: input width %d does not match the data's %d columns", m.Config.Input(), train.Cols)
	}
	t := &Trainer{B: b, M: m, Opt: opt, ws: map[int]*workspace{}}
	if opt.Patience > 0 {
		es, err := NewEarlyStop(opt.Patience, opt.MinDelta)
		if err != nil {
			return nil, err
		}
		t.Early = &es
	}
	var err error
	if err = t.setTrain(train); err != nil {
		return nil, err
	}
	noisy := opt.Noise.Kind != noise.None
	for _, n := range batchSizes(train.Rows, opt.Batch) {
		if t.ws[n], err = m.newWorkspace(b, n, extras{Noisy: noisy, Grad: true, Masked: t.train != nil && t.train.mask != nil}); err != nil {
			return nil, err
		}
	}
	if test != nil && test.Rows > 0 {
		if test.Cols != train.Cols {
			return nil, fmt.Errorf("test set has %d columns, training set %d", test.Cols, train.Cols)
		}
		if t.test, t.testIndex, t.evalWS, err = t.uploadEval(*test); err != nil {
			return nil, err
		}
	}
	if t.sums, err = b.Alloc(2, ViewAlign); err != nil {
		return nil, err
	}
	t.acc = [2]Tensor{b.View(t.sums, 0, 1, 1), b.View(t.sums, ViewAlign, 1, 1)}
	t.accRows = b.View(t.sums, 0, t.ws[batchSizes(train.Rows, opt.Batch)[0]].rows.Rows(), ViewAlign)
	return t, nil
}

// uploadEval uploads rows that are evaluated, not trained on (the test or
// validation set): the resident rows, an index 0..rows-1 over them and a
// workspace per batch size.
func (t *Trainer) uploadEval(src Source) (set *resident, index Tensor, wss map[int]*workspace, err error) {
	if set, err = uploadSource(t.B, t.M, src); err != nil {
		return nil, nil, nil, err
	}
	if index, err = t.B.AllocIndex(src.Rows); err != nil {
		return nil, nil, nil, err
	}
	t.B.UploadIndex(index, identity(src.Rows))
	wss = map[int]*workspace{}
	for _, n := range batchSizes(src.Rows, t.Opt.Batch) {
		if wss[n], err = t.M.newWorkspace(t.B, n, extras{Masked: set.mask != nil}); err != nil {
			return nil, nil, nil, err
		}
	}
	return set, index, wss, nil
}

// batchSizes are the distinct batch sizes of an epoch over rows: the full
// batch and the remainder, if any (the last batch is kept, as PyTorch's
// DataLoader does by default).
func batchSizes(rows, batch int) []int {
	if rows%batch == 0 || rows < batch {
		return []int{min(rows, batch)}
	}
	return []int{batch, rows % batch}
}

// klWeight is the KL weight at the current step: Beta, ramped linearly over
// the first KLWarmup epochs.
func (t *Trainer) klWeight(stepsPerEpoch int) float32 {
	beta := t.M.Config.Beta
	if t.Opt.KLWarmup <= 0 {
		return beta
	}
	ramp := float64(t.Step+1) / float64(t.Opt.KLWarmup*stepsPerEpoch)
	return beta * float32(min(ramp, 1))
}

// RunEpoch trains one epoch over a fresh permutation of the training set,
// then evaluates the test set.
func (t *Trainer) RunEpoch() (EpochStats, error) {
	start := time.Now()
	defer t.settleStream()
	b, m, rows := t.B, t.M, t.trainRows()
	epoch := t.Epoch + 1
	if err := t.startEpoch(epoch); err != nil {
		return EpochStats{}, err
	}
	t.setEpochLR(epoch)
	t.setAcc(t.EpochSums)
	batches := (rows + t.Opt.Batch - 1) / t.Opt.Batch
	c0 := counters(b)
	perSubmit := t.StepsPerSubmit()
	for k := t.EpochBatch; k < batches; k++ {
		stop := t.Stop != nil && t.Stop()
		if stop || (t.limited && t.stepsLeft == 0) {
			recon, kl, err := t.readAcc()
			if err != nil {
				return EpochStats{}, err
			}
			t.EpochBatch, t.EpochSums = k, [2]float64{recon, kl}
			if stop {
				return EpochStats{}, ErrStopped
			}
			return EpochStats{}, errStepsDone
		}
		t.stepsLeft--
		first := k * t.Opt.Batch
		ws := t.ws[min(t.Opt.Batch, rows-first)]
		if err := t.step(ws, first, batches); err != nil {
			return EpochStats{}, err
		}
		if (k+1)%perSubmit == 0 {
			b.Flush()
		}
		if t.OnProgress != nil && t.Opt.LogEvery > 0 && ((k+1)%t.Opt.LogEvery == 0 || k == batches-1) {
			seen := min(first+t.Opt.Batch, rows)
			recon, kl, err := t.readAcc()
			if err != nil {
				return EpochStats{}, err
			}
			loss := (recon + float64(m.Config.Beta)*kl) / float64(seen)
			if math.IsNaN(loss) || math.IsInf(loss, 0) {
				return EpochStats{}, fmt.Errorf("loss became %v in epoch %d by step %d (batch %d of %d)", loss, epoch, t.Step, k+1, batches)
			}
			t.OnProgress(Progress{Epoch: epoch, Batch: k + 1, Batches: batches, Rows: seen, Loss: loss})
		}
	}
	t.StepWork = t.StepWork.Add(counters(b).Sub(c0))
	t.StepsRun += batches - t.EpochBatch
	t.EpochBatch, t.EpochSums = 0, [2]float64{}
	recon, kl, err := t.readAcc()
	if err != nil {
		return EpochStats{}, err
	}
	st := EpochStats{Epoch: epoch, Step: t.Step, Recon: recon / float64(rows), KL: kl / float64(rows), LR: t.lr}
	st.Loss = st.Recon + float64(m.Config.Beta)*st.KL
	if math.IsNaN(st.Loss) || math.IsInf(st.Loss, 0) {
		return EpochStats{}, fmt.Errorf("loss became %v in epoch %d (steps %d to %d)", st.Loss, epoch, t.Step-batches+1, t.Step)
	}
	st.Seconds = time.Since(start).Seconds()
	st.SamplesPerSec = float64(rows) / st.Seconds
	st.TestLoss, st.TestRecon, st.TestKL = math.NaN(), math.NaN(), math.NaN()
	if t.test != nil {
		if st.TestRecon, st.TestKL, err = t.Evaluate(); err != nil {
			return EpochStats{}, err
		}
		st.TestLoss = st.TestRecon + float64(m.Config.Beta)*st.TestKL
	}
	if err := t.endEpochValidation(&st); err != nil {
		return EpochStats{}, err
	}
	t.Epoch = epoch
	t.History = append(t.History, st)
	return st, nil
}

// errStepsDone ends RunEpoch when RunSteps' steps are done.
var errStepsDone = errors.New("steps done")

// RunSteps trains exactly n more steps: it continues the current epoch and
// goes on into the next ones, each ending as RunEpoch ends it (test set
// included), and returns after a read, so every recorded step has finished,
// with the trainer at a step boundary (mid-epoch, as after Stop). Stop still
// applies and returns ErrStopped.
func (t *Trainer) RunSteps(n int) error {
	if n < 0 {
		return fmt.Errorf("steps %d: want a non-negative count", n)
	}
	t.limited, t.stepsLeft = true, n
	defer func() { t.limited = false }()
	for {
		_, err := t.RunEpoch()
		if errors.Is(err, errStepsDone) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// StepsPerSubmit is the number of steps recorded per Flush:
// Opt.StepsPerSubmit, or the backend's default.
func (t *Trainer) StepsPerSubmit() int {
	if t.Opt.StepsPerSubmit > 0 {
		return t.Opt.StepsPerSubmit
	}
	if bt, ok := t.B.(Batching); ok {
		return max(bt.DefaultStepsPerSubmit(), 1)
	}
	return 1
}

// step records one training step on the batch of rows at positions
// first..first+n-1 of the epoch's order.
func (t *Trainer) step(ws *workspace, first, batchesPerEpoch int) error {
	b, m, ps := t.B, t.M, t.M.Params
	seed, s := t.Opt.Seed, uint64(t.Step)
	if err := t.gather(ws, first); err != nil {
		return err
	}
	if ws.xin != ws.x {
		b.Corrupt(ws.xin, ws.x, t.Opt.Noise, seed, streamNoise|s)
	}
	scale := 1 / float32(ws.n)
	m.forward(b, ws, true, seed, streamEps|s, scale)
	kl := t.klWeight(batchesPerEpoch) * scale
	t.Step++
	h := t.Opt.Adam
	h.Step, h.LR = t.Step, t.lr
	if perLayerAdam(b) {
		t.backwardAdam(ws, kl, h)
		return nil
	}
	m.backward(b, ws, kl, nil)
	b.AdamSums(ps.Flat, ps.Grad, ps.M, ps.V, h, t.accRows, ws.rows)
	return nil
}

// Evaluate returns the mean reconstruction loss and KL per test row (the VAE
// samples z, as its training objective does, from a fixed evaluation stream).
func (t *Trainer) Evaluate() (recon, kl float64, err error) {
	return t.evaluate(t.test, t.testIndex, t.evalWS)
}

// evaluate is Evaluate over the resident rows set, gathered through index
// (0..rows-1) into the workspaces wss (by batch size).
func (t *Trainer) evaluate(set *resident, index Tensor, wss map[int]*workspace) (recon, kl float64, err error) {
	b, m, rows := t.B, t.M, set.rows
	t.setAcc([2]float64{})
	for k, first := 0, 0; first < rows; k, first = k+1, first+t.Opt.Batch {
		ws := wss[min(t.Opt.Batch, rows-first)]
		set.gather(b, ws, index, first)
		m.forward(b, ws, true, t.Opt.Seed, streamEval|uint64(k), 0)
		b.SumRows(t.acc[0], ws.rowLoss, Accumulate)
		if m.Heads != nil {
			b.SumRows(t.acc[1], ws.rowKL, Accumulate)
		}
	}
	recon, kl, err = t.readAcc()
	return recon / float64(rows), kl / float64(rows), err
}

// setAcc sets the loss sums (one upload).
func (t *Trainer) setAcc(v [2]float64) {
	t.host[0], t.host[ViewAlign] = float32(v[0]), float32(v[1])
	t.B.Upload(t.sums, t.host[:])
}

// readAcc reads the loss sums (one readback).
func (t *Trainer) readAcc() (recon, kl float64, err error) {
	if err = t.B.Read(t.sums, t.host[:]); err != nil {
		return 0, 0, err
	}
	return float64(t.host[0]), float64(t.host[ViewAlign]), nil
}
