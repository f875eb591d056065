// Command wgml trains dense autoencoders and variational autoencoders on the
// GPU through WebGPU compute shaders, or on the CPU with gonum, and uses them:
// latent codes, outlier scores, de-noising, samples and interpolations.
//
//	wgml train --model ae --data mnist
//	wgml encode --model runs/ae-mnist/model.safetensors --out latents.csv
//
// Run "wgml help" for the commands and "wgml COMMAND --help" for their flags.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// command is one subcommand: its one-line summary and its entry point.
type command struct {
	summary string
	run     func(args []string, out, errOut io.Writer) error
}

var commands = map[string]command{
	"train":       {"train an autoencoder or VAE and write a checkpoint, loss curve and test loss", cmdTrain},
	"devices":     {"list the WebGPU adapters and the one --backend auto picks", cmdDevices},
	"bench":       {"compare backends side by side: samples/s, ratio, work per step, memory, cost growth", cmdBench},
	"encode":      {"write the latent code of every row as CSV (and a latent scatter PNG)", cmdEncode},
	"sample":      {"decode draws from the prior N(0, I) into an image grid (and the latent-plane grid for 2-D)", cmdSample},
	"interpolate": {"decode the straight latent path between two inputs, e.g. a 1 and a 7", cmdInterpolate},
	"reconstruct": {"write inputs above their reconstructions as a PNG", cmdReconstruct},
	"score":       {"outlier score of every row as CSV, with a fitted threshold and AUROC/AUPRC where labels exist", cmdScore},
	"denoise":     {"de-noise rows with a model trained with --noise: PNG grid or CSV, PSNR before and after", cmdDenoise},
	"serve":       {"answer HTTP scoring requests (score, encode, reconstruct) with a checkpoint's model", cmdServe},
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes one wgml command line and returns the process exit status:
// 0 success, 1 failure, 2 usage error. Errors print as one line
// "wgml: <what>: <why>".
func run(args []string, out, errOut io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(out)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(errOut, "wgml: unknown command %q (run wgml help)\n", args[0])
		return 2
	}
	err := cmd.run(args[1:], out, errOut)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, pflag.ErrHelp):
		return 0
	}
	fmt.Fprintf(errOut, "wgml: %s: %v\n", args[0], err)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	var ex exitError
	if errors.As(err, &ex) {
		return ex.code
	}
	return 1
}

// exitError carries a conventional exit status, e.g. 130 after SIGINT.
type exitError struct {
	error
	code int
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "wgml trains autoencoders and VAEs on any GPU (WebGPU) or the CPU (gonum).")
	fmt.Fprintln(w, "\nUsage: wgml COMMAND [flags]   (wgml COMMAND --help for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}

// newFlags returns a flag set for a subcommand that reports errors as
// values, not by exiting. --help (which pflag answers by calling Usage)
// prints the synopsis and every flag with its default to out.
func newFlags(name, synopsis string, out io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors come back as values and print once, from run
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: wgml %s\n\n", synopsis)
		if !fs.HasFlags() {
			fmt.Fprintln(out, "No flags.")
			return
		}
		fmt.Fprintf(out, "Flags:\n%s", fs.FlagUsages())
	}
	return fs
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *pflag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return err
	}
	if err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", strings.Join(fs.Args(), " "))
	}
	return nil
}
