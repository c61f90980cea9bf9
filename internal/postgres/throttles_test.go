package postgres_test

import (
	"context"
	"testing"
	"time"

	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestThrottlesCountLockAndForget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := postgres.NewThrottles(pgtest.New(t).Pool)
	now := time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)
	pair := postgres.ThrottleKey{Scope: "pair", Key: "192.0.2.1|a@iop.example"}
	account := postgres.ThrottleKey{Scope: "account", Key: "a@iop.example"}
	none := postgres.ThrottleKey{Scope: "ip", Key: "192.0.2.1"}

	fail := func(k postgres.ThrottleKey, at time.Time) int {
		t.Helper()
		n, err := s.RecordFailure(ctx, k, at, at.Add(-time.Hour), at.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for want := 1; want <= 3; want++ {
		if got := fail(pair, now); got != want {
			t.Fatalf("failure count %d, want %d", got, want)
		}
	}
	fail(account, now)
	// A failure after a quiet hour starts the count again.
	if got := fail(account, now.Add(61*time.Minute)); got != 1 {
		t.Errorf("count after the window = %d, want 1", got)
	}

	// A later, shorter lock does not shorten the one in place.
	if err := s.Lock(ctx, pair, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(ctx, pair, now.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	states, err := s.States(ctx, none, pair, account)
	if err != nil {
		t.Fatal(err)
	}
	if states[0] != (postgres.ThrottleState{}) || !states[1].LockedUntil.Equal(now.Add(time.Minute)) || !states[2].LockedUntil.IsZero() {
		t.Fatalf("states in key order: %+v", states)
	}

	// A success clears the failures and the lock and is remembered.
	if err := s.RecordSuccess(ctx, pair, now, now.Add(90*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	states, err = s.States(ctx, pair)
	if err != nil {
		t.Fatal(err)
	}
	if !states[0].LockedUntil.IsZero() || !states[0].LastSuccess.Equal(now) {
		t.Fatalf("after success: %+v", states[0])
	}
	if got := fail(pair, now); got != 1 {
		t.Errorf("first failure after a success counted as %d", got)
	}

	// Prune deletes only rows past keep_until, at most limit at a time; the
	// remembered success keeps the pair row for its 90 days.
	for _, k := range []string{"x@iop.example", "y@iop.example", "z@iop.example"} {
		fail(postgres.ThrottleKey{Scope: "account", Key: k}, now)
	}
	later := now.Add(3 * time.Hour)
	if n, err := s.Prune(ctx, later, 2); err != nil || n != 2 {
		t.Fatalf("first prune: %d, %v", n, err)
	}
	if n, err := s.Prune(ctx, later, 100); err != nil || n != 2 {
		t.Fatalf("second prune: %d, %v (want the last stale account row and a@)", n, err)
	}
	states, err = s.States(ctx, pair)
	if err != nil || !states[0].LastSuccess.Equal(now) {
		t.Fatalf("pair row pruned with its success: %+v, %v", states, err)
	}
}
