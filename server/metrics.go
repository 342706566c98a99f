package server

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// metrics counts requests by endpoint and status, their latency, refusals
// by kind and reloads, for /metrics in the Prometheus text format.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]int64 // endpoint, status → count
	latency  map[string]*histogram
	refusals map[string]int64 // error code → count
	reloads  [2]int64         // failed, ok
}

// latencyBuckets are the upper bounds, in seconds, of the latency
// histogram.
var latencyBuckets = []float64{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30}

type histogram struct {
	counts []int64 // per bucket, cumulative when written
	sum    float64
	n      int64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]int64{}, latency: map[string]*histogram{}, refusals: map[string]int64{}}
}

// statusRecorder keeps the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// count wraps an endpoint's handler to count it.
func (m *metrics) count(endpoint string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		secs := time.Since(start).Seconds()
		m.mu.Lock()
		defer m.mu.Unlock()
		m.requests[[2]string{endpoint, strconv.Itoa(rec.status)}]++
		h := m.latency[endpoint]
		if h == nil {
			h = &histogram{counts: make([]int64, len(latencyBuckets))}
			m.latency[endpoint] = h
		}
		for i, b := range latencyBuckets {
			if secs <= b {
				h.counts[i]++
				break
			}
		}
		h.sum += secs
		h.n++
	})
}

func (m *metrics) refused(code string) {
	m.mu.Lock()
	m.refusals[code]++
	m.mu.Unlock()
}

func (m *metrics) reloaded(ok bool) {
	m.mu.Lock()
	if ok {
		m.reloads[1]++
	} else {
		m.reloads[0]++
	}
	m.mu.Unlock()
}

func (m *metrics) serve(w http.ResponseWriter, _ *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	fmt.Fprintln(w, "# HELP zhengce_requests_total Requests by endpoint and HTTP status.")
	fmt.Fprintln(w, "# TYPE zhengce_requests_total counter")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a][0]+keys[a][1] < keys[b][0]+keys[b][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "zhengce_requests_total{endpoint=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# HELP zhengce_request_seconds Request latency by endpoint.")
	fmt.Fprintln(w, "# TYPE zhengce_request_seconds histogram")
	eps := make([]string, 0, len(m.latency))
	for e := range m.latency {
		eps = append(eps, e)
	}
	sort.Strings(eps)
	for _, e := range eps {
		h := m.latency[e]
		var cum int64
		for i, b := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "zhengce_request_seconds_bucket{endpoint=%q,le=%q} %d\n", e, strconv.FormatFloat(b, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "zhengce_request_seconds_bucket{endpoint=%q,le=\"+Inf\"} %d\n", e, h.n)
		fmt.Fprintf(w, "zhengce_request_seconds_sum{endpoint=%q} %g\n", e, h.sum)
		fmt.Fprintf(w, "zhengce_request_seconds_count{endpoint=%q} %d\n", e, h.n)
	}
	fmt.Fprintln(w, "# HELP zhengce_errors_total Refused requests by kind.")
	fmt.Fprintln(w, "# TYPE zhengce_errors_total counter")
	codes := make([]string, 0, len(m.refusals))
	for c := range m.refusals {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "zhengce_errors_total{kind=%q} %d\n", c, m.refusals[c])
	}
	fmt.Fprintln(w, "# HELP zhengce_reloads_total Reloads of the policy folder, by outcome.")
	fmt.Fprintln(w, "# TYPE zhengce_reloads_total counter")
	fmt.Fprintf(w, "zhengce_reloads_total{outcome=\"ok\"} %d\n", m.reloads[1])
	fmt.Fprintf(w, "zhengce_reloads_total{outcome=\"problems\"} %d\n", m.reloads[0])
}
