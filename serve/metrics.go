package serve

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are what /metrics reports, in a registry of the server's own
// (beside the Go runtime's and the process's: RSS, CPU, open files).
type metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec   // by endpoint and status code
	errors    *prometheus.CounterVec   // answers other than 200, by endpoint and status code
	latency   *prometheus.HistogramVec // seconds from request to answer, by endpoint
	rows      *prometheus.CounterVec   // rows answered, by endpoint
	batches   prometheus.Counter       // backend passes
	batchRows prometheus.Histogram     // rows per backend pass (before padding)
	reloads   *prometheus.CounterVec   // model reloads by result: ok or failed
}

func newMetrics(maxBatch int) *metrics {
	rowBuckets := []float64{1}
	for b := 2; b < maxBatch; b *= 2 {
		rowBuckets = append(rowBuckets, float64(b))
	}
	rowBuckets = append(rowBuckets, float64(maxBatch))
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wgml_serve_requests_total",
			Help: "Requests answered, by endpoint and status code."}, []string{"endpoint", "code"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wgml_serve_errors_total",
			Help: "Requests answered with an error (4xx, 5xx), by endpoint and status code."}, []string{"endpoint", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "wgml_serve_request_duration_seconds",
			Help: "Time from a request's arrival to its answer, by endpoint.", Buckets: prometheus.ExponentialBuckets(1e-4, 2, 16)}, []string{"endpoint"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wgml_serve_rows_total",
			Help: "Rows answered, by endpoint."}, []string{"endpoint"}),
		batches: prometheus.NewCounter(prometheus.CounterOpts{Name: "wgml_serve_batches_total",
			Help: "Backend passes; requests waiting together share one."}),
		batchRows: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "wgml_serve_batch_rows",
			Help: "Rows per backend pass, before padding.", Buckets: rowBuckets}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "wgml_serve_reloads_total",
			Help: "Model reloads (SIGHUP) by result: ok, or failed (the old model kept)."}, []string{"result"}),
	}
	m.registry.MustRegister(m.requests, m.errors, m.latency, m.rows, m.batches, m.batchRows, m.reloads,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
