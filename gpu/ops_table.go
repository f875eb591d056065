package gpu

import (
	"fmt"

	"github.com/wgml/wgml/nn"
	"github.com/wgml/wgml/shaders"
)

// TableLoss computes the table reconstruction loss of nn.TableLayout's doc
// and, when grad is not nil, grad = gradScale·∂rowLoss/∂pred, in one
// kernel with one workgroup per row.
// pred, target, mask are (B,N) (mask nil: all present), layout is an index
// tensor of N entries, rowLoss is (B,1), grad is (B,N).
func (b *Backend) TableLoss(rowLoss, grad, pred, target, mask, layout nn.Tensor, gradScale float32) {
	p, lay := b.tensor(pred), b.tensor(layout)
	rows, cols := p.rows, p.cols
	ts := []*Tensor{p, b.tensor(target), b.tensor(mask), lay, b.tensor(rowLoss), b.tensor(grad)}
	for i, t := range ts {
		want := cols // pred, target, mask, grad
		switch {
		case t == nil || i == 3: // absent, or the layout (checked below)
			continue
		case i == 4: // rowLoss
			want = 1
		}
		if t.rows != rows || t.cols != want {
			panic(fmt.Sprintf("gpu: TableLoss: tensor %d is (%d,%d), want (%d,%d)", i, t.rows, t.cols, rows, want))
		}
	}
	if lay.dtype != int32s || nn.Len(lay) != cols {
		panic(fmt.Sprintf("gpu: TableLoss: layout of %d entries for %d columns", nn.Len(lay), cols))
	}
	hasMask := uint32(0)
	if mask != nil {
		hasMask = 1
	}
	dyn, st := pack(tableParams{Rows: uint32(rows), Cols: uint32(cols), GradScale: gradScale, HasMask: hasMask})
	b.run(kernel{kTableLoss, shaders.Variant{HasGrad: grad != nil}}, b.groups1D(rows), dyn, st, ts...)
}
