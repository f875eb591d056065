package nn

import (
	"fmt"
	"sort"

	"github.com/wgml/wgml/internal/philox"
)

// StreamOrder is the order in which the epochs of a streamed dataset visit
// its rows: a pure function of (Rows, Chunk, Window, Seed, epoch), computed
// on the host for every backend alike, so cpu and gpu runs of one seed see
// one order and a run resumed at any step continues it exactly.
//
// The Rows rows are cut into chunks of Chunk consecutive rows (the last
// chunk holds the remaining Rows mod Chunk, when that is not 0); a chunk is
// the unit read from disk. Epoch e visits:
//
//	chunks in the order π = philox.Shuffle(nChunks, Seed, ChunkStream+e);
//	the shuffle buffer: windows of Window chunks consecutive in π
//	  (window w holds chunks π[w·Window] .. π[w·Window+Window-1], the last
//	  window fewer); it holds exactly the rows of those chunks, listed chunk
//	  by chunk in π's order, each chunk's rows ascending — list L_w of n_w
//	  rows — and emits them in the order L_w[σ_w[0]], L_w[σ_w[1]], … with
//	  σ_w = philox.Shuffle(n_w, Seed, WindowStream + e<<24 + w);
//	the windows one after the other, w = 0, 1, ….
//
// Nothing of one window mixes with the next (a block shuffle, not tf.data's
// sliding buffer), so position p of an epoch needs only its window's rows:
// the host holds one window (Window·Chunk rows) at a time.
type StreamOrder struct {
	Rows, Chunk, Window int
	Seed                uint64
}

// maxWindows bounds the windows of an epoch (24 bits of WindowStream).
const maxWindows = 1 << 24

// check reports whether o describes an order.
func (o StreamOrder) check() error {
	switch {
	case o.Rows <= 0:
		return fmt.Errorf("stream of %d rows: want at least 1", o.Rows)
	case o.Chunk <= 0:
		return fmt.Errorf("chunk of %d rows: want at least 1", o.Chunk)
	case o.Window <= 0:
		return fmt.Errorf("shuffle buffer of %d chunks: want at least 1", o.Window)
	case o.chunks() > 1<<31-1 || (o.chunks()+o.Window-1)/o.Window > maxWindows:
		return fmt.Errorf("%d rows in chunks of %d: too many chunks; raise the chunk size", o.Rows, o.Chunk)
	}
	return nil
}

// chunks is the number of chunks, the last one possibly short.
func (o StreamOrder) chunks() int { return (o.Rows + o.Chunk - 1) / o.Chunk }

// chunkRows returns the first row and the row count of chunk c.
func (o StreamOrder) chunkRows(c int) (first, n int) {
	first = c * o.Chunk
	return first, min(o.Chunk, o.Rows-first)
}

// epochOrder is one epoch of a StreamOrder: its chunk order and where each
// window's rows start among the epoch's positions.
type epochOrder struct {
	o     StreamOrder
	epoch int
	pi    []int32 // the chunk order π
	start []int   // start[w]: the position of window w's first row; start[nw] = Rows
}

// epochOf returns epoch e (from 1) of o.
func (o StreamOrder) epochOf(e int) *epochOrder {
	pi := philox.Shuffle(o.chunks(), o.Seed, philox.ChunkStream+uint64(e))
	eo := &epochOrder{o: o, epoch: e, pi: pi, start: []int{0}}
	for w := 0; w*o.Window < len(pi); w++ {
		n := 0
		for _, c := range pi[w*o.Window : min((w+1)*o.Window, len(pi))] {
			_, k := o.chunkRows(int(c))
			n += k
		}
		eo.start = append(eo.start, eo.start[w]+n)
	}
	return eo
}

// windows is the number of windows of the epoch.
func (eo *epochOrder) windows() int { return len(eo.start) - 1 }

// windowOf returns the window holding position p.
func (eo *epochOrder) windowOf(p int) int {
	return sort.SearchInts(eo.start, p+1) - 1
}

// windowChunks returns the chunks of window w, in π's order.
func (eo *epochOrder) windowChunks(w int) []int32 {
	return eo.pi[w*eo.o.Window : min((w+1)*eo.o.Window, len(eo.pi))]
}

// sigma returns σ_w, the order window w emits its n_w rows in.
func (eo *epochOrder) sigma(w int) []int32 {
	return philox.Shuffle(eo.start[w+1]-eo.start[w], eo.o.Seed, philox.WindowStream+uint64(eo.epoch)<<24+uint64(w))
}

// Order returns every row of epoch e in the order the epoch visits them
// (Rows indices, so for tests and small sets: a streamed trainer holds one
// window of it at a time).
func (o StreamOrder) Order(e int) ([]int32, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	eo := o.epochOf(e)
	out := make([]int32, 0, o.Rows)
	for w := range eo.windows() {
		var list []int32 // L_w
		for _, c := range eo.windowChunks(w) {
			first, n := o.chunkRows(int(c))
			for r := range n {
				list = append(list, int32(first+r))
			}
		}
		for _, k := range eo.sigma(w) {
			out = append(out, list[k])
		}
	}
	return out, nil
}
