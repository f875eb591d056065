// Command largedata makes and reads the large-table benchmark files of
// bench/large-data.sh:
//
//	largedata gen ROWS COLS OUT.csv OUT.npy   a deterministic table of floats (seed 1)
//	largedata read FILE                       read FILE with data.Open's reader, print rows/s
//
// The table's values are normal draws printed with 6 decimals (about 8.5
// bytes a field, as the 326 MB for 1.2M×32); the .npy holds the
// same values as '<f4'.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/wgml/wgml/data"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "largedata:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 5 && args[0] == "gen":
		rows, err1 := strconv.Atoi(args[1])
		cols, err2 := strconv.Atoi(args[2])
		if err1 != nil || err2 != nil || rows <= 0 || cols <= 0 {
			return fmt.Errorf("gen %s %s: want positive ROWS COLS", args[1], args[2])
		}
		return gen(rows, cols, args[3], args[4])
	case len(args) == 2 && args[0] == "read":
		start := time.Now()
		d, err := data.ReadFile(args[1], data.OpenOptions{})
		if err != nil {
			return err
		}
		s := time.Since(start).Seconds()
		fmt.Printf("read %s: %d rows x %d cols in %.3f s: %.0f rows/s\n", args[1], d.Rows, d.Cols, s, float64(d.Rows)/s)
		return nil
	}
	return fmt.Errorf("usage: largedata gen ROWS COLS OUT.csv OUT.npy | largedata read FILE")
}

// gen writes the table as CSV (with a header f0,f1,…) and as .npy.
func gen(rows, cols int, csvPath, npyPath string) error {
	cf, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	nf, err := os.Create(npyPath)
	if err != nil {
		return err
	}
	cw, nw := bufio.NewWriterSize(cf, 1<<20), bufio.NewWriterSize(nf, 1<<20)
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", rows, cols)
	for (10+len(header)+1)%64 != 0 {
		header += " "
	}
	nw.WriteString("\x93NUMPY\x01\x00")
	binary.Write(nw, binary.LittleEndian, uint16(len(header)+1))
	nw.WriteString(header + "\n")
	for j := range cols {
		if j > 0 {
			cw.WriteByte(',')
		}
		fmt.Fprintf(cw, "f%d", j)
	}
	cw.WriteByte('\n')
	rng := rand.New(rand.NewPCG(1, 2))
	var buf []byte
	var b4 [4]byte
	for range rows {
		buf = buf[:0]
		for j := range cols {
			if j > 0 {
				buf = append(buf, ',')
			}
			v := float32(rng.NormFloat64())
			v, _ = parse32(strconv.AppendFloat(nil, float64(v), 'f', 6, 32))
			buf = strconv.AppendFloat(buf, float64(v), 'f', 6, 32)
			binary.LittleEndian.PutUint32(b4[:], math.Float32bits(v))
			nw.Write(b4[:])
		}
		buf = append(buf, '\n')
		cw.Write(buf)
	}
	for _, err := range []error{cw.Flush(), nw.Flush(), cf.Close(), nf.Close()} {
		if err != nil {
			return err
		}
	}
	return nil
}

// parse32 parses b as float32, so the .npy holds what the CSV says.
func parse32(b []byte) (float32, error) {
	v, err := strconv.ParseFloat(string(b), 32)
	return float32(v), err
}
