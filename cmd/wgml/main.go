// Command wgml trains dense autoencoders and variational autoencoders on the
// GPU through WebGPU compute shaders, or on the CPU with gonum, and uses them:
// latent codes, outlier scores, de-noising, samples and interpolations.
//
//	wgml train --kind ae --data mnist
//	wgml encode --model runs/ae-mnist/model.safetensors --out latents.csv
//
// Run "wgml help" for the commands and "wgml COMMAND --help" for their flags.
package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
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
	"export":      {"write a trained model as ONNX (normaliser folded in; reconstruction, latent, score)", cmdExport},
}

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
	ew := &noteWriter{Writer: errOut}
	err := cmd.run(args[1:], out, ew)
	switch {
	case err == nil:
		for _, n := range ew.notes {
			fmt.Fprintf(errOut, "wgml: %s: note: %s\n", args[0], n)
		}
		return 0
	case errors.Is(err, pflag.ErrHelp):
		return 0
	}
	fmt.Fprintf(errOut, "wgml: %s: %v%s\n", args[0], err, ew.suffix())
	if isUsage(err) {
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
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}

// noteWriter is a command's stderr that also keeps notes on the command
// line (deprecated flags) for the end: printed after a success, appended
// to the one error line after a failure.
type noteWriter struct {
	io.Writer
	notes []string
}

func (w *noteWriter) suffix() string {
	if len(w.notes) == 0 {
		return ""
	}
	return " (note: " + strings.Join(w.notes, "; ") + ")"
}
