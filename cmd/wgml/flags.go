package main

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/spf13/pflag"
	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/backends"
	"github.com/wgml/wgml/nn"
)

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// isUsage reports whether err is a usage error: the command line's, or an
// option the library refused (lib.OptionError).
func isUsage(err error) bool {
	var ue usageError
	var oe *lib.OptionError
	return errors.As(err, &ue) || errors.As(err, &oe)
}

// newFlags returns a flag set for a subcommand that reports errors as
// values, not by exiting. --help (which pflag answers by calling Usage)
// prints the synopsis and every flag with its default to out; a
// deprecated flag's note goes to errOut.
func newFlags(name, synopsis string, out, errOut io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(deprecations{errOut}) // errors come back as values and print once, from run
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

// deprecations keeps pflag's notes on deprecated flags as the command's
// notes (see noteWriter) and drops the rest of what pflag prints (its
// errors come back as values).
type deprecations struct{ w io.Writer }

func (d deprecations) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, []byte("Flag --")) || !bytes.Contains(p, []byte("deprecated")) {
		return len(p), nil
	}
	note := strings.TrimSpace(string(p))
	if nw, ok := d.w.(*noteWriter); ok {
		nw.notes = append(nw.notes, note)
	} else {
		fmt.Fprintf(d.w, "wgml: note: %s\n", note)
	}
	return len(p), nil
}

// textVar registers an enum flag on a library type that parses itself
// (encoding.TextUnmarshaler), shown as a string in --help; its errors read
// "NAME: why".
func textVar(fs *pflag.FlagSet, p encoding.TextUnmarshaler, name string, def encoding.TextMarshaler, usage string) {
	fs.TextVar(p, name, def, usage)
	fs.Lookup(name).Value = enumValue{fs.Lookup(name).Value}
}

// enumValue is a TextVar flag's value, typed "string" in --help.
type enumValue struct{ pflag.Value }

func (enumValue) Type() string { return "string" }

// alias registers old as a deprecated spelling of the flag name.
func alias(fs *pflag.FlagSet, old, name string) {
	f := fs.Lookup(name)
	fs.Var(f.Value, old, f.Usage)
	fs.MarkDeprecated(old, "use --"+name)
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *pflag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return err
	}
	var bad *pflag.InvalidValueError
	if errors.As(err, &bad) && reflect.TypeOf(bad.GetFlag().Value) == reflect.TypeFor[enumValue]() {
		name, cause := bad.GetFlag().Name, errors.Unwrap(err).Error()
		if !strings.HasPrefix(cause, name) {
			cause = name + ": " + cause
		}
		return usageError{errors.New(cause)}
	}
	if err != nil {
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", strings.Join(fs.Args(), " "))
	}
	return nil
}

// addBackendFlag registers --backend on fs, listing the registered
// backends.
func addBackendFlag(fs *pflag.FlagSet) *string {
	return fs.String("backend", backends.Auto, fmt.Sprintf("where to compute: %s (a hardware GPU if one exists, else cpu) or one of the registered backends: %s (gpu takes any WebGPU adapter, software ones included)",
		backends.Auto, strings.Join(nn.Backends(), ", ")))
}

// openBackend opens the backend a --backend value names through nn's
// registry; auto says on errOut which it took and why.
func openBackend(name string, errOut io.Writer) (nn.Backend, error) {
	b, why, err := backends.Open(name)
	if why != "" {
		fmt.Fprintf(errOut, "wgml: backend %s: %s\n", name, why)
	}
	var unknown *backends.UnknownError
	if errors.As(err, &unknown) {
		return nil, usageError{err}
	}
	return b, err
}
