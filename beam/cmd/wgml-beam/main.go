// Command wgml-beam runs wgml's Apache Beam pipelines: score or encode the
// rows of CSV files with a wgml checkpoint, and train one model per segment
// key. Its flags are named as wgml's; Beam's own flags (--runner, prism by
// default; --endpoint, --project, --region, --temp_location, ...) go with
// them.
//
//	wgml-beam score --model model.safetensors --data 'rows-*.csv' --out scores [--key-col id]
//	wgml-beam encode --model model.safetensors --data rows.csv --out codes
//	wgml-beam train-per-key --data rows.csv --key-col segment --out models [--epochs 20 ...]
//
// Run as a Beam worker (a runner starts it with --worker and no command),
// it serves the runner instead.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
)

// command is one subcommand: it registers its flags, then builds its
// pipeline (failing there on bad flags, data or model) and says what it
// wrote.
type command interface {
	register(fs *flag.FlagSet)
	build(ctx context.Context, s beam.Scope) error
	done(out io.Writer)
}

var commands = map[string]func() command{
	"score":         func() command { return &scoreCmd{} },
	"encode":        func() command { return &scoreCmd{encode: true} },
	"train-per-key": func() command { return &trainCmd{} },
}

const usage = `usage: wgml-beam score|encode|train-per-key [flags] [Beam flags: --runner prism|direct|dataflow|flink|spark|universal ...]
  wgml-beam score --model CKPT --data GLOB --out PREFIX [--key-col K] [--shards N]
  wgml-beam encode --model CKPT --data GLOB --out PREFIX [--key-col K] [--shards N]
  wgml-beam train-per-key --data GLOB --key-col K --out FOLDER [--model ae|vae --layers 8,2 --epochs N ...]
  wgml-beam COMMAND -help lists a command's flags`

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wgml-beam: "+err.Error())
		os.Exit(1)
	}
}

// run parses args onto the process's flag set (where Beam's flags live),
// builds the command's pipeline and runs it on the chosen runner.
func run(args []string, out io.Writer) error {
	if len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "-help" && args[0] != "--help" {
		// A runner starting this binary as its worker: beam.Init serves
		// the runner and exits when --worker is set.
		if err := flag.CommandLine.Parse(args); err != nil {
			return err
		}
		beam.Init()
	}
	if len(args) == 0 || commands[args[0]] == nil {
		return errors.New(usage)
	}
	cmd := commands[args[0]]()
	fs := flag.CommandLine
	cmd.register(fs)
	fs.SetOutput(out)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", args[0], fs.Arg(0))
	}
	beam.Init()
	ctx := context.Background()
	p, s := beam.NewPipelineWithRoot()
	if err := cmd.build(ctx, s); err != nil {
		return err
	}
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	printCounters(out, res)
	cmd.done(out)
	return nil
}

// printCounters prints the pipeline's wgml counters (rows scored, dead
// letters, keys trained...), where the runner reports metrics.
func printCounters(out io.Writer, res beam.PipelineResult) {
	if res == nil {
		return
	}
	var lines []string
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Key.Namespace == "wgml" {
			lines = append(lines, fmt.Sprintf("%s: %d", c.Key.Name, c.Result()))
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
}
