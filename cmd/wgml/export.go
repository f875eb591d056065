package main

import (
	"fmt"
	"io"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/internal/atomicfile"
	"github.com/wgml/wgml/onnx"
)

func cmdExport(args []string, out, errOut io.Writer) error {
	fs := newFlags("export", "export --model CKPT [--format onnx] [--out model.onnx]", out, errOut)
	ckpt := fs.String("model", "runs/ae-mnist/model.safetensors", "checkpoint written by wgml train")
	format := fs.String("format", "onnx", "model format: onnx (opset 13; raw rows in; reconstruction, latent and the checkpoint's score out, a VAE's score_recon and score_elbo too)")
	outPath := fs.String("out", "", "file to write (default: model.onnx beside the checkpoint)")
	backend := addBackendFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "onnx" {
		return usagef("format %q: want onnx", *format)
	}
	*outPath = lib.Beside(*outPath, *ckpt, "model.onnx")
	if err := lib.CheckOutputs(*outPath); err != nil {
		return err
	}
	b, err := openBackend(*backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	m, err := lib.Load(*ckpt, b)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*outPath, m.ExportONNX); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s (ONNX opset %d, %s score, input width %d, latent %d)\n", *outPath, onnx.Opset, m.ScoreKind, m.Net.Config.Input(), m.Net.Config.Latent())
	return nil
}
