package nn_test

import (
	"math/bits"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/nn"
)

// TestRunKeepsFewWorkspaces: Run over every row count from 1 to 3 batches
// (a stream's chunks, a server's requests) keeps at most log2(batch)+2
// inference workspaces, and each row's loss equals its loss run alone.
func TestRunKeepsFewWorkspaces(t *testing.T) {
	b := cpu.New()
	cfg := nn.Config{Kind: nn.KindAE, Layers: []int{5, 4, 2}, HiddenAct: nn.ReLU, OutputAct: nn.Identity, Loss: nn.LossMSE, Beta: 1, Init: "torch"}
	m, err := nn.NewModel(b, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	const batch = 12
	x := make([]float32, 3*batch*5)
	for i := range x {
		x[i] = float32(i%7) / 7
	}
	alone := make([]float32, 3*batch)
	for i := range alone {
		res, err := m.Run(b, nn.Source{Rows: 1, Cols: 5, Floats: x[i*5 : (i+1)*5]}, batch, nn.Want{Losses: true})
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = res.Recon[0]
	}
	for rows := 1; rows <= 3*batch; rows++ {
		res, err := m.Run(b, nn.Source{Rows: rows, Cols: 5, Floats: x[:rows*5]}, batch, nn.Want{Losses: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range res.Recon {
			if v != alone[i] {
				t.Fatalf("%d rows: row %d's loss %v, alone %v", rows, i, v, alone[i])
			}
		}
	}
	if n, most := m.InferWorkspacesForTest(), bits.Len(batch)+2; n > most {
		t.Errorf("%d inference workspaces after every row count up to %d, want at most %d", n, 3*batch, most)
	}
}
