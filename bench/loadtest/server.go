package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a running `wgml serve` process.
type server struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
}

// startServer starts wgml serve on a free loopback port and waits until it
// answers /healthz.
func startServer(bin, ckpt string, extra []string) (*server, error) {
	args := append([]string{"serve", "--model", ckpt, "--addr", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	_, addr, ok := strings.Cut(line, "http://")
	if err != nil || !ok {
		s.kill()
		return nil, fmt.Errorf("wgml serve said %q, want its address: %v", line, err)
	}
	go io.Copy(io.Discard, stdout)
	s.base = "http://" + strings.Fields(addr)[0]
	for range 100 {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			return s, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.kill()
	return nil, fmt.Errorf("wgml serve at %s never answered /healthz", s.base)
}

// memory is the server's resident set size now and at its peak, in bytes
// (Linux /proc; 0 elsewhere).
func (s *server) memory() (rss, peak int64) {
	text, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(text), "\n") {
		key, val, _ := strings.Cut(line, ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		switch key {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			peak = kb << 10
		}
	}
	return rss, peak
}

// metric is the value of a sample line of /metrics (name with labels).
func (s *server) metric(name string) (float64, error) {
	resp, err := http.Get(s.base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("/metrics has no %s", name)
}

// stop sends SIGTERM and wants a clean exit (in-flight requests done).
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	if err := s.cmd.Wait(); err != nil {
		return fmt.Errorf("wgml serve after SIGTERM: %v", err)
	}
	return nil
}

func (s *server) kill() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}
