package main

import (
	"context"
	"strings"
	"testing"

	"iop/internal/postgres/pgtest"

	"github.com/jackc/pgx/v5"
)

func TestDemoGenerate(t *testing.T) {
	t.Parallel()
	if out, err := iop(t, nil, "", "demo", "generate", "--help"); err != nil || !strings.Contains(out, "--activities") {
		t.Fatalf("help: %v\n%s", err, out)
	}
	env := map[string]string{"DATABASE_URL": pgtest.NewDatabase(t)}
	if _, err := iop(t, env, "", "demo", "generate", "--years", "0"); err == nil {
		t.Error("--years 0 accepted")
	}
	out, err := iop(t, env, "", "demo", "generate", "--agreements", "3", "--participants", "50",
		"--activities", "1000", "--years", "2", "--seed", "3")
	if err != nil || !strings.Contains(out, "1000 activities") || !strings.Contains(out, "rows/s") || !strings.Contains(out, "\ractivities") {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM activities`).Scan(&n); err != nil || n != 1000 {
		t.Errorf("%d activities, %v", n, err)
	}
}
