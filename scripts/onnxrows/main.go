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
	m, err := wgml.Load(ckpt, nil)
	if err != nil {
		return err
	}
	d, err := m.TestRows("")
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

func writeF32(path string, v []float32) error {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return os.WriteFile(path, b, 0o644)
}
