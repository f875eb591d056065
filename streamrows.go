package wgml

import (
	"strconv"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// scoreRows writes ScoreStream's rows: a ScoreRow per row of the m.ScoreKind
// scores, flagged above m.Threshold.
func (m *Model) scoreRows() rowWriter {
	records := func(t *csvBuf, at int, d *data.Dataset, res *nn.Results) {
		scores := nn.RowScores(res, m.ScoreKind)
		flags, _ := Outliers(scores, m.Threshold)
		var rec []string
		for i, s := range scores {
			row := ScoreRow{Index: at + i, Score: s, Outlier: flags[i], Probability: m.Scaler.Probability(s)}
			if row.HasLabel = d.Labels != nil; row.HasLabel {
				row.Label = LabelName(d.Labels[i], d.Classes)
			}
			rec = row.Append(rec[:0])
			t.record(rec...)
		}
	}
	return rowWriter{want: nn.Want{Losses: true}, records: records,
		header: func(labels bool) []string { return ScoreHeader(labels) }}
}

// latentRows writes EncodeStream's rows: each row's index (its place in
// the file), its latent code, and its label with withLabels.
func (m *Model) latentRows(withLabels bool) rowWriter {
	L := m.Net.Config.Latent()
	records := func(t *csvBuf, at int, d *data.Dataset, res *nn.Results) {
		for i := range d.Rows {
			t.next()
			t.b = strconv.AppendInt(t.b, int64(at+i), 10)
			for _, v := range res.Latent[i*L : (i+1)*L] {
				t.next()
				t.b = appendF32(t.b, v)
			}
			if withLabels && d.Labels != nil {
				t.text(LabelName(d.Labels[i], d.Classes))
			}
			t.end()
		}
	}
	return rowWriter{want: nn.Want{Latent: true}, records: records,
		header: func(labels bool) []string { return LatentHeader(L, withLabels && labels) }}
}

// denoisedRows writes DenoiseStream's rows: each row's index (its place
// in the file), its reconstruction in the table's columns (decodeRow),
// and its label.
func (m *Model) denoisedRows() rowWriter {
	in := m.Net.Config.Input()
	num := func(t *csvBuf) func(float32) {
		return func(v float32) { t.next(); t.b = data.AppendValue(t.b, v) }
	}
	records := func(t *csvBuf, at int, d *data.Dataset, res *nn.Results) {
		num, text := num(t), t.text
		for i := range d.Rows {
			t.next()
			t.b = strconv.AppendInt(t.b, int64(at+i), 10)
			row := res.Output[i*in : (i+1)*in]
			m.Norm.Invert(row)
			m.Schema.DecodeTo(row, num, text)
			if d.Labels != nil {
				t.text(LabelName(d.Labels[i], d.Classes))
			}
			t.end()
		}
	}
	header := func(labels bool) []string { return m.DenoisedHeader(m.Schema.Names(), labels) }
	return rowWriter{want: nn.Want{Output: true}, records: records, header: header}
}

// DenoisedHeader is the header of a de-noised table's CSV (wgml denoise,
// DenoiseStream): index (the row's place in the rows de-noised), the
// table's columns, then LabelColumn where labels.
func (m *Model) DenoisedHeader(columns []string, labels bool) []string {
	h := append([]string{"index"}, columns...)
	if labels {
		h = append(h, m.LabelColumn())
	}
	return h
}

// LatentHeader is the header of a latent codes CSV (wgml encode,
// EncodeStream): index (the row's place in the rows encoded), z0 …
// z(latent-1), then label where labels.
func LatentHeader(latent int, labels bool) []string {
	h := make([]string, latent+1, latent+2)
	h[0] = "index"
	for j := range latent {
		h[j+1] = "z" + strconv.Itoa(j)
	}
	if labels {
		h = append(h, "label")
	}
	return h
}

// AppendLatent appends a latent code's values to rec (FormatF32).
func AppendLatent(rec []string, z []float32) []string {
	for _, v := range z {
		rec = append(rec, FormatF32(v))
	}
	return rec
}

// LabelColumn is the header of the label column in the de-noised rows of
// a table (DenoiseStream, wgml denoise): the training label column's name,
// or "label" where it was given by its index.
func (m *Model) LabelColumn() string {
	name := m.card.Data.Open.CSV.LabelCol
	if _, err := strconv.Atoi(name); err == nil || name == "" {
		return "label"
	}
	return name
}

// decodeRow turns a reconstruction in the model's units into a table's
// original columns as text: the normaliser inverted in place, then
// data.Schema.Decode (a numeric column's value in data units, a
// categorical column's most likely category).
func (m *Model) decodeRow(row []float32) []string {
	m.Norm.Invert(row)
	return m.Schema.Decode(row)
}
