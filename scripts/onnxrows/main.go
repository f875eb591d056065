// Command onnxrows writes what scripts/onnx-check.sh feeds an ONNX runtime
// and compares with: the rows `wgml score` scores for a checkpoint (its
// data's test split, else its training rows) as the exported graph takes
// them (raw model columns in data units, NaN where a value is missing), and
// their reconstructions in data units as the wgml package computes them
// (Model.Denoise), as little-endian float32 files, with meta.json.
//
//	go run ./scripts/onnxrows --model runs/bc/model.safetensors --out runs/bc/onnx-rows
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/wgml/wgml"
	"github.com/wgml/wgml/card"
	"github.com/wgml/wgml/data"
	"github.com/wgml/wgml/nn"
)

func main() {
	ckpt := flag.String("model", "", "checkpoint written by wgml train")
	out := flag.String("out", "", "folder to write input.f32, reconstruction.f32 and meta.json to")
	flag.Parse()
	if err := run(*ckpt, *out); err != nil {
		fmt.Fprintln(os.Stderr, "onnxrows:", err)
		os.Exit(1)
	}
}

func run(ckpt, out string) error {
	d, err := scoredRows(ckpt)
	if err != nil {
		return err
	}
	m, err := wgml.Load(ckpt, nil)
	if err != nil {
		return err
	}
	rows := make([][]float64, d.Rows)
	input := make([]float32, d.Rows*d.Cols)
	for i := range rows {
		row := input[i*d.Cols : (i+1)*d.Cols]
		d.Row(i, row) // missing values imputed, as the model sees them
		rows[i] = make([]float64, d.Cols)
		for j, v := range row {
			rows[i][j] = float64(v)
			if d.Mask != nil && d.Mask[i*d.Cols+j] == 0 {
				row[j] = float32(math.NaN())
			}
		}
	}
	recon, err := m.Denoise(rows)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeF32(filepath.Join(out, "input.f32"), input); err != nil {
		return err
	}
	var flat []float32
	for _, r := range recon {
		for _, v := range r {
			flat = append(flat, float32(v))
		}
	}
	if err := writeF32(filepath.Join(out, "reconstruction.f32"), flat); err != nil {
		return err
	}
	meta, err := json.Marshal(map[string]any{"rows": d.Rows, "cols": d.Cols, "latent": m.Net.Config.Latent(), "kind": m.Net.Config.Kind, "score": m.ScoreKind})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "meta.json"), meta, 0o644)
}

// scoredRows opens the checkpoint's data as wgml score does by default and
// returns the test split, or the training rows where there is none.
func scoredRows(ckpt string) (*data.Dataset, error) {
	ck, err := nn.LoadCheckpoint(ckpt)
	if err != nil {
		return nil, err
	}
	c, err := card.Read(ck, ckpt)
	if err != nil {
		return nil, err
	}
	open := c.Data.OpenOptions()
	if open.Image.Width == 0 && c.Data.Width > 0 {
		open.Image.Width, open.Image.Height = c.Data.Width, c.Data.Height
	}
	train, test, err := data.Open(c.Data.Spec, open)
	if err != nil {
		return nil, err
	}
	if test != nil {
		return test, nil
	}
	return train, nil
}

func writeF32(path string, v []float32) error {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return os.WriteFile(path, b, 0o644)
}
