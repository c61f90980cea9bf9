package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestPrivacyPurge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, args := range [][]string{{"privacy", "--help"}, {"privacy", "purge", "--help"}} {
		if out, err := iop(t, nil, "", args...); err != nil || !strings.Contains(out, "Usage") || !strings.Contains(out, "--dry-run") {
			t.Errorf("iop %v: %v\n%s", args, err, out)
		}
	}
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url, 10*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	env := map[string]string{"DATABASE_URL": url}
	out, err := iop(t, env, "", "privacy", "purge", "--dry-run")
	if err != nil || !strings.Contains(out, "provkörning") || !strings.Contains(out, "identiteter      0") {
		t.Fatalf("purge --dry-run: %v\n%s", err, out)
	}
	if out, err = iop(t, env, "", "privacy", "purge"); err != nil || !strings.Contains(out, "Gallrades") {
		t.Fatalf("purge: %v\n%s", err, out)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'retention.purge'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("a purge of nothing recorded %d events (%v)", n, err)
	}
	if _, err := iop(t, env, "", "privacy", "shred"); err == nil {
		t.Error("unknown subcommand accepted")
	}
}
