// Package onnx writes a trained wgml model as an ONNX model (opset 13) that
// any ONNX runtime runs: raw rows in, the model's reconstruction, latent
// code and outlier score out, computed as the wgml package and the wgml
// command compute them.
//
// The graph, for input x (batch, In) in data units (pixels in [0,1]; a
// table's model columns, a categorical column one-hot):
//
//	x  = Where(x == x, x, means)        a table read with --missing mean|mask: NaN is a missing value
//	xn = (x - Offset)·Scale             the normaliser (none: xn = x)
//	h  = act(Gemm(h, W, b, transB=1))   each encoder layer; a VAE's mu and logvar heads
//	latent = h (AE) or mu (VAE)         z = mu: no sampling
//	y  = the decoder's layers on z      logits for a BCE model, then sigmoid
//	reconstruction = y/Scale + Offset   data units (images clipped to [0,1])
//	score = recon (+ KL for elbo)       per row, as nn's losses:
//	  mse   Σ_j (y_j - xn_j)²
//	  bce   Σ_j max(z,0) - z·xn + log(1+exp(-|z|))   (z the logits)
//	  table (F/P)·Σ_f m_f·e_f  (nn.TableLayout's formula, m the presence mask)
//	  KL    -½ Σ_j (1 + logvar - mu² - exp(logvar))
//
// Row sums are MatMuls by a column of ones. LeakyReLU is PRelu with a
// constant slope. Outputs: reconstruction (batch, In), latent (batch, L),
// score (batch); a VAE adds score_recon and score_elbo.
package onnx

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"google.golang.org/protobuf/proto"

	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// Opset is the ONNX operator set the graph uses (IR version 7).
const Opset = 13

// Names of the graph's input and outputs.
const (
	Input          = "input"
	Reconstruction = "reconstruction"
	Latent         = "latent"
	Score          = "score"
	ScoreRecon     = "score_recon" // VAE only
	ScoreELBO      = "score_elbo"  // VAE only
)

// Spec is what Export writes: a model's network with its parameters on a
// backend, and what its checkpoint card says about its data.
type Spec struct {
	Net     *nn.Model
	Backend nn.Backend
	Norm    data.Normalizer
	// Schema is a table's columns (nil for other data); with Missing mean
	// or mask its training means replace NaN inputs, and under mask with
	// the table loss a NaN feature is left out of the score.
	Schema  *data.Schema
	Missing string
	// Images: the rows are pixels in [0,1]; reconstructions are clipped.
	Images bool
	// Score is the kind the score output gives: card.ScoreRecon or
	// nn.ScoreELBO.
	Score string
	// Threshold flags a row whose score is above it (±Inf or NaN: none
	// fitted); Columns name the input's columns (nil: unnamed). Both are
	// stored as metadata (wgml.threshold, wgml.columns) beside wgml.score.
	Threshold float64
	Columns   []string
}

// Export writes s as a serialised ONNX ModelProto to w.
func Export(w io.Writer, s Spec) error {
	mp, err := Build(s)
	if err != nil {
		return err
	}
	b, err := proto.Marshal(mp)
	if err != nil {
		return fmt.Errorf("onnx: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// Build returns the ONNX model of s, or an error naming what of s cannot be
// exported.
func Build(s Spec) (*pb.ModelProto, error) {
	c := &s.Net.Config
	if err := nn.CheckScore(s.Score, *c); err != nil {
		return nil, fmt.Errorf("onnx export: %w", err)
	}
	g := &graph{}
	x, mask, err := g.impute(s)
	if err != nil {
		return nil, err
	}
	xn := g.normalize(s.Norm, x, c.Input())
	lat, kl, err := g.encode(s, xn)
	if err != nil {
		return nil, err
	}
	y, err := g.mlp(s.Backend, s.Net.Dec, lat)
	if err != nil {
		return nil, err
	}
	recon, err := g.reconLoss(c, y, xn, mask)
	if err != nil {
		return nil, err
	}
	outs := g.outputs(s, y, lat, recon, kl)
	gp := &pb.GraphProto{Name: "wgml_" + c.Kind, Node: g.nodes, Initializer: g.inits,
		Input: []*pb.ValueInfoProto{tensorValue(Input, int64(c.Input()))}, Output: outs}
	return &pb.ModelProto{IrVersion: 7, ProducerName: "wgml", Graph: gp, MetadataProps: s.metadata(),
		OpsetImport: []*pb.OperatorSetIdProto{{Domain: "", Version: Opset}}}, nil
}

// metadata returns the model's metadata_props: the score kind, the
// threshold where one was fitted and the input's column names where known.
func (s Spec) metadata() []*pb.StringStringEntryProto {
	props := []*pb.StringStringEntryProto{{Key: "wgml.score", Value: s.Score}}
	if !math.IsInf(s.Threshold, 0) && !math.IsNaN(s.Threshold) {
		props = append(props, &pb.StringStringEntryProto{Key: "wgml.threshold", Value: strconv.FormatFloat(s.Threshold, 'g', -1, 64)})
	}
	if s.Columns != nil {
		props = append(props, &pb.StringStringEntryProto{Key: "wgml.columns", Value: strings.Join(s.Columns, ",")})
	}
	return props
}

// outputs names the graph's outputs: the reconstruction in data units, the
// latent code and the scores, recon and kl being (B,1) row losses (kl ""
// for an AE).
func (g *graph) outputs(s Spec, y, lat, recon, kl string) []*pb.ValueInfoProto {
	c := &s.Net.Config
	if c.Loss == nn.LossBCE {
		y = g.op("Sigmoid", "", []string{y})
	}
	if s.Images && c.OutputAct != nn.Sigmoid {
		y = g.op("Clip", "", []string{y, g.floats("lo", []float32{0}), g.floats("hi", []float32{1})}) // scalar bounds
	}
	g.invert(s.Norm, y, c.Input())
	g.op("Identity", Latent, []string{lat})
	out := []*pb.ValueInfoProto{tensorValue(Reconstruction, int64(c.Input())), tensorValue(Latent, int64(c.Latent())), tensorValue(Score)}
	flat := g.ints("flat", -1)
	recon = g.op("Reshape", "", []string{recon, flat})
	if kl == "" {
		g.op("Identity", Score, []string{recon})
		return out
	}
	elbo := g.op("Add", ScoreELBO, []string{recon, g.op("Reshape", "", []string{kl, flat})})
	g.op("Identity", ScoreRecon, []string{recon})
	pick := recon
	if s.Score == nn.ScoreELBO {
		pick = elbo
	}
	g.op("Identity", Score, []string{pick})
	return append(out, tensorValue(ScoreRecon), tensorValue(ScoreELBO))
}

// normalize returns (x - Offset)·Scale, or x for the "none" normaliser.
func (g *graph) normalize(n data.Normalizer, x string, width int) string {
	if n.Kind == "none" || n.Kind == "" {
		return x
	}
	off := g.floats("offset", n.Offset, int64(width))
	return g.op("Mul", "", []string{g.op("Sub", "", []string{x, off}), g.floats("scale", n.Scale, int64(width))})
}

// invert writes the Reconstruction output: y/Scale + Offset (Normalizer.Invert).
func (g *graph) invert(n data.Normalizer, y string, width int) {
	if n.Kind == "none" || n.Kind == "" {
		g.op("Identity", Reconstruction, []string{y})
		return
	}
	d := g.op("Div", "", []string{y, g.floats("scale", n.Scale, int64(width))})
	g.op("Add", Reconstruction, []string{d, g.floats("offset", n.Offset, int64(width))})
}

// impute returns the input with each NaN replaced by its column's training
// mean when a table was read with --missing mean or mask, and under mask
// with the table loss the presence mask (1 present, 0 missing) as floats;
// otherwise the input and "".
func (g *graph) impute(s Spec) (x, mask string, err error) {
	if s.Schema == nil || (s.Missing != data.MissingMean && s.Missing != data.MissingMask) {
		return Input, "", nil
	}
	var means []float32
	for _, col := range s.Schema.Columns {
		for _, m := range col.Means {
			means = append(means, float32(m))
		}
	}
	if len(means) != s.Net.Config.Input() {
		return "", "", fmt.Errorf("onnx export: the schema's means cover %d columns, the model has %d", len(means), s.Net.Config.Input())
	}
	present := g.op("Equal", "", []string{Input, Input}) // false only for NaN
	x = g.op("Where", "", []string{present, Input, g.floats("means", means, int64(len(means)))})
	if s.Missing == data.MissingMask && s.Net.Config.Loss == nn.LossTable {
		mask = g.op("Cast", "", []string{present}, intAttr("to", int64(pb.TensorProto_FLOAT)))
	}
	return x, mask, nil
}
