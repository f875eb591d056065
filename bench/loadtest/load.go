package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is what a load run measured.
type result struct {
	clients, perRequest int
	elapsed             time.Duration
	latencies           []time.Duration // one per answered request
	errors              int
	firstError          string
	rssBefore, rssAfter int64
	rssPeak             int64
	batches, batchRows  float64 // backend passes and the rows they took
}

// maxBodies bounds the distinct request bodies held (MNIST's test set as
// JSON would take tens of MB).
const maxBodies = 2000

// load runs clients that post perRequest rows at a time, taken in turn from
// rows, to /v1/score until duration has passed.
func load(s *server, rows [][]float64, clients, perRequest int, duration time.Duration) (*result, error) {
	bodies := make([][]byte, 0, min(len(rows), maxBodies))
	for i := 0; i+perRequest <= len(rows) && len(bodies) < maxBodies; i += perRequest {
		b, err := json.Marshal(map[string]any{"rows": rows[i : i+perRequest]})
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, b)
	}
	if len(bodies) == 0 {
		return nil, fmt.Errorf("%d rows: fewer than --rows-per-request %d", len(rows), perRequest)
	}
	r := &result{clients: clients, perRequest: perRequest}
	r.rssBefore, _ = s.memory()
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(duration)
	for c := range clients {
		wg.Go(func() {
			var lat []time.Duration
			var errs int
			var first string
			for k := c; time.Now().Before(deadline); k += clients {
				t0 := time.Now()
				if err := post(client, s.base+"/v1/score", bodies[k%len(bodies)], perRequest); err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			defer mu.Unlock()
			r.latencies = append(r.latencies, lat...)
			r.errors += errs
			if r.firstError == "" {
				r.firstError = first
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	r.rssAfter, r.rssPeak = s.memory()
	var err error
	if r.batches, err = s.metric("wgml_serve_batches_total"); err != nil {
		return nil, err
	}
	if r.batchRows, err = s.metric("wgml_serve_batch_rows_sum"); err != nil {
		return nil, err
	}
	return r, nil
}

// post sends one request and checks it is answered with a score per row.
func post(client *http.Client, url string, body []byte, rows int) error {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var a struct {
		Scores []float64 `json:"scores"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(text, &a) != nil || len(a.Scores) != rows {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, text)
	}
	return nil
}

// print reports the run beside the command's and the library's rows/s.
func (r *result) print(cmdRate, libRate float64) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
	}
	n := len(r.latencies)
	rowRate := float64(n*r.perRequest) / r.elapsed.Seconds()
	mib := func(b int64) float64 { return float64(b) / (1 << 20) }
	fmt.Printf("wgml serve: %d requests (%d rows) in %.1fs: %.0f requests/s, %.0f rows/s; errors %d\n",
		n, n*r.perRequest, r.elapsed.Seconds(), float64(n)/r.elapsed.Seconds(), rowRate, r.errors)
	if r.firstError != "" {
		fmt.Printf("  first error: %s\n", r.firstError)
	}
	fmt.Printf("  latency p50 %v  p99 %v  max %v\n", pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond))
	fmt.Printf("  backend passes %.0f, %.1f rows per pass\n", r.batches, r.batchRows/max(r.batches, 1))
	fmt.Printf("  server RSS %.1f MiB before, %.1f MiB after (peak %.1f MiB)\n", mib(r.rssBefore), mib(r.rssAfter), mib(r.rssPeak))
	fmt.Printf("wgml score (the command, start to end): %.0f rows/s; serve/score %.2f×\n", cmdRate, rowRate/cmdRate)
	fmt.Printf("Model.Score (the library, in process): %.0f rows/s; serve/library %.2f×\n", libRate, rowRate/libRate)
}
