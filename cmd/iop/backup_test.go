package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestBackupAndRestore(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"backup", "--help"}, {"restore", "--help"}} {
		if out, err := iop(t, nil, "", args...); err != nil || !strings.Contains(out, "Usage") || !strings.Contains(out, "--file") {
			t.Errorf("iop %v: %v\n%s", args, err, out)
		}
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump is not installed; run scripts/deps.sh")
	}
	ctx := context.Background()
	env := identityEnv(t)
	env["DATABASE_URL"] = pgtest.NewDatabase(t)
	if out, err := iop(t, env, "", "demo", "load"); err != nil {
		t.Fatalf("demo load: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "iop.dump")
	if out, err := iop(t, env, "", "backup", "--file", file); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}

	target := map[string]string{"DATABASE_URL": pgtest.EmptyDatabase(t)}
	if out, err := iop(t, target, "", "restore", "--file", file); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	want, got := rowCounts(t, ctx, env["DATABASE_URL"]), rowCounts(t, ctx, target["DATABASE_URL"])
	if len(want) < 10 {
		t.Fatalf("only %d tables in the source", len(want))
	}
	for table, n := range want {
		if got[table] != n {
			t.Errorf("%s: %d rows restored, want %d", table, got[table], n)
		}
	}
	if want["activities"] == 0 || want["audit_events"] == 0 {
		t.Errorf("the demo data is missing from the source: %v", want)
	}

	// A database with tables is not overwritten by mistake.
	out, err := iop(t, target, "", "restore", "--file", file)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore into a non-empty database: %v\n%s", err, out)
	}
	if out, err := iop(t, target, "", "restore", "--file", file, "--force"); err != nil {
		t.Fatalf("restore --force: %v\n%s", err, out)
	}
	if got := rowCounts(t, ctx, target["DATABASE_URL"]); got["activities"] != want["activities"] {
		t.Errorf("after restore --force: %d activities, want %d", got["activities"], want["activities"])
	}
	if _, err := iop(t, env, "", "backup"); err == nil {
		t.Error("backup without --file accepted")
	}
}

// rowCounts counts the rows of every table of the database at url.
func rowCounts(t *testing.T, ctx context.Context, url string) map[string]int {
	t.Helper()
	db, err := postgres.Open(ctx, url, 10*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	counts := map[string]int{}
	for _, table := range tables {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM "`+table+`"`).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}
