package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestMigrationsUpDownUp(t *testing.T) {
	t.Parallel()
	url := pgtest.EmptyDatabase(t)
	m, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	list, _, err := m.Status()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	if err := m.Down(len(list)); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(context.Background(), url, 5*time.Second, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables int
	if err := db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables left after migrating all the way down", tables)
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	after, dirty, err := m.Status()
	if err != nil || dirty {
		t.Fatalf("status: %v dirty=%v", err, dirty)
	}
	for _, s := range after {
		if !s.Applied {
			t.Errorf("%s not applied after up", s.Name)
		}
	}
}

func TestAuditEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	audit := postgres.NewAudit(db.Pool)
	if err := audit.Record(ctx, partnership.AuditEvent{Action: "user.create", Entity: "user", EntityID: "7",
		Details: map[string]any{"role": "officer"}, ClientIP: "192.0.2.10"}); err != nil {
		t.Fatal(err)
	}
	events, err := audit.ForEntity(ctx, "user", "7", 10)
	if err != nil || len(events) != 1 || events[0].ClientIP != "192.0.2.10" || events[0].Details["role"] != "officer" {
		t.Fatalf("read back: %+v, %v", events, err)
	}
	for _, sql := range []string{`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`} {
		if _, err := db.Pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused", sql, err)
		}
	}
}

func TestUserEmailUniqueIgnoringCase(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	users := postgres.NewUsers(db.Pool)
	u := partnership.User{Email: "Anna@Kommun.se", Name: "Anna", Role: partnership.RoleOfficer}
	if _, err := users.Create(ctx, u, "hash"); err != nil {
		t.Fatal(err)
	}
	u.Email = "anna@kommun.SE"
	_, err := users.Create(ctx, u, "hash")
	var verr partnership.ValidationError
	if !errors.As(err, &verr) || verr["email"] == "" {
		t.Fatalf("duplicate e-mail: %v", err)
	}
	found, err := users.ByEmail(ctx, "ANNA@kommun.se")
	if err != nil || found.Email != "anna@kommun.se" {
		t.Fatalf("lookup: %+v %v", found, err)
	}
}

func TestAppRoleIsNotSuperuser(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var super bool
	if err := db.Pool.QueryRow(context.Background(),
		`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil {
		t.Fatal(err)
	}
	if super {
		t.Error("tests connect as a superuser; the app must not")
	}
}
