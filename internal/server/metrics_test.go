package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/server"
)

// metricLine is a sample line of the Prometheus text format.
var metricLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? [-+0-9.eE]+(Inf)?$`)

func TestMetrics(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-of-the-test-0123456789abcdef"
	db := demoData.New(t)
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused/iop", "METRICS_TOKEN": token}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Deps{Config: cfg, DB: db, Auth: auth.NewService(db, hasher, time.Now), Keyring: demoKeys,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)

	get := func(path, authz string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	// Requests with ids in the path, to be counted under their pattern.
	get("/readyz", "")
	get("/organisations/4711", "")
	for _, bad := range []string{"", "Bearer wrong", "Bearer " + token + "x", "Basic " + token, token} {
		if code, _ := get("/metrics", bad); code != http.StatusNotFound {
			t.Errorf("Authorization %q: %d, want 404", bad, code)
		}
	}

	code, body := get("/metrics", "Bearer "+token)
	if code != http.StatusOK {
		t.Fatalf("with the token: %d\n%s", code, body)
	}
	types := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# HELP "):
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if len(f) != 4 || !regexp.MustCompile(`^(counter|gauge|histogram)$`).MatchString(f[3]) {
				t.Errorf("bad TYPE line %q", line)
			}
			types[f[2]] = true
		case metricLine.MatchString(line):
		default:
			t.Errorf("not Prometheus text: %q", line)
		}
	}
	for _, want := range []string{
		`iop_http_requests_total{method="GET",route="/readyz",status="2xx"} 1`,
		`iop_http_requests_total{method="GET",route="/organisations/{id}",status="3xx"} 1`,
		`iop_http_requests_total{method="GET",route="/metrics",status="4xx"} 5`,
		`iop_http_request_duration_seconds_bucket{method="GET",route="/readyz",status="2xx",le="+Inf"} 1`,
		`iop_http_request_duration_seconds_count{method="GET",route="/readyz",status="2xx"} 1`,
		"iop_db_pool_connections_max ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in\n%s", want, body)
		}
	}
	for _, name := range []string{"iop_http_requests_total", "iop_http_request_duration_seconds", "iop_db_pool_acquires_total", "iop_job_runs_total"} {
		if !types[name] {
			t.Errorf("no TYPE line for %s", name)
		}
	}
	if strings.Contains(body, "4711") {
		t.Error("a raw path reached a label")
	}
}
