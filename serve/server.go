// Package serve is wgml's HTTP scoring service: a thin layer over the root
// package that loads a checkpoint (wgml.Load) and answers
//
//	POST /v1/score        scores, is_outlier, probability (per-feature errors on request)
//	POST /v1/encode       latent codes
//	POST /v1/reconstruct  reconstructions in data units
//	GET  /v1/model        the model card: kind, layers, columns, threshold
//	GET  /healthz         200 while a model is loaded
//	GET  /metrics         Prometheus text format
//
// Bodies are JSON {"rows": [[...], ...]} in the model's input columns, or a
// CSV table (text/csv) read with the checkpoint's schema as wgml score reads
// a table file. Concurrent requests are micro-batched: one goroutine owns
// the model and its backend and runs the rows of every request waiting (up
// to Config.MaxBatch rows, or Config.MaxWait after the first) in one pass.
// Reload swaps the model file in between passes, keeping the old model
// when the new one does not load.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wgml/wgml"
)

// Config bounds the service. The zero value of a field picks its default.
type Config struct {
	// MaxBatch is the most rows one backend pass takes from waiting
	// requests (default 256; a larger request runs alone).
	MaxBatch int
	// MaxWait is how long the first request of a batch waits for others;
	// 0 (the zero value) takes only the requests already waiting.
	MaxWait time.Duration
	// MaxBody is the largest request body in bytes (default 8 MiB).
	MaxBody int64
	// Timeout bounds one request, reading it and waiting for its batch
	// (default 30s).
	Timeout time.Duration
	// Grace is how long Serve waits for in-flight requests at shutdown
	// before it closes their connections (default 30s).
	Grace time.Duration
}

// Defaults of Config.
const (
	DefaultMaxBatch = 256
	DefaultMaxWait  = 2 * time.Millisecond
	DefaultMaxBody  = 8 << 20
	DefaultTimeout  = 30 * time.Second
	DefaultGrace    = 30 * time.Second
)

func (c Config) withDefaults() Config {
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	c.MaxWait = max(c.MaxWait, 0)
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Grace <= 0 {
		c.Grace = DefaultGrace
	}
	return c
}

// Loader loads the checkpoint at path, e.g. wgml.Load onto a backend.
type Loader func(path string) (*wgml.Model, error)

// Server answers scoring requests with the model of one checkpoint file.
type Server struct {
	path    string
	load    Loader
	cfg     Config
	log     *log.Logger
	metrics *metrics

	model   atomic.Pointer[wgml.Model] // the current model: decoding reads it, the owner swaps it
	jobs    chan *job
	reloads chan chan error
	quit    chan struct{} // closed by Close: the owner stops
	done    chan struct{} // closed when the owner goroutine has stopped
	stop    sync.Once
}

// New loads the checkpoint at path with load (nil: wgml.Load onto a new
// CPU backend) and starts the goroutine that owns it; logs go to logw.
// Close stops it.
func New(path string, load Loader, cfg Config, logw io.Writer) (*Server, error) {
	if load == nil {
		load = func(p string) (*wgml.Model, error) { return wgml.Load(p, nil) }
	}
	s := &Server{path: path, load: load, cfg: cfg.withDefaults(), log: log.New(logw, "wgml serve: ", log.LstdFlags),
		jobs: make(chan *job), reloads: make(chan chan error), quit: make(chan struct{}), done: make(chan struct{})}
	m, err := s.open()
	if err != nil {
		return nil, err
	}
	s.metrics = newMetrics(s.cfg.MaxBatch)
	s.model.Store(m)
	go s.own(m)
	return s, nil
}

// open loads the model file and sets it up for batches of MaxBatch rows.
func (s *Server) open() (*wgml.Model, error) {
	m, err := s.load(s.path)
	if err != nil {
		return nil, err
	}
	m.Batch = s.cfg.MaxBatch
	return m, nil
}

// Reload loads the model file again and swaps it in between two batches.
// When the file does not load, the old model stays and the error says why
// (and is logged).
func (s *Server) Reload() error {
	reply := make(chan error, 1)
	select {
	case s.reloads <- reply:
	case <-s.done:
		return errors.New("reload: the server is closed")
	}
	err := <-reply
	if err != nil {
		s.metrics.reloads.WithLabelValues("failed").Inc()
		s.log.Printf("reload %s: %v; keeping the model loaded before", s.path, err)
		return fmt.Errorf("reload %s: %w", s.path, err)
	}
	s.metrics.reloads.WithLabelValues("ok").Inc()
	s.log.Printf("reloaded %s", s.path)
	return nil
}

// Serve answers HTTP on ln until ctx ends, then shuts down gracefully:
// it stops accepting, lets in-flight requests finish (up to Config.Grace),
// and closes the server.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: s.cfg.Timeout, ReadTimeout: s.cfg.Timeout,
		WriteTimeout: 2 * s.cfg.Timeout, IdleTimeout: 2 * time.Minute, ErrorLog: s.log}
	failed := make(chan error, 1)
	go func() { failed <- hs.Serve(ln) }()
	select {
	case err := <-failed:
		s.Close()
		return err
	case <-ctx.Done():
	}
	grace, cancel := context.WithTimeout(context.Background(), s.cfg.Grace)
	defer cancel()
	err := hs.Shutdown(grace)
	if err != nil {
		hs.Close()
		err = fmt.Errorf("shutdown: in-flight requests outlived the %v grace: %w", s.cfg.Grace, err)
	}
	s.Close()
	return err
}

// Close stops the goroutine that owns the model (requests after it answer
// 503).
func (s *Server) Close() {
	s.stop.Do(func() {
		close(s.quit)
		<-s.done
	})
}
