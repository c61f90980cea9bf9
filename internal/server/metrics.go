package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"iop/internal/jobruns"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency
// histogram: fine around the 50 ms target of a page, coarse beyond.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// requestKey labels a request series. Route is chi's route pattern, never
// the path, so that no id or personal data reaches a label and the number
// of series stays bounded.
type requestKey struct {
	method, route, class string
}

// latency is one series' histogram; count is also the request counter.
type latency struct {
	buckets []uint64 // cumulative counts are computed when written
	count   uint64
	sum     float64
}

// requestMetrics counts the requests of one server.
type requestMetrics struct {
	mu     sync.Mutex
	series map[requestKey]*latency
}

func newRequestMetrics() *requestMetrics {
	return &requestMetrics{series: map[requestKey]*latency{}}
}

func (m *requestMetrics) observe(k requestKey, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.series[k]
	if l == nil {
		l = &latency{buckets: make([]uint64, len(latencyBuckets))}
		m.series[k] = l
	}
	for i, le := range latencyBuckets {
		if sec <= le {
			l.buckets[i]++
			break
		}
	}
	l.count++
	l.sum += sec
}

// countRequests records each request under its route pattern and status
// class once the router has matched it.
func (s *Server) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
		default:
			method = "other" // the method is client input: keep the label set closed
		}
		s.metrics.observe(requestKey{method, route, fmt.Sprintf("%dxx", status/100)}, time.Since(start))
	})
}

// handleMetrics serves the metrics in the Prometheus text format to a
// caller with METRICS_TOKEN as bearer token. Everyone else, and everyone
// when no token is configured, gets the ordinary 404 page: the endpoint
// does not reveal that it exists.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	token := s.cfg.MetricsToken()
	given, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	// Comparing digests keeps the comparison constant-time in the length too.
	want, got := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(given))
	if token == "" || !ok || subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	bw := bufio.NewWriter(w)
	s.writeRequestMetrics(bw)
	s.writePoolMetrics(bw)
	writeJobMetrics(bw)
	bw.Flush() //nolint:errcheck // the client went away
}

func (s *Server) writeRequestMetrics(w *bufio.Writer) {
	s.metrics.mu.Lock()
	keys := make([]requestKey, 0, len(s.metrics.series))
	snap := make(map[requestKey]latency, len(s.metrics.series))
	for k, l := range s.metrics.series {
		keys = append(keys, k)
		snap[k] = latency{buckets: append([]uint64(nil), l.buckets...), count: l.count, sum: l.sum}
	}
	s.metrics.mu.Unlock()
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.class < b.class
	})
	header(w, "iop_http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status class.")
	for _, k := range keys {
		fmt.Fprintf(w, "iop_http_requests_total{%s} %d\n", k.labels(), snap[k].count)
	}
	header(w, "iop_http_request_duration_seconds", "histogram", "Time to answer an HTTP request, by method, route pattern and status class.")
	for _, k := range keys {
		l := snap[k]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += l.buckets[i]
			fmt.Fprintf(w, "iop_http_request_duration_seconds_bucket{%s,le=\"%g\"} %d\n", k.labels(), le, cum)
		}
		fmt.Fprintf(w, "iop_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", k.labels(), l.count)
		fmt.Fprintf(w, "iop_http_request_duration_seconds_sum{%s} %g\n", k.labels(), l.sum)
		fmt.Fprintf(w, "iop_http_request_duration_seconds_count{%s} %d\n", k.labels(), l.count)
	}
}

func (k requestKey) labels() string {
	return fmt.Sprintf(`method=%s,route=%s,status=%s`, quoteLabel(k.method), quoteLabel(k.route), quoteLabel(k.class))
}

func (s *Server) writePoolMetrics(w *bufio.Writer) {
	st := s.db.Pool.Stat()
	gauges := []struct {
		name, help string
		value      int64
	}{
		{"iop_db_pool_connections_total", "Open connections in the database pool.", int64(st.TotalConns())},
		{"iop_db_pool_connections_acquired", "Connections in use.", int64(st.AcquiredConns())},
		{"iop_db_pool_connections_idle", "Idle connections.", int64(st.IdleConns())},
		{"iop_db_pool_connections_max", "Largest size of the pool (DB_MAX_CONNS).", int64(st.MaxConns())},
	}
	for _, g := range gauges {
		header(w, g.name, "gauge", g.help)
		fmt.Fprintf(w, "%s %d\n", g.name, g.value)
	}
	counters := []struct {
		name, help string
		value      int64
	}{
		{"iop_db_pool_acquires_total", "Connections acquired from the pool.", st.AcquireCount()},
		{"iop_db_pool_empty_acquires_total", "Acquires that had to wait because no connection was idle.", st.EmptyAcquireCount()},
		{"iop_db_pool_canceled_acquires_total", "Acquires cancelled before a connection was free.", st.CanceledAcquireCount()},
		{"iop_db_pool_new_connections_total", "Connections opened.", st.NewConnsCount()},
	}
	for _, c := range counters {
		header(w, c.name, "counter", c.help)
		fmt.Fprintf(w, "%s %d\n", c.name, c.value)
	}
	header(w, "iop_db_pool_acquire_seconds_total", "counter", "Time spent acquiring connections.")
	fmt.Fprintf(w, "iop_db_pool_acquire_seconds_total %g\n", st.AcquireDuration().Seconds())
}

func writeJobMetrics(w *bufio.Writer) {
	jobs := jobruns.Snapshot()
	header(w, "iop_job_runs_total", "counter", "Runs of the scheduled jobs in this process, by outcome (ok, failed, busy: another instance held the lock).")
	for _, j := range jobs {
		for _, o := range []struct {
			outcome string
			n       uint64
		}{{"ok", j.OK}, {"failed", j.Failed}, {"busy", j.Busy}} {
			fmt.Fprintf(w, "iop_job_runs_total{job=%s,outcome=%q} %d\n", quoteLabel(j.Job), o.outcome, o.n)
		}
	}
	header(w, "iop_job_last_success_timestamp_seconds", "gauge", "Unix time of the last successful run of each scheduled job.")
	for _, j := range jobs {
		if !j.LastSuccess.IsZero() {
			fmt.Fprintf(w, "iop_job_last_success_timestamp_seconds{job=%s} %d\n", quoteLabel(j.Job), j.LastSuccess.Unix())
		}
	}
}

func header(w *bufio.Writer, name, typ, help string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// labelEscaper escapes a label value as the text format requires.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func quoteLabel(v string) string { return `"` + labelEscaper.Replace(v) + `"` }
