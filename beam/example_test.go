package wgmlbeam_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/wgml/wgml"
	wgmlbeam "github.com/wgml/wgml/beam"
	"github.com/wgml/wgml/data"
)

// exampleFiles writes dir/rows.csv (an id column, three numbers and a
// categorical column; its last row has text where a number belongs),
// dir/stores.csv (the same with a store column instead of the id) and
// dir/model.safetensors, an AE trained on a few rows.
func exampleFiles(dir string) {
	r := rand.New(rand.NewPCG(1, 2))
	var rows, stores strings.Builder
	rows.WriteString("id,x,y,z,kind\n")
	stores.WriteString("store,x,y,z,kind\n")
	for i := range 200 {
		x, y := r.NormFloat64(), r.NormFloat64()
		fields := fmt.Sprintf("%.4f,%.4f,%.4f,%s\n", x, y, x-y, []string{"p", "q"}[r.IntN(2)])
		fmt.Fprintf(&rows, "r%03d,%s", i, fields)
		fmt.Fprintf(&stores, "%s,%s", []string{"north", "south", "west"}[min(i%4, 2)], fields)
	}
	rows.WriteString("r200,0.5,oops,1,p\n")
	check(os.WriteFile(filepath.Join(dir, "rows.csv"), []byte(rows.String()), 0o600))
	check(os.WriteFile(filepath.Join(dir, "stores.csv"), []byte(stores.String()), 0o600))
	train := filepath.Join(dir, "train.csv")
	check(os.WriteFile(train, []byte("x,y,z,kind\n0.1,0.2,-0.1,p\n0.3,-0.2,0.5,q\n-0.4,0.1,-0.5,p\n0.2,0.2,0,q\n"), 0o600))
	m, _, err := wgml.FitFile(train, data.OpenOptions{}, wgml.Options{Layers: []int{2}, Epochs: 2, Seed: 1})
	check(err)
	check(m.Save(filepath.Join(dir, "model.safetensors")))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// readAll reads a CSV file's records.
func readAll(path string) [][]string {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	check(err)
	return recs
}

// Score rows of a CSV table (the id column names each row) with a
// checkpoint, writing the scores as two CSV shards and the row that does
// not fit as a dead letter.
func ExampleScore() {
	dir, err := os.MkdirTemp("", "wgml-beam-example")
	check(err)
	defer os.RemoveAll(dir)
	exampleFiles(dir)

	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	m, err := wgmlbeam.OpenModel(ctx, filepath.Join(dir, "model.safetensors"))
	check(err)
	t, err := wgmlbeam.OpenCSV(ctx, filepath.Join(dir, "rows.csv"), wgmlbeam.CSVOptions{KeyCol: "id"})
	check(err)
	rows, unread := t.Read(s)
	scores, dead, err := wgmlbeam.Score(s, m, t, rows, wgmlbeam.ScoreOptions{})
	check(err)
	wgmlbeam.WriteCSV(s, filepath.Join(dir, "scores"), 2, wgmlbeam.ScoresCSV(s, t, scores))
	wgmlbeam.WriteCSV(s, filepath.Join(dir, "dead"), 1, wgmlbeam.DeadCSV(s, beam.Flatten(s, unread, dead)))
	check(beamx.Run(ctx, p))

	shards, err := filepath.Glob(filepath.Join(dir, "scores-*-of-00002.csv"))
	check(err)
	n := 0
	for _, path := range shards {
		n += len(readAll(path)) - 1
	}
	fmt.Printf("%d shards: %s, %d rows\n", len(shards), strings.Join(readAll(shards[0])[0], ","), n)
	dead1, err := os.ReadFile(wgmlbeam.ShardName(filepath.Join(dir, "dead"), 0, 1))
	check(err)
	fmt.Print(strings.ReplaceAll(string(dead1), dir+"/", ""))
	// Output:
	// 2 shards: key,score,is_outlier,probability, 200 rows
	// file,line,key,reason
	// rows.csv,202,r200,"rows.csv:202: column ""y"": ""oops"" is not a number"
}

// Encode rows of a CSV table to their latent codes.
func ExampleEncode() {
	dir, err := os.MkdirTemp("", "wgml-beam-example")
	check(err)
	defer os.RemoveAll(dir)
	exampleFiles(dir)

	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	m, err := wgmlbeam.OpenModel(ctx, filepath.Join(dir, "model.safetensors"))
	check(err)
	t, err := wgmlbeam.OpenCSV(ctx, filepath.Join(dir, "rows.csv"), wgmlbeam.CSVOptions{KeyCol: "id"})
	check(err)
	rows, _ := t.Read(s)
	codes, _, err := wgmlbeam.Encode(s, m, t, rows, wgmlbeam.ScoreOptions{})
	check(err)
	wgmlbeam.WriteCSV(s, filepath.Join(dir, "codes"), 1, wgmlbeam.CodesCSV(s, t, m, codes))
	check(beamx.Run(ctx, p))

	codes1 := readAll(wgmlbeam.ShardName(filepath.Join(dir, "codes"), 0, 1))
	fmt.Printf("%s, %d rows\n", strings.Join(codes1[0], ","), len(codes1)-1)
	// Output:
	// key,z0,z1, 200 rows
}

// Train one model per store, with the options of wgml train; the
// summary has a row per store.
func ExampleTrainPerKey() {
	dir, err := os.MkdirTemp("", "wgml-beam-example")
	check(err)
	defer os.RemoveAll(dir)
	exampleFiles(dir)

	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	t, err := wgmlbeam.OpenCSV(ctx, filepath.Join(dir, "stores.csv"), wgmlbeam.CSVOptions{KeyCol: "store"})
	check(err)
	rows, _ := t.Read(s)
	opt := wgmlbeam.TrainOptions{Options: wgml.Options{Layers: []int{2}, Epochs: 3, Batch: 64, Seed: 1}, Out: filepath.Join(dir, "models")}
	sums, err := wgmlbeam.TrainPerKey(s, t, rows, opt)
	check(err)
	wgmlbeam.WriteCSV(s, filepath.Join(dir, "summary"), 1, wgmlbeam.SummaryCSV(s, sums))
	check(beamx.Run(ctx, p))

	for _, r := range readAll(wgmlbeam.ShardName(filepath.Join(dir, "summary"), 0, 1))[1:] {
		m, err := wgml.Load(r[6], nil)
		check(err)
		fmt.Printf("%s: %s rows, batch %s, checkpoint %s with %d inputs\n", r[0], r[1], r[2], strings.TrimPrefix(r[6], dir), m.Net.Config.Input())
	}
	// Output:
	// north: 50 rows, batch 50, checkpoint /models/key=north/model.safetensors with 5 inputs
	// south: 50 rows, batch 50, checkpoint /models/key=south/model.safetensors with 5 inputs
	// west: 100 rows, batch 64, checkpoint /models/key=west/model.safetensors with 5 inputs
}
