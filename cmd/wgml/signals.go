package main

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
)

// stepFileEnv names an environment variable for tests: where it names a
// file, every poll of requested (one before each training step) writes
// there the number of steps this process has done, so that a test can
// signal at a known step however loaded the machine is.
const stepFileEnv = "WGML_STEP_FILE"

// stopper records SIGINT/SIGTERM so training can finish its step, write a
// checkpoint and exit with the conventional status (128 + signal number).
type stopper struct {
	ch       chan os.Signal
	got      atomic.Value // os.Signal
	stepFile string       // $WGML_STEP_FILE
	steps    int          // polls of requested so far
}

func onSignal() *stopper {
	s := &stopper{ch: make(chan os.Signal, 1), stepFile: os.Getenv(stepFileEnv)}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		for sig := range s.ch {
			if !s.got.CompareAndSwap(nil, sig) {
				// A second signal: the user will not wait for the step.
				// Checkpoints are written atomically, so the last one stands.
				fmt.Fprintf(os.Stderr, "wgml: %s again: exiting without a checkpoint\n", sig)
				os.Exit(exitStatus(sig))
			}
		}
	}()
	return s
}

// requested reports whether a signal arrived; training polls it before
// each step.
func (s *stopper) requested() bool {
	if s.stepFile != "" {
		os.WriteFile(s.stepFile, strconv.AppendInt(nil, int64(s.steps), 10), 0o644)
		s.steps++
	}
	return s.got.Load() != nil
}

func (s *stopper) signal() os.Signal {
	sig, _ := s.got.Load().(os.Signal)
	return sig
}

func (s *stopper) exitCode() int { return exitStatus(s.signal()) }

// exitStatus is the conventional exit status after sig: 128 + its number
// (1 for a signal without one).
func exitStatus(sig os.Signal) int {
	if n, ok := sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 1
}

func (s *stopper) release() {
	signal.Stop(s.ch)
	close(s.ch)
}
