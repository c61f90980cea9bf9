package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/demo"
	"iop/internal/postgres"
	"iop/internal/server"
)

// privateCluster is a PostgreSQL server of one test, durable (fsync and
// synchronous_commit on) and reachable only through a Unix socket in its
// own directory, so that the test may crash it without touching the
// shared test cluster.
type privateCluster struct {
	t      *testing.T
	bindir string
	dir    string // socket directory; the data directory is dir/pg
	asPG   bool   // run the server binaries as the system user postgres
}

// pgBindir finds the server binaries as scripts/db.sh does, or "".
func pgBindir() string {
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if isExec(filepath.Join(d, "pg_ctl")) && isExec(filepath.Join(d, "initdb")) {
			return d
		}
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Strings(found)
	for i := len(found) - 1; i >= 0; i-- {
		if d := filepath.Dir(found[i]); isExec(filepath.Join(d, "initdb")) {
			return d
		}
	}
	return ""
}

func isExec(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&0o111 != 0
}

func newPrivateCluster(t *testing.T) *privateCluster {
	t.Helper()
	bindir := pgBindir()
	if bindir == "" {
		t.Skip("no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin); scripts/deps.sh installs them")
	}
	// A short path under /tmp: the socket path must fit in 108 bytes.
	dir, err := os.MkdirTemp("/tmp", "iop-dur-")
	if err != nil {
		t.Fatal(err)
	}
	c := &privateCluster{t: t, bindir: bindir, dir: dir, asPG: os.Geteuid() == 0}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if c.asPG {
		// PostgreSQL refuses to run as root: the cluster belongs to postgres.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the system user postgres (scripts/db.sh creates it): %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	c.run("initdb", "-D", c.data(), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
	c.start()
	t.Cleanup(func() { c.pgctl("stop", "-m", "immediate") }) //nolint:errcheck // gone with its directory
	return c
}

func (c *privateCluster) data() string { return filepath.Join(c.dir, "pg") }

func (c *privateCluster) command(name string, args ...string) *exec.Cmd {
	bin := filepath.Join(c.bindir, name)
	var cmd *exec.Cmd
	if c.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	} else {
		cmd = exec.Command(bin, args...)
	}
	cmd.Dir = "/"
	return cmd
}

func (c *privateCluster) run(name string, args ...string) {
	c.t.Helper()
	if out, err := c.command(name, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (c *privateCluster) pgctl(args ...string) error {
	out, err := c.command("pg_ctl", append([]string{"-D", c.data()}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pg_ctl %v: %w\n%s", args, err, out)
	}
	return nil
}

// start starts the server and returns once it accepts connections.
func (c *privateCluster) start() {
	c.t.Helper()
	opts := fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=on -c synchronous_commit=on -c full_page_writes=on", c.dir)
	if err := c.pgctl("start", "-w", "-t", "20", "-l", filepath.Join(c.dir, "pg.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "pg.log"))
		c.t.Fatalf("%v\n%s", err, log)
	}
}

// database creates role and database iop and returns the application's URL.
func (c *privateCluster) database(ctx context.Context) string {
	c.t.Helper()
	conn, err := pgx.Connect(ctx, "postgres://postgres@/postgres?sslmode=disable&host="+url.QueryEscape(c.dir))
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{`CREATE ROLE iop LOGIN`, `CREATE DATABASE iop OWNER iop`} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			c.t.Fatal(err)
		}
	}
	return "postgres://iop@/iop?sslmode=disable&host=" + url.QueryEscape(c.dir)
}

// durabilityApp serves the real server over httptest on the private
// cluster, migrated and holding the demo data.
func durabilityApp(t *testing.T, pg *privateCluster) *app {
	t.Helper()
	ctx := context.Background()
	dbURL := pg.database(ctx)
	m, err := postgres.NewMigrator(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	m.Close()
	db, err := postgres.Open(ctx, dbURL, 5*time.Second, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	clk := &clock{t: time.Now()}
	// Cheap hashes: the test proves durability, not password strength, and
	// must stay fast on a loaded machine.
	cheap := auth.DefaultParams
	cheap.Memory = 64
	hasher, err := auth.NewHasher(cheap, 2)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db, hasher, clk.Now)
	if err := demo.Load(ctx, db, svc, demoKeys); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(k string) string { return map[string]string{"DATABASE_URL": dbURL}[k] })
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Deps{Config: cfg, DB: db, Auth: svc, Now: clk.Now, Keyring: demoKeys,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &app{t: t, db: db, auth: svc, clock: clk, srv: ts, app: s, keys: demoKeys}
}

// TestWritesSurviveDatabaseCrash logs activities from four workers while
// PostgreSQL is killed (pg_ctl stop -m immediate) and started again: every
// write the server confirmed with 303 must be there afterwards with its
// audit event, nothing after recovery may get a 5xx, and /readyz must be
// back within 2 s of PostgreSQL accepting connections.
func TestWritesSurviveDatabaseCrash(t *testing.T) {
	t.Parallel()
	begin := time.Now()
	pg := newPrivateCluster(t)
	a := durabilityApp(t, pg)
	t.Logf("private cluster and demo data ready in %v", time.Since(begin))
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Driftsäkerhet", "Linköpings kommun", ikfOrganisation)
	typ := types["Må bra-grupp"]

	const workers, perWorker = 4, 100
	var (
		mu        sync.Mutex
		confirmed []string // notes of the writes answered 303
		statuses  = map[int]int{}
		after5xx  []string // 5xx answers to requests sent after recovery
		afterOK   int      // writes confirmed after recovery
		recovered time.Time
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	session := loggedIn(a, ikfEmail).sessionCookie()
	for w := range workers {
		// One session for all: a login per worker only costs time.
		c := a.client()
		c.setSessionCookie(session)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				select {
				case <-stop:
					return
				default:
				}
				note := fmt.Sprintf("hållbarhet w%d-%d", w, i)
				form := logForm(typ, "2026-06-14")
				form.Set("notes", note)
				mu.Lock()
				sentAfterRecovery := !recovered.IsZero()
				mu.Unlock()
				req, _ := http.NewRequest(http.MethodPost, a.srv.URL+logPath(ag.ID), strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				res, err := c.hc.Do(req)
				if err != nil {
					t.Errorf("worker %d: %v", w, err)
					return
				}
				io.Copy(io.Discard, res.Body) //nolint:errcheck // only the status matters
				res.Body.Close()
				mu.Lock()
				statuses[res.StatusCode]++
				switch {
				case res.StatusCode == http.StatusSeeOther:
					confirmed = append(confirmed, note)
					if sentAfterRecovery {
						afterOK++
					}
				case res.StatusCode >= 500 && sentAfterRecovery:
					after5xx = append(after5xx, fmt.Sprintf("%s: %d", note, res.StatusCode))
				}
				mu.Unlock()
				// 503s come fast: slow down during the outage, so that the
				// bounded requests last until after recovery.
				pause := 10 * time.Millisecond
				if res.StatusCode == http.StatusServiceUnavailable {
					pause = 100 * time.Millisecond
				}
				time.Sleep(pause)
			}
		}()
	}

	time.Sleep(time.Second)
	if err := pg.pgctl("stop", "-m", "immediate"); err != nil {
		t.Fatal(err)
	}
	// Down for longer than pgxpool's 1 s idle ping threshold, so that every
	// connection left idle by the crash is checked before it is used again.
	time.Sleep(1200 * time.Millisecond)
	pg.start()
	accepting := time.Now()
	var readyAfter time.Duration
	for {
		res, err := http.Get(a.srv.URL + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				readyAfter = time.Since(accepting)
				break
			}
		}
		if time.Since(accepting) > 5*time.Second {
			t.Fatal("/readyz not 200 within 5 s of PostgreSQL accepting connections")
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	recovered = time.Now()
	mu.Unlock()
	time.Sleep(1500 * time.Millisecond)
	close(stop)
	wg.Wait()

	t.Logf("answers %v; %d confirmed, %d after recovery; /readyz back %v after PostgreSQL accepted connections", statuses, len(confirmed), afterOK, readyAfter)
	if readyAfter > 2*time.Second {
		t.Errorf("/readyz took %v to answer 200 after PostgreSQL accepted connections, want ≤ 2 s", readyAfter)
	}
	if afterOK == 0 {
		t.Error("no write was confirmed after recovery")
	}
	if len(after5xx) > 0 {
		t.Errorf("%d requests after recovery got 5xx: %v", len(after5xx), after5xx)
	}
	for code, n := range statuses {
		if code != http.StatusSeeOther && code != http.StatusServiceUnavailable {
			t.Errorf("%d answers %d: only 303 and, during the outage, 503 are expected", n, code)
		}
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Error("no request saw the outage: the crash came too late or too early to prove anything")
	}

	// Every confirmed write is there, once, with its audit event.
	ctx := context.Background()
	rows, err := a.db.Pool.Query(ctx, `
		SELECT a.notes, count(*), bool_and(EXISTS (SELECT 1 FROM audit_events e
			WHERE e.action = 'activity.create' AND e.details->>'activity_id' = a.id::text))
		FROM activities a WHERE a.agreement_id = $1 GROUP BY a.notes`, ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		n       int
		audited bool
	}
	found := map[string]stored{}
	for rows.Next() {
		var note string
		var s stored
		if err := rows.Scan(&note, &s.n, &s.audited); err != nil {
			t.Fatal(err)
		}
		found[note] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(confirmed) < 10 {
		t.Fatalf("only %d writes confirmed: too few to prove anything", len(confirmed))
	}
	for _, note := range confirmed {
		s := found[note]
		switch {
		case s.n == 0:
			t.Errorf("confirmed write %q lost in the crash", note)
		case s.n > 1:
			t.Errorf("write %q stored %d times", note, s.n)
		case !s.audited:
			t.Errorf("write %q stored without its audit event", note)
		}
	}
}
