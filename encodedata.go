package wgml

import (
	"io"
	"strconv"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// EncodeData returns the latent codes (a VAE's mean) of the rows of p,
// the rows ReadSplit reads, in their order: a data set of Latent values a
// row, named, labelled and classed as those rows (what the latent CSV and
// WriteLatentScatter take). The readers' warnings go to warn (nil:
// dropped). A file that streams (streamsPart: a CSV or Parquet table of
// a model trained on a table, a .npy array of floats) is read chunk by
// chunk (codeRows), keeping of each row its code in a temporary file and
// its label in memory; the rows data.Open's split takes (Part.order) then
// have their codes read back: the same codes, bit for bit, in the same
// order.
func (m *Model) EncodeData(p Part, warn io.Writer) (*data.Dataset, error) {
	if streamsPart(p) {
		return p.read(p.Split, m.codeRows, warn)
	}
	rows, _, err := m.readPart(p, warn)
	if err != nil {
		return nil, err
	}
	src, err := m.source(rows)
	if err != nil {
		return nil, err
	}
	res, err := m.Net.Run(m.Backend, src, m.Batch, nn.Want{Latent: true})
	if err != nil {
		return nil, err
	}
	return &data.Dataset{Name: rows.Name, Rows: rows.Rows, Cols: m.Net.Config.Latent(), Floats: res.Latent, Labels: rows.Labels, Classes: rows.Classes}, nil
}

// WriteLatentCSV writes latent codes (EncodeData) to path, atomically:
// LatentHeader, then per row its index (its place in the rows), its code
// (FormatF32) and, with labels where the rows have them, its label.
func WriteLatentCSV(path string, codes *data.Dataset, labels bool) error {
	L, labelled := codes.Cols, labels && codes.Labels != nil
	return WriteCSV(path, LatentHeader(L, labelled), codes.Rows, func(i int, rec []string) []string {
		rec = AppendLatent(append(rec, strconv.Itoa(i)), codes.Floats[i*L:(i+1)*L])
		if labelled {
			rec = append(rec, LabelName(codes.Labels[i], codes.Classes))
		}
		return rec
	})
}
