package wgml

import (
	"io"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/noise"
)

// DenoisePart corrupts the rows of p, the rows ReadSplit reads, with nz
// (seeded by seed) and de-noises them as DenoiseData does, m.Batch rows
// at a time, with the same answer: its Report and its CSV. The readers'
// warnings go to warn (nil: dropped); the caller closes the answer.
//
// Where StreamsDenoising says so it reads the file as a stream instead,
// chunk by chunk, and keeps each row's de-noised and clean values (and
// mask) in a temporary file (rowFile: 8 or 9 bytes a value on disk, none
// in memory) and its label in memory; Error and WriteCSV read the rows
// back from there in ReadSplit's order (Part.order), so that they sum and
// write them in the same order as in memory.
func (m *Model) DenoisePart(p Part, nz noise.Noise, seed uint64, warn io.Writer) (*Denoised, error) {
	if StreamsDenoising(p, nz) {
		return m.denoiseStreamed(p, seed, warn)
	}
	rows, _, err := m.readPart(p, warn)
	if err != nil {
		return nil, err
	}
	return m.DenoiseData(rows, nz, seed, m.Batch)
}

// StreamsDenoising is DenoisePart's rule: it streams the rows of p where
// they can be streamed (a CSV or Parquet table of a model trained on a
// table, a .npy array of floats: streamsPart), to be de-noised as they
// are (nz none): a noise's draws depend on each row's place among the
// rows run through the model together.
func StreamsDenoising(p Part, nz noise.Noise) bool {
	return streamsPart(p) && nz.Kind == noise.None
}

// denoiseStreamed is DenoisePart as a stream (see there).
func (m *Model) denoiseStreamed(p Part, seed uint64, warn io.Writer) (*Denoised, error) {
	path, name := p.file(p.Split)
	in := m.Net.Config.Input()
	r := &Denoised{Seed: seed, m: m, d: &data.Dataset{Name: name, Cols: in, Schema: m.Schema, Columns: m.card.Data.Columns}}
	labels, classes, err := m.eachRows(path, p.Open, warn, nn.Want{Output: true}, func(k *chunkRun) error {
		if r.file == nil {
			r.masked = k.src.Mask != nil
			masks := 0
			if r.masked {
				masks = in
			}
			f, err := newRowFile(masks, in, in)
			if err != nil {
				return err
			}
			r.file = f
		}
		for i := range k.src.Rows {
			var mask []uint8
			if r.masked {
				mask = k.src.Mask[i*in:]
			}
			if err := r.file.add(mask, k.res.Output[i*in:], k.src.Floats[i*in:]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && r.file != nil {
		r.order, err = p.order(p.Split, r.file.n)
	}
	if err != nil {
		r.Close()
		return nil, err
	}
	r.d.Rows, r.d.Classes = len(r.order), classes
	if labels != nil {
		r.d.Labels = make([]int, len(r.order))
		for i, k := range r.order {
			r.d.Labels[i] = labels[k]
		}
	}
	return r, nil
}
