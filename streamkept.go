package wgml

import (
	"io"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// keptRows streams every row of spec (read by open, eachRows) through the
// model for want and keeps of each row only the cols values keep appends
// for a chunk's results (row by row), and its label: a data set named
// spec of those values, labelled as ReadSplit labels the whole file,
// whose Subset, Limit and ThresholdRows take its rows as they take a
// table's. It holds 4·cols bytes a row (and 12 more with labels), and one
// chunk of the file at a time; spooled, the values go to a temporary file
// instead (keptSet.subset reads them back).
func (m *Model) keptRows(spec string, open data.OpenOptions, warn io.Writer, want nn.Want, cols int, spool bool, keep func(dst []float32, res *nn.Results) []float32) (*keptSet, error) {
	k := &keptSet{d: &data.Dataset{Name: spec, Cols: cols}}
	d := k.d
	var err error
	if spool {
		if k.file, err = newRowFile(0, cols); err != nil {
			return nil, err
		}
	}
	var buf []float32
	d.Labels, d.Classes, err = m.eachRows(spec, open, warn, want, func(c *chunkRun) error {
		d.Rows += c.c.Rows
		if k.file == nil {
			d.Floats = keep(d.Floats, c.res)
			return nil
		}
		buf = keep(buf[:0], c.res)
		return k.spool(buf)
	})
	if err != nil {
		k.close()
		return nil, err
	}
	return k, nil
}

// keptSet is what keptRows keeps of a file's rows: their values and
// labels in d, or, spooled, their labels in d and their values in file.
type keptSet struct {
	d    *data.Dataset
	file *rowFile
}

// spool appends rows of values (d.Cols each) to the file.
func (k *keptSet) spool(rows []float32) error {
	for i := 0; i < len(rows); i += k.d.Cols {
		if err := k.file.add(nil, rows[i:]); err != nil {
			return err
		}
	}
	return nil
}

// subset returns the rows idx, in order, with their values in memory
// (data.Dataset.Subset).
func (k *keptSet) subset(idx []int) (*data.Dataset, error) {
	if k.file == nil {
		return k.d.Subset(idx), nil
	}
	cols := k.d.Cols
	s := &data.Dataset{Name: k.d.Name, Rows: len(idx), Cols: cols, Floats: make([]float32, len(idx)*cols), Classes: k.d.Classes}
	if k.d.Labels != nil {
		s.Labels = make([]int, len(idx))
	}
	for j, i := range idx {
		if err := k.file.get(i, nil, s.Floats[j*cols:]); err != nil {
			return nil, err
		}
		if s.Labels != nil {
			s.Labels[j] = k.d.Labels[i]
		}
	}
	return s, nil
}

// close removes a spooled set's file.
func (k *keptSet) close() {
	if k.file != nil {
		k.file.Close()
	}
}

// lossRows are the rows of spec kept in memory by their losses
// (keptRows): Recon and, for a VAE, KL, a float32 each.
func (m *Model) lossRows(spec string, open data.OpenOptions, warn io.Writer) (*keptSet, error) {
	vae := m.Net.Config.Kind == nn.KindVAE
	cols := 1
	if vae {
		cols = 2
	}
	return m.keptRows(spec, open, warn, nn.Want{Losses: true}, cols, false, func(dst []float32, res *nn.Results) []float32 {
		for i, rec := range res.Recon {
			dst = append(dst, rec)
			if vae {
				dst = append(dst, res.KL[i])
			}
		}
		return dst
	})
}

// codeRows are the rows of spec kept by their latent codes (keptRows): a
// VAE's mean, Latent values a row, spooled to a file.
func (m *Model) codeRows(spec string, open data.OpenOptions, warn io.Writer) (*keptSet, error) {
	return m.keptRows(spec, open, warn, nn.Want{Latent: true}, m.Net.Config.Latent(), true, func(dst []float32, res *nn.Results) []float32 {
		return append(dst, res.Latent...)
	})
}

// lossScores are the kind scores (nn.RowScores) of a loss set (lossRows).
func lossScores(d *data.Dataset, kind string) []float64 {
	res := &nn.Results{Recon: make([]float32, d.Rows)}
	if d.Cols == 2 {
		res.KL = make([]float32, d.Rows)
	}
	for i := range d.Rows {
		res.Recon[i] = d.Floats[i*d.Cols]
		if d.Cols == 2 {
			res.KL[i] = d.Floats[i*d.Cols+1]
		}
	}
	return nn.RowScores(res, kind)
}
