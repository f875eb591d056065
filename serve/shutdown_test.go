package serve

import (
	"context"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestGracefulShutdown: a request in flight when Serve's context ends (it
// waits MaxWait for company in its batch) is answered in full; Serve then
// returns without error and the port takes no more requests.
func TestGracefulShutdown(t *testing.T) {
	s, err := New(fitTable(t, t.TempDir(), "ae", 12), nil, Config{MaxWait: 300 * time.Millisecond}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	arrived := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, &signalListener{Listener: ln, arrived: arrived}) }()
	url := "http://" + ln.Addr().String() + "/v1/score"
	answer := make(chan int, 1)
	go func() {
		resp, err := http.Post(url, "application/json", strings.NewReader(rowsBody(planeRows(rand.New(rand.NewPCG(1, 1)), 2))))
		if err != nil {
			answer <- 0
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answer <- resp.StatusCode
	}()
	<-arrived // the request's bytes reached the server
	cancel()
	if code := <-answer; code != http.StatusOK {
		t.Errorf("the request in flight at shutdown: status %d, want 200", code)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if resp, err := http.Post(url, "application/json", strings.NewReader("{}")); err == nil {
		resp.Body.Close()
		t.Error("a request after shutdown was answered")
	}
}

// signalListener closes arrived when the first bytes arrive on a
// connection it accepted.
type signalListener struct {
	net.Listener
	arrived chan struct{}
	once    sync.Once
}

func (l *signalListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &signalConn{Conn: c, l: l}, nil
}

type signalConn struct {
	net.Conn
	l *signalListener
}

func (c *signalConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.l.once.Do(func() { close(c.l.arrived) })
	}
	return n, err
}
