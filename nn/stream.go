package nn

import "fmt"

// RowReader reads a dataset's rows from where it lives, for a training set
// streamed in chunks (Source.Stream). ReadRows writes rows first to
// first+n-1, n×cols float32 values, into dst (pixels already scaled to
// [0,1]); it returns an error naming the source and the rows when it cannot.
type RowReader interface {
	ReadRows(dst []float32, first, n int) error
}

// StreamOptions shape how a streamed training set (Source.Stream) is read:
// chunks of Chunk rows, a shuffle buffer of Window chunks (StreamOrder
// says exactly how they order an epoch). Zero fields take the defaults.
type StreamOptions struct {
	Chunk, Window int
}

// DefaultStreamWindow is the shuffle buffer's chunks when
// StreamOptions.Window is 0, and defaultChunkBytes the size of a default
// chunk (StreamOptions.Chunk 0): 16 MiB of float32 rows.
const (
	DefaultStreamWindow = 4
	defaultChunkBytes   = 16 << 20
)

// orderOf returns the StreamOrder of rows of cols values under o and seed.
func (o StreamOptions) orderOf(rows, cols int, seed uint64) StreamOrder {
	s := StreamOrder{Rows: rows, Chunk: o.Chunk, Window: o.Window, Seed: seed}
	if s.Chunk == 0 {
		s.Chunk = max(1, defaultChunkBytes/(4*max(cols, 1)))
	}
	if s.Window == 0 {
		s.Window = DefaultStreamWindow
	}
	return s
}

// streamed is a training set read in chunks. The epoch's positions are cut
// into upload blocks of block rows (a whole number of batches, about a
// chunk), and the device holds two blocks, in slots (block j in slot j%2):
// when batch training starts block j, block j+1, which a goroutine read and
// shuffled on the host while block j-1 trained, is uploaded into the other
// slot, and the goroutine starts on block j+2. When block j+1 is the
// epoch's last, the goroutine instead reads the next epoch's first window
// into the shuffle buffer (readAhead; not in the run's last epoch), so
// that the next epoch starts by gathering, not reading. Batches are
// gathered from a slot through an identity index, so the gather is the
// same kernel as a resident set's.
type streamed struct {
	b     Backend
	rd    RowReader
	ord   StreamOrder
	cols  int
	block int       // rows of an upload block: a whole number of batches
	slots [2]Tensor // (block, cols) each
	index Tensor    // 0..block-1
	host  []float32 // the next block, filled by fill (block×cols)

	epochs int // the run's epochs: the last one reads nothing ahead
	eo     *epochOrder
	cur    int        // the block batches are gathered from now, -1 before an epoch's first
	next   chan error // the goroutine filling host with block cur+2, nil when none runs
	win    []float32  // the shuffle buffer: window winAt's rows, L_w order
	winAt  int        // the window win holds, -1 for none
	sigma  []int32    // σ of window winAt

	// The next epoch's first window, read ahead into win while the
	// epoch's last blocks train: pre is the goroutine reading it (nil
	// when none runs), preEo its epoch (nil when none was read ahead),
	// preErr its error.
	pre    chan error
	preEo  *epochOrder
	preErr error
}

// newStreamed prepares the streamed training set src for batches of batch.
func newStreamed(b Backend, src Source, o StreamOptions, batch, epochs int, seed uint64) (*streamed, error) {
	ord := o.orderOf(src.Rows, src.Cols, seed)
	if err := ord.check(); err != nil {
		return nil, err
	}
	s := &streamed{b: b, rd: src.Stream, ord: ord, cols: src.Cols, epochs: epochs, cur: -1, winAt: -1}
	s.block = min(max(1, ord.Chunk/batch), (ord.Rows+batch-1)/batch) * batch // no larger than the set needs
	var err error
	for i := range s.slots {
		if s.slots[i], err = b.Alloc(s.block, src.Cols); err != nil {
			return nil, fmt.Errorf("streaming blocks of %d×%d: %w", s.block, src.Cols, err)
		}
	}
	if s.index, err = b.AllocIndex(s.block); err != nil {
		return nil, err
	}
	b.UploadIndex(s.index, identity(s.block))
	s.host = make([]float32, s.block*src.Cols)
	s.win = make([]float32, 0, min(ord.Window*ord.Chunk, ord.Rows)*src.Cols)
	return s, nil
}

// startEpoch makes the next batch the first of epoch's order (from 1); it
// uploads nothing, so that a step's counted uploads are its own. It keeps
// the epoch's first window when it was read ahead without error (a failed
// read ahead is read again, and fails there, where the epoch needs it).
func (s *streamed) startEpoch(epoch int) error {
	if err := s.wait(); err != nil {
		return err
	}
	s.settle()
	if pre := s.preEo; pre != nil && pre.epoch == epoch && s.preErr == nil {
		s.eo, s.cur, s.preEo = pre, -1, nil
		return nil
	}
	s.eo, s.cur, s.winAt, s.preEo = s.ord.epochOf(epoch), -1, -1, nil
	return nil
}

// readAhead starts reading the next epoch's first window into the shuffle
// buffer, which no block of this epoch needs any more.
func (s *streamed) readAhead() {
	eo := s.ord.epochOf(s.eo.epoch + 1)
	s.preEo, s.preErr, s.winAt = eo, nil, -1
	s.pre = make(chan error, 1)
	go func() { s.pre <- s.loadWindow(eo, 0) }()
}

// settle waits for the read ahead, if one runs, keeping its result.
func (s *streamed) settle() {
	if s.pre != nil {
		s.preErr, s.pre = <-s.pre, nil
	}
}

// gather fills ws.x with the rows at positions first..first+ws.n-1 of the
// epoch's order (first a multiple of the batch size).
func (s *streamed) gather(ws *workspace, first int) error {
	j := first / s.block
	if j != s.cur {
		if err := s.advance(j); err != nil {
			return err
		}
	}
	s.b.Gather(ws.x, s.slots[j%2], s.index, first-j*s.block, 1)
	return nil
}

// advance makes block j the current one. Going on from block j-1, block
// j is on the device already: it uploads block j+1, which the goroutine
// read, and starts the goroutine on j+2. Anywhere else (an epoch's start, a
// resume) it reads and uploads blocks j and j+1 first.
func (s *streamed) advance(j int) error {
	if err := s.wait(); err != nil && j == s.cur+1 {
		return err
	}
	if j != s.cur+1 || s.cur < 0 {
		if s.settle(); s.preEo != nil { // the shuffle buffer holds the next epoch's window
			s.winAt, s.preEo = -1, nil
		}
		for _, k := range []int{j, j + 1} {
			if k*s.block < s.ord.Rows {
				if err := s.fill(k); err != nil {
					return err
				}
				s.upload(k)
			}
		}
	} else if (j+1)*s.block < s.ord.Rows {
		s.upload(j + 1)
	}
	s.cur = j
	if k := j + 2; k*s.block < s.ord.Rows {
		s.next = make(chan error, 1)
		go func() { s.next <- s.fill(k) }()
	} else if s.preEo == nil && s.eo.epoch < s.epochs {
		s.readAhead()
	}
	return nil
}

// upload copies block j from host into its slot: the rows it has (the
// last block of an epoch may be short).
func (s *streamed) upload(j int) {
	n := min(s.block, s.ord.Rows-j*s.block)
	s.b.Upload(s.b.View(s.slots[j%2], 0, n, s.cols), s.host[:n*s.cols])
}

// wait waits for the goroutine filling host, if one runs, and returns its
// error.
func (s *streamed) wait() error {
	if s.next == nil {
		return nil
	}
	err := <-s.next
	s.next = nil
	return err
}

// fill writes the rows of block j's positions into host, in order,
// loading each window they come from into the shuffle buffer and gathering
// each window's run of positions in one pass.
func (s *streamed) fill(j int) error {
	eo, c := s.eo, s.cols
	lo, hi := j*s.block, min((j+1)*s.block, s.ord.Rows)
	for p := lo; p < hi; {
		w := eo.windowOf(p)
		if w != s.winAt {
			if err := s.loadWindow(eo, w); err != nil {
				return err
			}
		}
		end := min(hi, eo.start[w+1])
		gatherRows(s.host[(p-lo)*c:(end-lo)*c], s.win, s.sigma[p-eo.start[w]:end-eo.start[w]], c)
		p = end
	}
	return nil
}

// gatherRows copies rows idx[i] of src into row i of dst, rows of c
// values: dst[i·c+k] = src[idx[i]·c+k].
func gatherRows(dst, src []float32, idx []int32, c int) {
	for i, r := range idx {
		copy(dst[i*c:(i+1)*c], src[int(r)*c:(int(r)+1)*c])
	}
}

// loadWindow reads window w of eo's chunks, in π's order, into the
// shuffle buffer.
func (s *streamed) loadWindow(eo *epochOrder, w int) error {
	s.win, s.winAt = s.win[:0], -1
	for _, ch := range eo.windowChunks(w) {
		first, n := s.ord.chunkRows(int(ch))
		at := len(s.win)
		s.win = s.win[:at+n*s.cols]
		if err := s.rd.ReadRows(s.win[at:], first, n); err != nil {
			return err
		}
	}
	s.winAt, s.sigma = w, eo.sigma(w)
	return nil
}

// setTrain makes src the training set: uploaded once with an index for
// its per-epoch permutation, or, with src.Stream, streamed.
func (t *Trainer) setTrain(src Source) error {
	if err := src.check(); err != nil {
		return err
	}
	var err error
	if src.Stream != nil {
		t.stream, err = newStreamed(t.B, src, t.Opt.Stream, t.Opt.Batch, t.Opt.Epochs, t.Opt.Seed)
		return err
	}
	if t.train, err = uploadSource(t.B, t.M, src); err != nil {
		return err
	}
	t.perm, err = t.B.AllocIndex(src.Rows)
	return err
}

// trainRows is the number of training rows.
func (t *Trainer) trainRows() int {
	if t.stream != nil {
		return t.stream.ord.Rows
	}
	return t.train.rows
}

// startEpoch prepares epoch's order of the training rows: a resident set's
// permutation (uploaded), a stream's chunk and shuffle-buffer order.
func (t *Trainer) startEpoch(epoch int) error {
	if t.stream != nil {
		return t.stream.startEpoch(epoch)
	}
	t.B.UploadIndex(t.perm, Permutation(t.train.rows, t.Opt.Seed, epoch))
	return nil
}

// settleStream waits for a streamed set's read ahead, so that nothing
// reads the training source once RunEpoch has returned.
func (t *Trainer) settleStream() {
	if t.stream != nil {
		t.stream.settle()
	}
}

// gather fills ws with the batch at positions first..first+ws.n-1 of the
// epoch's order.
func (t *Trainer) gather(ws *workspace, first int) error {
	if t.stream != nil {
		return t.stream.gather(ws, first)
	}
	t.train.gather(t.B, ws, t.perm, first)
	return nil
}
