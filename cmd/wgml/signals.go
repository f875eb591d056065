package main

import (
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// stopper records SIGINT/SIGTERM so training can finish its step, write a
// checkpoint and exit with the conventional status (128 + signal number).
type stopper struct {
	ch  chan os.Signal
	got atomic.Value // os.Signal
}

func onSignal() *stopper {
	s := &stopper{ch: make(chan os.Signal, 1)}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		for sig := range s.ch {
			if !s.got.CompareAndSwap(nil, sig) {
				// A second signal: the user will not wait for the step.
				// Checkpoints are written atomically, so the last one stands.
				fmt.Fprintf(os.Stderr, "wgml: %s again: exiting without a checkpoint\n", sig)
				code := 1
				if n, ok := sig.(syscall.Signal); ok {
					code = 128 + int(n)
				}
				os.Exit(code)
			}
		}
	}()
	return s
}

func (s *stopper) requested() bool { return s.got.Load() != nil }

func (s *stopper) signal() os.Signal {
	sig, _ := s.got.Load().(os.Signal)
	return sig
}

func (s *stopper) exitCode() int {
	if sig, ok := s.signal().(syscall.Signal); ok {
		return 128 + int(sig)
	}
	return 1
}

func (s *stopper) release() {
	signal.Stop(s.ch)
	close(s.ch)
}
