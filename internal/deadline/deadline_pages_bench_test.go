package deadline_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/demo"
	"iop/internal/server"
)

// BenchmarkDeadlinePages requests the officer's start page and /deadlines
// from the real server on benchData at 1 and 32 workers, reporting p50 and
// p99 and the process's CPU per request (client and server).
func BenchmarkDeadlinePages(b *testing.B) {
	db := benchData.New(b)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused/iop"}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		b.Fatal(err)
	}
	s, err := server.New(server.Deps{Config: cfg, DB: db, Auth: auth.NewService(db, hasher, time.Now),
		Keyring: benchKeys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	app := httptest.NewServer(s)
	b.Cleanup(app.Close)
	transport := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}
	b.Cleanup(transport.CloseIdleConnections)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: transport, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login(b, hc, app.URL, "handlaggare@iop.example")
	for _, page := range []struct{ name, path string }{{"home", "/"}, {"deadlines", "/deadlines"}} {
		for _, workers := range []int{1, 32} {
			b.Run(fmt.Sprintf("officer_%s/workers=%d", page.name, workers), func(b *testing.B) {
				load(b, hc, app.URL+page.path, workers)
			})
		}
	}
}

func login(b *testing.B, hc *http.Client, base, email string) {
	res, err := hc.PostForm(base+"/login", url.Values{"email": {email}, "password": {demo.Password}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		b.Fatalf("login %s: %v %v", email, res, err)
	}
	res.Body.Close()
	if res.Header.Get("Location") != "/login/totp" {
		return
	}
	secret := ""
	for _, d := range demo.Users {
		if d.Email == email {
			secret = d.TOTPSecret
		}
	}
	code, err := auth.Code(secret, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	res, err = hc.PostForm(base+"/login/totp", url.Values{"code": {code}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		b.Fatalf("login %s, one-time code: %v %v", email, res, err)
	}
	res.Body.Close()
}

// load requests u b.N times from workers goroutines and reports the
// latency percentiles and the CPU per request.
func load(b *testing.B, hc *http.Client, u string, workers int) {
	took := make([]time.Duration, b.N)
	var next sync.Mutex
	i := 0
	cpu0 := cpuTime()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= b.N {
					return
				}
				t0 := time.Now()
				res, err := hc.Get(u)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Errorf("%s: status %d", u, res.StatusCode)
					return
				}
				took[k] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(took)
	pct := func(p float64) float64 { return float64(took[min(len(took)-1, int(p*float64(len(took))))]) / 1e6 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/req")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
