package main

import (
	"context"
	"fmt"
	"log"

	_ "github.com/wgml/wgml/cpu" // registers "cpu"; import wgml/gpu for "gpu"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

func main() {
	train, test, err := data.Open("mnist", data.OpenOptions{})
	if err != nil {
		log.Fatal(err)
	}
	b, err := nn.Open("cpu")
	if err != nil {
		log.Fatal(err)
	}
	defer b.Release()
	cfg := nn.Config{Kind: nn.KindAE, Layers: []int{784, 256, 64, 16},
		HiddenAct: nn.ReLU, LatentAct: nn.Identity, OutputAct: nn.Sigmoid, Loss: nn.LossMSE, Init: "torch"}
	m, err := nn.NewModel(b, cfg, 1)
	if err != nil {
		log.Fatal(err)
	}
	src := func(d *data.Dataset) nn.Source { return nn.Source{Rows: d.Rows, Cols: d.Cols, Bytes: d.Bytes} }
	testSrc := src(test)
	opt := nn.DefaultTrainOptions() // 10 epochs, batch 128, Adam lr 1e-3, seed 1
	t, err := nn.NewTrainer(b, m, src(train), &testSrc, opt)
	if err != nil {
		log.Fatal(err)
	}
	err = t.Run(context.Background(), nn.Hooks{EpochEnd: func(st nn.EpochStats) error {
		fmt.Printf("epoch %d test loss %.2f\n", st.Epoch, st.TestLoss)
		return nil
	}})
	if err != nil {
		log.Fatal(err)
	}
	res, err := m.Run(b, testSrc, 500, nn.Want{Latent: true, Losses: true}) // codes and per-row scores
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(res.Latent)/cfg.Latent(), "codes")
}
