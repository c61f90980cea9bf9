package server_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/server"
)

// benchSizes is the generated data set of BenchmarkPages: modest by
// default, so that `make bench` stays short; IOP_BENCH_AGREEMENTS,
// IOP_BENCH_PARTICIPANTS, IOP_BENCH_ACTIVITIES and IOP_BENCH_YEARS give the
// municipality scale (300 / 60 000 / 2 000 000 / 10).
func benchSizes() demo.Sizes {
	size := func(name string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
			return n
		}
		return def
	}
	return demo.Sizes{
		Agreements:   size("IOP_BENCH_AGREEMENTS", 50),
		Participants: size("IOP_BENCH_PARTICIPANTS", 5_000),
		Activities:   size("IOP_BENCH_ACTIVITIES", 200_000),
		Years:        size("IOP_BENCH_YEARS", 5),
		LastYear:     time.Now().Year(),
		Seed:         1,
	}
}

// benchAgreement is the largest generated agreement, which the benchmark
// reads; set when benchData is built.
var benchAgreement atomic.Int64

// benchGenerated is what the generator wrote for benchData, and how fast.
var benchGenerated demo.Generated

// benchData is the demo data (its users of every role) plus a generated
// data set, whose largest agreement IKF is made a party to so that
// association staff read it too.
var benchData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		return err
	}
	if err := demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), demoKeys); err != nil {
		return err
	}
	got, err := demo.Generate(ctx, db, benchSizes(), nil)
	if err != nil {
		return err
	}
	benchGenerated = got
	id := got.Agreements[0].ID
	benchAgreement.Store(id)
	_, err = db.Pool.Exec(ctx, `INSERT INTO agreement_parties (agreement_id, organisation_id, role, position)
		SELECT $1, id, 'partner_association', 9 FROM organisations WHERE name = $2`,
		id, "Internationella Kvinnoföreningen Linköping (IKF)")
	return err
})

// benchSkipped are the GET routes the benchmark does not request: forms,
// confirmations, machine endpoints and what needs records the generator
// does not make.
func benchSkipped(route string) bool {
	for _, s := range []string{"/new", "/edit", "/delete", "/import", "/terminate", "/schedule", "/deviation",
		"/approve", "/paid", "/disable", "/password", "{token}", "{docID}", "{activityID}", "{typeID}", "{lineID}", "{totalID}", "{partyID}",
		"{invoiceID}", "{contactID}", "{meetingID}", "/login", "/healthz", "/readyz", "/metrics", "/static/", "*"} {
		if strings.Contains(route, s) {
			return true
		}
	}
	return false
}

// benchTarget is one request of the mix: a role's session and a path.
type benchTarget struct {
	role string
	hc   *http.Client
	path string
}

// benchServer is the real server on db, as `iop serve` builds it, with
// its log discarded.
func benchServer(b *testing.B, db *postgres.DB) *server.Server {
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
		Keyring: demoKeys, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// benchLogin signs hc in as the demo user email, giving the one-time code
// of the published demo secret when the role requires one.
func benchLogin(b *testing.B, hc *http.Client, base, email string) {
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

// benchClient is a client with its own cookie jar that does not follow
// redirects.
func benchClient(transport http.RoundTripper) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: transport, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func BenchmarkPages(b *testing.B) {
	db := benchData.New(b)
	ctx := context.Background()
	id := benchAgreement.Load()
	s := benchServer(b, db)
	app := httptest.NewServer(s)
	b.Cleanup(app.Close)
	bare := httptest.NewServer(barePage(db))
	b.Cleanup(bare.Close)
	transport := &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128}
	b.Cleanup(transport.CloseIdleConnections)

	var participant int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM participants WHERE agreement_id = $1 ORDER BY id LIMIT 1`, id).Scan(&participant); err != nil {
		b.Fatal(err)
	}
	var org, user int64
	if err := db.Pool.QueryRow(ctx, `SELECT organisation_id FROM agreement_parties WHERE agreement_id = $1 AND role = 'lead_association'`, id).Scan(&org); err != nil {
		b.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, officerEmail).Scan(&user); err != nil {
		b.Fatal(err)
	}
	// {id} is the agreement's, except in the organisation and user routes; {year} is last year.
	fill := strings.NewReplacer("{id}", strconv.FormatInt(id, 10), "{participantID}", strconv.FormatInt(participant, 10),
		"{year}", strconv.Itoa(time.Now().Year()-1))
	fillFor := func(pattern string) string {
		switch {
		case strings.HasPrefix(pattern, "/organisations/"):
			return strings.Replace(pattern, "{id}", strconv.FormatInt(org, 10), 1)
		case strings.HasPrefix(pattern, "/admin/users/"):
			return strings.Replace(pattern, "{id}", strconv.FormatInt(user, 10), 1)
		}
		return fill.Replace(pattern)
	}
	var paths []string
	for _, r := range s.Routes() {
		method, pattern, _ := strings.Cut(r, " ")
		if method != http.MethodGet || benchSkipped(pattern) {
			continue
		}
		paths = append(paths, fillFor(pattern))
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)

	// Each role's session requests the pages it may see (200 on a first
	// pass); the others it is refused are left out of the mix.
	var mix []benchTarget
	type timed struct {
		what string
		took time.Duration
	}
	var first []timed
	for _, c := range callers[1:] {
		hc := benchClient(transport)
		benchLogin(b, hc, app.URL, c.email)
		var refused []string
		for _, p := range paths {
			t0 := time.Now()
			status, err := fetch(hc, app.URL+p)
			first = append(first, timed{c.name + " " + p, time.Since(t0)})
			if err != nil {
				b.Fatal(err)
			}
			if status == http.StatusOK {
				mix = append(mix, benchTarget{role: c.name, hc: hc, path: p})
			} else {
				refused = append(refused, fmt.Sprintf("%s %d", p, status))
			}
		}
		b.Logf("%s: %d pages; not 200: %v", c.name, len(paths)-len(refused), refused)
	}
	slices.SortFunc(first, func(x, y timed) int { return int(y.took - x.took) })
	var slowest []string
	for _, t := range first[:min(12, len(first))] {
		slowest = append(slowest, fmt.Sprintf("%s %s", t.what, t.took.Round(time.Millisecond)))
	}
	b.Logf("slowest on the first pass: %s", strings.Join(slowest, ", "))
	g := benchGenerated
	b.Logf("generated %d rows in %s (%.0f rows/s, with VACUUM and ANALYZE); the agreement read has %d activities and %d participants",
		g.Rows(), g.Elapsed.Round(time.Millisecond), float64(g.Rows())/max(g.Elapsed.Seconds(), 0.001),
		g.Agreements[0].Activities, g.Agreements[0].Participants)
	sizes := benchSizes()
	b.Logf("data: %d agreements, %d participants, %d activities over %d years; agreement %d, %d requests in the mix",
		sizes.Agreements, sizes.Participants, sizes.Activities, sizes.Years, id, len(mix))

	plain := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	bareTarget := []benchTarget{{role: "bare", hc: plain, path: fmt.Sprintf("/bare/%d/activities", id)}}
	appTarget := []benchTarget{{role: "officer"}}
	for _, t := range mix {
		if t.role == "officer" && t.path == fmt.Sprintf("/agreements/%d/activities", id) {
			appTarget[0] = t
		}
	}
	// The same mix without the file exports, whose cost grows with the rows
	// they hold (a year of the largest agreement by default).
	var pages []benchTarget
	for _, t := range mix {
		if path.Ext(t.path) == "" {
			pages = append(pages, t)
		}
	}
	for _, workers := range []int{1, 32} {
		b.Run(fmt.Sprintf("every page/workers=%d", workers), func(b *testing.B) { load(b, app.URL, mix, workers) })
		b.Run(fmt.Sprintf("pages without exports/workers=%d", workers), func(b *testing.B) { load(b, app.URL, pages, workers) })
		var appCost benchCost
		b.Run(fmt.Sprintf("activity list/workers=%d", workers), func(b *testing.B) { appCost = load(b, app.URL, appTarget, workers) })
		b.Run(fmt.Sprintf("bare activity list/workers=%d", workers), func(b *testing.B) {
			bare := load(b, bare.URL, bareTarget, workers)
			if bare.wall > 0 && bare.cpu > 0 {
				b.ReportMetric(appCost.wall/bare.wall, "app/bare-time")
				b.ReportMetric(appCost.cpu/bare.cpu, "app/bare-cpu")
			}
		})
	}
	eachPage(b, app.URL, mix)
}

// benchCost is what a request cost on average in a load run.
type benchCost struct{ wall, cpu float64 }

// fetch requests url and reads the whole body, returning the status.
func fetch(hc *http.Client, url string) (int, error) {
	res, err := hc.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// load makes b.N requests over the targets in turn with the given number
// of workers and reports the latency percentiles, the rate and the process
// CPU time per request (client and server share the process; PostgreSQL's
// CPU is not in it).
func load(b *testing.B, base string, targets []benchTarget, workers int) benchCost {
	if targets[0].hc == nil {
		b.Skip("no such page in the mix")
		return benchCost{}
	}
	b.ResetTimer()
	run := measure(base, targets, b.N, workers)
	b.StopTimer()
	if run.failed > 0 {
		b.Errorf("%d of %d requests failed", run.failed, b.N)
	}
	b.ReportMetric(run.percentile(0.50), "p50-ms")
	b.ReportMetric(run.percentile(0.95), "p95-ms")
	b.ReportMetric(run.percentile(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/run.elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(run.cpu.Microseconds())/float64(b.N), "cpu-µs/req")
	b.ReportMetric(float64(maxRSS())/1024, "maxrss-MB")
	return benchCost{wall: float64(run.elapsed) / float64(b.N), cpu: float64(run.cpu) / float64(b.N)}
}

// loadRun is what n requests over some targets took.
type loadRun struct {
	latencies    []time.Duration // sorted
	elapsed, cpu time.Duration
	failed       int64
}

// percentile is the latency at p (0.99 for p99) in milliseconds.
func (r loadRun) percentile(p float64) float64 {
	l := r.latencies
	return float64(l[min(int(p*float64(len(l))), len(l)-1)].Microseconds()) / 1000
}

// measure makes n requests over the targets in turn with the given number
// of workers; a request fails unless it gets 200.
func measure(base string, targets []benchTarget, n, workers int) loadRun {
	latencies := make([]time.Duration, n)
	var next, failed atomic.Int64
	cpu0 := cpuTime()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				t := targets[i%len(targets)]
				t0 := time.Now()
				status, err := fetch(t.hc, base+t.path)
				latencies[i] = time.Since(t0)
				if err != nil || status != http.StatusOK {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	run := loadRun{latencies: latencies, elapsed: time.Since(start), cpu: cpuTime() - cpu0, failed: failed.Load()}
	slices.Sort(run.latencies)
	return run
}

// eachPage loads every page of the officer and the association staff, and
// every file the officer may download, on its own at 32 workers (96
// requests a page, 32 a file), and logs them slowest first: which pages
// meet p99 <= 50 ms at 32 workers, and what each costs.
func eachPage(b *testing.B, base string, mix []benchTarget) {
	const workers = 32
	var lines []string
	type result struct {
		what     string
		p50, p99 float64
		cpu      time.Duration
	}
	var results []result
	met := 0
	for _, t := range mix {
		file := path.Ext(t.path) != ""
		if t.role != "officer" && (t.role != "association_staff" || file) {
			continue
		}
		n := 3 * workers
		if file {
			n = workers
		}
		run := measure(base, []benchTarget{t}, n, workers)
		if run.failed > 0 {
			b.Errorf("%s %s: %d of %d requests failed", t.role, t.path, run.failed, n)
		}
		r := result{what: t.role + " " + t.path, p50: run.percentile(0.50), p99: run.percentile(0.99), cpu: run.cpu / time.Duration(n)}
		if r.p99 <= 50 {
			met++
		}
		results = append(results, r)
	}
	slices.SortFunc(results, func(x, y result) int { return cmp.Compare(y.p99, x.p99) })
	for _, r := range results {
		lines = append(lines, fmt.Sprintf("%-70s p50 %8.1f ms  p99 %8.1f ms  cpu %6d µs/req", r.what, r.p50, r.p99, r.cpu.Microseconds()))
	}
	b.Logf("each page alone at %d workers: %d of %d meet p99 <= 50 ms\n%s", workers, met, len(results), strings.Join(lines, "\n"))
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS is the process's peak resident set in KiB (Linux).
func maxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss
}

// bareRows renders the rows as templ's generated code writes a template
// (each value escaped, into a buffer), with no layout, session or policy:
// the least a page showing them must do.
func bareRows(list []partnership.Activity) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var buf bytes.Buffer
		buf.WriteString("<!doctype html><title>Aktiviteter</title><table>\n")
		for _, a := range list {
			buf.WriteString("<tr>")
			for _, v := range []string{a.Date.Format(time.DateOnly), a.TypeName, strconv.Itoa(a.DurationMinutes),
				strconv.Itoa(a.Women), strconv.Itoa(a.Men), a.Place} {
				buf.WriteString("<td>")
				buf.WriteString(templ.EscapeString(v))
			}
			buf.WriteString("</tr>\n")
		}
		buf.WriteString("</table>")
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// barePage is chi + templ + pgx serving the first page of an agreement's
// activities with the same store query as the app's list.
func barePage(db *postgres.DB) http.Handler {
	r := chi.NewRouter()
	store := postgres.NewActivities(db.Pool)
	r.Get("/bare/{id}/activities", func(w http.ResponseWriter, req *http.Request) {
		id, _ := strconv.ParseInt(chi.URLParam(req, "id"), 10, 64)
		page, err := store.List(req.Context(), id, partnership.ActivityFilter{}, nil, 50)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := bareRows(page.Activities).Render(req.Context(), w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	return r
}

// BenchmarkActivityImport posts import files of partnership.MaxActivityImportRows
// activities (the most one file may hold) through the real import path
// (upload, parsing and checking every row, the locked-year check, one COPY
// and the audit event in one transaction, the per-day sums kept by their
// trigger) into the largest generated agreement, one file after another,
// and reports the rows stored per second, the Go CPU per row and the
// PostgreSQL CPU per file. Timings are reported, never asserted.
func BenchmarkActivityImport(b *testing.B) {
	db := benchData.New(b)
	ctx := context.Background()
	id := benchAgreement.Load()
	app := httptest.NewServer(benchServer(b, db))
	b.Cleanup(app.Close)
	hc := benchClient(http.DefaultTransport)
	benchLogin(b, hc, app.URL, officerEmail)

	rows, err := db.Pool.Query(ctx, `SELECT name FROM activity_types WHERE agreement_id = $1 AND active ORDER BY position`, id)
	if err != nil {
		b.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(names) == 0 {
		b.Fatalf("types of agreement %d: %v %v", id, names, err)
	}
	today := time.Now()
	first := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	days := max(int(today.Sub(first).Hours()/24), 1)
	records := [][]string{partnership.ActivityImportColumns}
	for i := range partnership.MaxActivityImportRows {
		records = append(records, partnership.FormatActivityImportRow(partnership.Activity{
			TypeName: names[i%len(names)], Date: first.AddDate(0, 0, i%days), DurationMinutes: 30 + i%150,
			Women: i % 9, Men: i % 5, NonBinary: i % 2, Children: i % 4, VolunteerMinutes: i % 120,
			StaffPresent: 1 + i%3, Place: "Föreningens lokal", Notes: "Importerad i belastningstest",
		}))
	}
	file := partnership.WriteActivityCSV(records)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "aktiviteter.csv")
	if err != nil {
		b.Fatal(err)
	}
	fw.Write(file) //nolint:errcheck // a bytes.Buffer does not fail
	mw.Close()     //nolint:errcheck // a bytes.Buffer does not fail
	path := fmt.Sprintf("%s/agreements/%d/activities/import", app.URL, id)

	var before int64
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activities WHERE agreement_id = $1`, id).Scan(&before); err != nil {
		b.Fatal(err)
	}
	// The CPU time of the database's backends, when PostgreSQL runs on
	// this machine (from /proc; clock ticks of 10 ms), by process id.
	dbCPU := func() map[int]time.Duration {
		rows, err := db.Pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`)
		if err != nil {
			b.Fatal(err)
		}
		pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			b.Fatal(err)
		}
		out := map[int]time.Duration{}
		for _, pid := range pids {
			stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
			if err != nil {
				continue
			}
			_, rest, _ := strings.Cut(string(stat), ") ")
			f := strings.Fields(rest)
			user, _ := strconv.Atoi(f[11])
			system, _ := strconv.Atoi(f[12])
			out[int(pid)] = time.Duration(user+system) * 10 * time.Millisecond
		}
		return out
	}
	db0 := dbCPU()
	cpu0 := cpuTime()
	start := time.Now()
	for b.Loop() {
		res, err := hc.Post(path, mw.FormDataContentType(), bytes.NewReader(body.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		msg, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			b.Fatalf("import: %d\n%s", res.StatusCode, msg)
		}
	}
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	var dbUsed time.Duration
	for pid, t := range dbCPU() {
		dbUsed += t - db0[pid]
	}
	var after int64
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activities WHERE agreement_id = $1`, id).Scan(&after); err != nil {
		b.Fatal(err)
	}
	if want := int64(b.N * partnership.MaxActivityImportRows); after-before != want {
		b.Fatalf("stored %d activities, want %d", after-before, want)
	}
	n := float64(b.N * partnership.MaxActivityImportRows)
	b.ReportMetric(n/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(cpu.Microseconds())/n, "cpu-µs/row")
	b.ReportMetric(float64(len(file))/1024, "file-KiB")
	b.ReportMetric(float64(before), "rows-before")
	b.ReportMetric(dbUsed.Seconds()*1000/float64(b.N), "db-cpu-ms/file")
	b.ReportMetric(elapsed.Seconds()*1000/float64(b.N), "ms/file")
}
