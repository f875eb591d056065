// Command npygen writes a synthetic float32 table as a .npy file of any
// size, one row in memory at a time, for the large-data measurements
// (scripts/largedata.sh): row i is x = W·z + 0.1·ε with z (4 values) and ε
// (cols values) standard normal from a PCG seeded by (seed, i), and W a
// fixed cols×4 matrix drawn from seed: a table an autoencoder with a latent
// of 4 can learn.
//
//	go run ./scripts/npygen -rows 2500000 -cols 32 -out big.npy
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/wgml/wgml/data"
)

func main() {
	rows := flag.Int("rows", 100000, "rows to write")
	cols := flag.Int("cols", 32, "values per row")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "the .npy file to write")
	flag.Parse()
	if *out == "" || *rows <= 0 || *cols <= 0 {
		fmt.Fprintln(os.Stderr, "npygen: want -out FILE and positive -rows and -cols")
		os.Exit(2)
	}
	const latent = 4
	rng := rand.New(rand.NewPCG(*seed, 0))
	w := make([]float32, *cols*latent)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	z := make([]float32, latent)
	err := data.WriteNPY(*out, *rows, *cols, func(i int, dst []float32) {
		r := rand.New(rand.NewPCG(*seed, uint64(i)+1))
		for k := range z {
			z[k] = float32(r.NormFloat64())
		}
		for j := range dst {
			v := 0.1 * float32(r.NormFloat64())
			for k, zk := range z {
				v += w[j*latent+k] * zk
			}
			dst[j] = v
		}
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "npygen:", err)
		os.Exit(1)
	}
}
