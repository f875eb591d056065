package onnx

import (
	"encoding/binary"
	"math"
	"strconv"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
)

// graph accumulates the nodes and constant tensors (initializers) of one
// ONNX graph. Every value gets a fresh name from name.
type graph struct {
	nodes []*pb.NodeProto
	inits []*pb.TensorProto
	next  int
}

// name returns a fresh value name with the given prefix.
func (g *graph) name(prefix string) string {
	g.next++
	return prefix + "_" + strconv.Itoa(g.next)
}

// attr is one node attribute: an int or a list of ints.
type attr struct {
	name string
	i    *int64
	ints []int64
}

func intAttr(name string, v int64) attr     { return attr{name: name, i: &v} }
func intsAttr(name string, v ...int64) attr { return attr{name: name, ints: v} }

// op adds a node of type typ reading inputs and returns its one output,
// named out, or a fresh name when out is "".
func (g *graph) op(typ, out string, inputs []string, attrs ...attr) string {
	if out == "" {
		out = g.name(typ)
	}
	n := &pb.NodeProto{OpType: typ, Name: g.name("n_" + typ), Input: inputs, Output: []string{out}}
	for _, a := range attrs {
		ap := &pb.AttributeProto{Name: a.name}
		if a.i != nil {
			ap.Type, ap.I = pb.AttributeProto_INT, *a.i
		} else {
			ap.Type, ap.Ints = pb.AttributeProto_INTS, a.ints
		}
		n.Attribute = append(n.Attribute, ap)
	}
	g.nodes = append(g.nodes, n)
	return out
}

// floats adds a float32 constant of shape dims (row-major values; no dims:
// a scalar) and returns its name.
func (g *graph) floats(prefix string, v []float32, dims ...int64) string {
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	name := g.name(prefix)
	g.inits = append(g.inits, &pb.TensorProto{Name: name, DataType: int32(pb.TensorProto_FLOAT), Dims: dims, RawData: raw})
	return name
}

// scalar adds a float32 constant of shape (1), which broadcasts.
func (g *graph) scalar(v float32) string { return g.floats("c", []float32{v}, 1) }

// ints adds an int64 constant of shape (len(v)) and returns its name.
func (g *graph) ints(prefix string, v ...int64) string {
	raw := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(x))
	}
	name := g.name(prefix)
	g.inits = append(g.inits, &pb.TensorProto{Name: name, DataType: int32(pb.TensorProto_INT64), Dims: []int64{int64(len(v))}, RawData: raw})
	return name
}

// rowSum returns Σ_j x[i,j] over the width columns of x (B,width) as
// (B,1): a MatMul by a column of ones, which every runtime has (pure-Go
// ones included), rather than ReduceSum.
func (g *graph) rowSum(x string, width int) string {
	ones := make([]float32, width)
	for i := range ones {
		ones[i] = 1
	}
	return g.op("MatMul", "", []string{x, g.floats("ones", ones, int64(width), 1)})
}

// slice returns columns [from, to) of x (B,·).
func (g *graph) slice(x string, from, to int) string {
	return g.op("Slice", "", []string{x, g.ints("starts", int64(from)), g.ints("ends", int64(to)), g.ints("axes", 1)})
}

// tensorValue describes a float32 graph input or output of shape
// (batch, dims...), the batch dimension named "batch".
func tensorValue(name string, dims ...int64) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{Dim: []*pb.TensorShapeProto_Dimension{{Value: &pb.TensorShapeProto_Dimension_DimParam{DimParam: "batch"}}}}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	tt := &pb.TypeProto_Tensor{ElemType: int32(pb.TensorProto_FLOAT), Shape: shape}
	return &pb.ValueInfoProto{Name: name, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{TensorType: tt}}}
}
