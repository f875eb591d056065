package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	lib "github.com/wgml/wgml"
	"github.com/wgml/wgml/serve"
)

func cmdServe(args []string, out, errOut io.Writer) error {
	fs := newFlags("serve", "serve --model CKPT [--addr 127.0.0.1:8080] [--max-batch N] [--max-wait D] [--max-body BYTES] [--timeout D] [--grace D]", out, errOut)
	ckpt := fs.String("model", "runs/ae-mnist/model.safetensors", "checkpoint written by wgml train (SIGHUP reloads it)")
	addr := fs.String("addr", "127.0.0.1:8080", "host:port to listen on (port 0: any free port, printed)")
	backend := addBackendFlag(fs)
	var cfg serve.Config
	fs.IntVar(&cfg.MaxBatch, "max-batch", serve.DefaultMaxBatch, "most rows of waiting requests scored in one backend pass")
	fs.DurationVar(&cfg.MaxWait, "max-wait", serve.DefaultMaxWait, "how long the first request of a batch waits for others (0: take only those already waiting)")
	fs.Int64Var(&cfg.MaxBody, "max-body", serve.DefaultMaxBody, "largest request body in bytes (larger: 413)")
	fs.DurationVar(&cfg.Timeout, "timeout", serve.DefaultTimeout, "longest a request may take, reading it and waiting for its batch (longer: 503)")
	fs.DurationVar(&cfg.Grace, "grace", serve.DefaultGrace, "on SIGTERM or SIGINT, how long in-flight requests may take to finish")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case cfg.MaxBatch <= 0:
		return usagef("max-batch %d: want at least 1 row", cfg.MaxBatch)
	case cfg.MaxWait < 0 || cfg.Timeout <= 0 || cfg.Grace <= 0:
		return usagef("max-wait, timeout and grace: want durations above 0 (max-wait: 0 or more)")
	case cfg.MaxBody <= 0:
		return usagef("max-body %d: want a positive number of bytes", cfg.MaxBody)
	}
	b, err := openBackend(*backend, errOut)
	if err != nil {
		return err
	}
	defer b.Release()
	s, err := serve.New(*ckpt, func(p string) (*lib.Model, error) { return lib.Load(p, b) }, cfg, errOut)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		s.Close()
		return err
	}
	fmt.Fprintf(out, "serving %s on http://%s (SIGHUP reloads it, SIGTERM stops)\n", *ckpt, ln.Addr())
	return s.Serve(onServeSignals(s, errOut), ln)
}

// onServeSignals reloads the model on SIGHUP and returns a context that
// ends on the first SIGTERM or SIGINT (Serve then finishes the requests in
// flight); a second one stops the process at once.
func onServeSignals(s *serve.Server, errOut io.Writer) context.Context {
	ctx, stop := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, os.Interrupt)
	go func() {
		for sig := range sigs {
			if sig == syscall.SIGHUP {
				s.Reload() // a failed reload keeps the old model and logs why
				continue
			}
			fmt.Fprintf(errOut, "wgml serve: %s: finishing the requests in flight\n", sig)
			signal.Reset(syscall.SIGTERM, os.Interrupt)
			stop()
			return
		}
	}()
	return ctx
}
