package wgml

import (
	"io"

	"github.com/wgml/wgml/onnx"
)

// ExportONNX writes m as an ONNX model (opset 13, see package onnx) to w:
// raw rows in (data units; a table's one-hot model columns, NaN for a
// missing value where the table was read with --missing mean or mask), the
// reconstruction in data units, the latent code and the row score of
// m.ScoreKind out, as Denoise, Encode and Score compute them; Threshold and
// the column names go in its metadata. Nothing is written when m cannot be
// exported.
func (m *Model) ExportONNX(w io.Writer) error {
	s := onnx.Spec{Net: m.Net, Backend: m.Backend, Norm: m.Norm, Schema: m.Schema, Images: m.Images, Score: m.ScoreKind, Threshold: m.Threshold}
	s.Missing, s.Columns = m.card.Data.Open.CSV.Missing, m.card.Data.Columns
	return onnx.Export(w, s)
}
