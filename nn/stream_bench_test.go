package nn_test

import (
	"path/filepath"
	"testing"

	"github.com/wgml/wgml/cpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

// BenchmarkTrainStream trains an AE 32-16-4 at batch 1024 on the cpu
// backend over 524288 z-scored rows, resident and streamed from a .npy
// (chunks of 65536 rows, a shuffle buffer of 4: eight upload blocks an
// epoch): the streamed cost over the resident one is the host's work per
// row (read, convert, normalise, shuffle, copy) that double buffering does
// not hide. One op is one step; samples/s is reported.
func BenchmarkTrainStream(b *testing.B) {
	const rows, cols, batch = 524288, 32, 1024
	path := filepath.Join(b.TempDir(), "train.npy")
	val := func(i, j int) float32 { return float32((i*7+j*13)%101) * 0.37 }
	if err := data.WriteNPY(path, rows, cols, func(i int, dst []float32) {
		for j := range dst {
			dst[j] = val(i, j)
		}
	}); err != nil {
		b.Fatal(err)
	}
	norm := data.Normalizer{Kind: "zscore", Offset: make([]float32, cols), Scale: make([]float32, cols)}
	for j := range cols {
		norm.Offset[j], norm.Scale[j] = 18.5, 1/10.7
	}
	floats := make([]float32, rows*cols)
	for i := range rows {
		for j := range cols {
			floats[i*cols+j] = float32((float64(val(i, j)) - float64(norm.Offset[j])) * float64(norm.Scale[j]))
		}
	}
	cfg := nn.Config{Kind: nn.KindAE, Layers: []int{cols, 16, 4}, HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Identity, Loss: nn.LossMSE, Init: "torch"}
	run := func(b *testing.B, src nn.Source) {
		be := cpu.New()
		m, err := nn.NewModel(be, cfg, 1)
		if err != nil {
			b.Fatal(err)
		}
		tr, err := nn.NewTrainer(be, m, src, nil, nn.TrainOptions{Epochs: 1 << 20, Batch: batch, Adam: nn.DefaultAdam, Seed: 2, Stream: nn.StreamOptions{Chunk: 65536, Window: 4}})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		if err := tr.RunSteps(b.N); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "samples/s")
	}
	b.Run("ae32-16-4_b1024/resident", func(b *testing.B) {
		run(b, nn.Source{Rows: rows, Cols: cols, Floats: floats})
	})
	b.Run("ae32-16-4_b1024/stream", func(b *testing.B) {
		s, err := data.OpenNPYStream(path)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		s.Normalize = norm
		run(b, nn.Source{Rows: rows, Cols: cols, Stream: s})
	})
}
