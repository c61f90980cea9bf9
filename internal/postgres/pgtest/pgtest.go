// Package pgtest gives each test its own PostgreSQL database, cloned from a
// template that has every migration applied. Cloning takes a few tens of
// milliseconds, so tests in all packages can run in parallel on real
// PostgreSQL. IOP_TEST_DATABASE_URL must name a superuser connection
// (`make test` sets it); the test databases belong to a non-superuser role,
// as the application's own database does.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"iop/internal/postgres"
	"iop/migrations"
)

const (
	appRole     = "iop_test"
	appPassword = "iop_test"
)

var (
	setupOnce sync.Once
	admin     *pgxpool.Pool
	adminURL  *url.URL
	template  string
	setupErr  error
)

// New returns a pool on a new migrated database, dropped when the test ends.
func New(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), NewDatabase(t), 30*time.Second, 8)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

// NewDatabase creates a migrated database for the test and returns the
// application role's URL for it.
func NewDatabase(t testing.TB) string {
	t.Helper()
	setup(t)
	return create(t, "TEMPLATE "+quote(template))
}

// EmptyDatabase creates a database without any migration applied.
func EmptyDatabase(t testing.TB) string {
	t.Helper()
	setup(t)
	return create(t, "")
}

func setup(t testing.TB) {
	t.Helper()
	setupOnce.Do(func() { setupErr = prepareTemplate(context.Background()) })
	if setupErr != nil {
		t.Fatalf("pgtest: %v", setupErr)
	}
}

func create(t testing.TB, clause string) string {
	t.Helper()
	ctx := context.Background()
	name := "iop_t_" + randomHex(8)
	sql := fmt.Sprintf("CREATE DATABASE %s OWNER %s %s", quote(name), appRole, clause)
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		_, err = admin.Exec(ctx, sql)
		// 55006: the template is briefly in use by another clone's check.
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(context.Background(), "DROP DATABASE "+quote(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return appURL(name)
}

// prepareTemplate creates the template database for the current migrations
// once, across all test processes, under an advisory lock.
func prepareTemplate(ctx context.Context) error {
	raw := os.Getenv("IOP_TEST_DATABASE_URL")
	if raw == "" {
		return errors.New("IOP_TEST_DATABASE_URL is not set: run `make test`, or set it to a PostgreSQL superuser URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("IOP_TEST_DATABASE_URL: %w", err)
	}
	adminURL = u
	admin, err = pgxpool.New(ctx, raw)
	if err != nil {
		return fmt.Errorf("connect as admin: %w", err)
	}
	sum, err := migrationsHash()
	if err != nil {
		return err
	}
	template = "iop_tmpl_" + sum[:16]

	conn, err := admin.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("connect as admin: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(72010001)"); err != nil {
		return err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock(72010001)") //nolint:errcheck // released with the session anyway

	var roleExists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", appRole).Scan(&roleExists); err != nil {
		return err
	}
	if !roleExists {
		if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s' NOSUPERUSER NOCREATEDB NOCREATEROLE", appRole, appPassword)); err != nil {
			return fmt.Errorf("create role %s: %w", appRole, err)
		}
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	// Build under another name and rename when complete, so that a crash
	// half-way never leaves a half-migrated template behind.
	building := template + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+quote(building)+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s OWNER %s", quote(building), appRole)); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	m, err := postgres.NewMigrator(appURL(building))
	if err != nil {
		return err
	}
	upErr := m.Up()
	closeErr := m.Close()
	if err := errors.Join(upErr, closeErr); err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", quote(building), quote(template))); err != nil {
		return fmt.Errorf("rename template: %w", err)
	}
	return nil
}

// appURL is the URL of database name for the application role.
func appURL(name string) string {
	u := *adminURL
	u.User = url.UserPassword(appRole, appPassword)
	u.Path = "/" + name
	return u.String()
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func quote(ident string) string { return `"` + ident + `"` }

// CutOff makes db's database unreachable, as a database server that is down
// would be to the application: its open connections are ended and new ones
// refused until the returned restore is called. Only this test's database
// is affected, so tests running beside it go on.
func CutOff(t testing.TB, db *postgres.DB) (restore func()) {
	t.Helper()
	ctx := context.Background()
	name := db.Pool.Config().ConnConfig.Database
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+quote(name)+" ALLOW_CONNECTIONS false"); err != nil {
		t.Fatalf("pgtest: cut off %s: %v", name, err)
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatalf("pgtest: end connections to %s: %v", name, err)
	}
	return func() {
		t.Helper()
		if _, err := admin.Exec(ctx, "ALTER DATABASE "+quote(name)+" ALLOW_CONNECTIONS true"); err != nil {
			t.Fatalf("pgtest: restore %s: %v", name, err)
		}
	}
}

// Seeded is a template database holding the migrated schema plus what a
// load function writes, made once per test process and cloned for each
// test: loading the same data for every test costs seconds, a clone tens of
// milliseconds. Its data must not depend on anything a test changes.
type Seeded struct {
	load func(ctx context.Context, db *postgres.DB) error
	once sync.Once
	name string
	err  error
}

// seededPrefix names the seeded templates; the creation time follows it, so
// that templates left behind by ended test processes can be dropped.
const seededPrefix = "iop_seed_"

// NewSeeded returns a seeded template that load fills on first use.
func NewSeeded(load func(ctx context.Context, db *postgres.DB) error) *Seeded {
	return &Seeded{load: load}
}

// New returns a pool on a new database cloned from the seeded template,
// dropped when the test ends.
func (s *Seeded) New(t testing.TB) *postgres.DB {
	t.Helper()
	setup(t)
	s.once.Do(func() { s.err = s.build(context.Background()) })
	if s.err != nil {
		t.Fatalf("pgtest: seeded template: %v", s.err)
	}
	db, err := postgres.Open(context.Background(), create(t, "TEMPLATE "+quote(s.name)), 30*time.Second, 8)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}

func (s *Seeded) build(ctx context.Context) error {
	dropStaleSeeded(ctx)
	name := fmt.Sprintf("%s%d_%s", seededPrefix, time.Now().Unix(), randomHex(4))
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s OWNER %s TEMPLATE %s", quote(name), appRole, quote(template))); err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	db, err := postgres.Open(ctx, appURL(name), 30*time.Second, 8)
	if err != nil {
		return err
	}
	loadErr := s.load(ctx, db)
	db.Close()
	if loadErr != nil {
		return fmt.Errorf("load %s: %w", name, loadErr)
	}
	s.name = name
	return nil
}

// dropStaleSeeded drops seeded templates older than a day: a test process
// cannot drop its own when it ends, and none runs that long.
func dropStaleSeeded(ctx context.Context) {
	rows, err := admin.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", seededPrefix+"%")
	if err != nil {
		return
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return
	}
	for _, n := range names {
		created, _, _ := strings.Cut(strings.TrimPrefix(n, seededPrefix), "_")
		if sec, err := strconv.ParseInt(created, 10, 64); err == nil && time.Since(time.Unix(sec, 0)) > 24*time.Hour {
			admin.Exec(ctx, "DROP DATABASE IF EXISTS "+quote(n)+" WITH (FORCE)") //nolint:errcheck // tidying only
		}
	}
}
