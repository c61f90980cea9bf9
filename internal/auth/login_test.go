package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

const testPassword = "ratt-losenord-2026"

// fixture is the login service on its own database with a settable clock.
type fixture struct {
	t   *testing.T
	db  *postgres.DB
	svc *Service
	mu  sync.Mutex
	now time.Time
}

func newFixture(t *testing.T, slots int) *fixture {
	t.Helper()
	t.Parallel()
	f := &fixture{t: t, db: pgtest.New(t), now: time.Date(2026, 3, 5, 8, 0, 0, 0, time.UTC)}
	// Cheap hashing parameters: these tests make hundreds of attempts.
	hasher, err := NewHasher(argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}, slots)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = NewService(f.db, hasher, f.clock)
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func (f *fixture) user(email string) {
	f.t.Helper()
	_, _, err := f.svc.CreateUser(context.Background(), partnership.SystemActor("cli"),
		partnership.User{Email: email, Name: "Test Testsson", Role: partnership.RoleOfficer}, testPassword)
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) login(email, password, ip string) error {
	_, _, err := f.svc.Login(context.Background(), email, password, ip)
	return err
}

// mustLogin fails the test unless the correct password works at once.
func (f *fixture) mustLogin(email, ip string) {
	f.t.Helper()
	if err := f.login(email, testPassword, ip); err != nil {
		f.t.Fatalf("%s from %s: %v", email, ip, err)
	}
}

// fail makes one wrong attempt, waiting out any lock first as an attacker
// would, and returns the wait it met (0 if none).
func (f *fixture) fail(email, ip string) time.Duration {
	f.t.Helper()
	err := f.login(email, "fel-losenord-123", ip)
	var locked *LockedError
	if errors.As(err, &locked) {
		if errors.Is(err, ErrInvalidCredentials) {
			f.t.Fatal("locked and invalid at once")
		}
		f.advance(locked.Wait())
		if err := f.login(email, "fel-losenord-123", ip); err != nil && !errors.Is(err, ErrInvalidCredentials) && !errors.As(err, &locked) {
			f.t.Fatal(err)
		}
		return locked.Wait()
	}
	if !errors.Is(err, ErrInvalidCredentials) {
		f.t.Fatalf("wrong password for %s from %s: %v", email, ip, err)
	}
	return 0
}

func TestThrottleAttackerElsewhereCannotLockOwnerOut(t *testing.T) {
	f := newFixture(t, 2)
	const owner, home = "agare@iop.example", "198.51.100.7"
	f.user(owner)
	f.mustLogin(owner, home)

	// An attacker keeps guessing from one address, waiting out every lock:
	// that pair ends up locked for long, even for the right password, while
	// the owner at home signs in at once.
	for range 50 {
		f.fail(owner, "203.0.113.9")
	}
	var locked *LockedError
	if err := f.login(owner, testPassword, "203.0.113.9"); !errors.As(err, &locked) || locked.Wait() < 10*time.Minute {
		t.Fatalf("attacker's address after 50 failures: %v", err)
	}
	f.mustLogin(owner, home)

	// Others guess from 40 addresses: the account sees 200 more failures.
	for i := range 40 {
		for range 5 {
			f.fail(owner, fmt.Sprintf("192.0.2.%d", i+1))
		}
	}
	// At home the owner's right password works at once.
	f.mustLogin(owner, home)

	// From an address never used before, the owner is at most slowed by a
	// minute, and then signs in.
	f.fail(owner, "192.0.2.200")
	err := f.login(owner, testPassword, "198.51.100.99")
	if errors.As(err, &locked) {
		if locked.Wait() > time.Minute {
			t.Fatalf("owner at a new address must wait %v", locked.Wait())
		}
		f.advance(locked.Wait())
	} else if err != nil {
		t.Fatal(err)
	}
	f.mustLogin(owner, "198.51.100.99")
}

func TestThrottleSlowsSharedAddressWithoutLockingIt(t *testing.T) {
	f := newFixture(t, 2)
	const office = "192.0.2.50"
	f.user("kollega@iop.example")
	f.user("ny@iop.example")
	f.mustLogin("kollega@iop.example", office)

	// Many people behind one NAT address mistype: 60 failures over 30
	// accounts, known and unknown, each waiting out what it meets.
	var longest time.Duration
	for i := range 60 {
		longest = max(longest, f.fail(fmt.Sprintf("person%d@iop.example", i%30), office))
	}
	if longest == 0 || longest > 30*time.Second {
		t.Fatalf("longest wait behind the shared address = %v, want a slowdown of at most 30 s", longest)
	}
	// A colleague who has signed in from the office before is not slowed.
	f.mustLogin("kollega@iop.example", office)
	// A newcomer waits a few seconds at most, then signs in.
	f.fail("person1@iop.example", office)
	err := f.login("ny@iop.example", testPassword, office)
	var locked *LockedError
	if !errors.As(err, &locked) || locked.Wait() > 30*time.Second {
		t.Fatalf("newcomer behind a busy address: %v", err)
	}
	f.advance(locked.Wait())
	f.mustLogin("ny@iop.example", office)
}

func TestThrottleTreatsUnknownAccountsLikeKnownOnes(t *testing.T) {
	f := newFixture(t, 2)
	f.user("finns@iop.example")
	f.mustLogin("finns@iop.example", "198.51.100.1")

	// The same attempts at the same moments, for an account that exists and
	// one that does not, each from an address of its own.
	type outcome struct {
		msg  string
		wait time.Duration
	}
	attempt := func(email, ip string) outcome {
		err := f.login(email, "fel-losenord-123", ip)
		var locked *LockedError
		switch {
		case errors.As(err, &locked):
			return outcome{err.Error(), locked.Wait()}
		case errors.Is(err, ErrInvalidCredentials):
			return outcome{msg: err.Error()}
		}
		t.Fatal(err)
		return outcome{}
	}
	for i := range 40 {
		known := attempt("finns@iop.example", "203.0.113.1")
		unknown := attempt("finns-inte@iop.example", "203.0.113.2")
		if known != unknown {
			t.Fatalf("attempt %d: known account %+v, unknown %+v", i+1, known, unknown)
		}
		f.advance(time.Duration(i%7) * 10 * time.Second)
	}

	// The stored counters have the same shape too.
	shape := func(email, ip string) string {
		var s string
		err := f.db.Pool.QueryRow(context.Background(), `
			SELECT string_agg(concat_ws(' ', scope, failures, locked_until, last_success), '; ' ORDER BY scope)
			FROM login_throttles WHERE key IN ($1, $2, $3)`, email, ip, ip+"|"+email).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if k, u := shape("finns@iop.example", "203.0.113.1"), shape("finns-inte@iop.example", "203.0.113.2"); k != u {
		t.Errorf("counters differ: known %s, unknown %s", k, u)
	}
}

func TestThrottleSuccessClearsThePair(t *testing.T) {
	f := newFixture(t, 2)
	f.user("glomsk@iop.example")
	for range 4 {
		f.fail("glomsk@iop.example", "198.51.100.3")
	}
	f.mustLogin("glomsk@iop.example", "198.51.100.3")
	// Four more mistakes do not lock: the count started again.
	for i := range 4 {
		if wait := f.fail("glomsk@iop.example", "198.51.100.3"); wait != 0 {
			t.Fatalf("failure %d after a success met a wait of %v", i+1, wait)
		}
	}
}

func TestThrottleHoldsAgainstABurst(t *testing.T) {
	f := newFixture(t, 2)
	f.user("brad@iop.example")
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() { _ = f.login("brad@iop.example", "fel-losenord-123", "203.0.113.77") })
	}
	wg.Wait()
	// Every attempt that got as far as the password check was audited; with
	// two hasher slots, at most one ran alongside the fifth failure.
	var checked int
	if err := f.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_events WHERE action = 'login.failed'`).Scan(&checked); err != nil {
		t.Fatal(err)
	}
	if checked > pairPolicy.Threshold+1 {
		t.Errorf("%d of 30 simultaneous guesses were checked, want at most %d", checked, pairPolicy.Threshold+1)
	}
}

func TestThrottlePrunesStaleRows(t *testing.T) {
	f := newFixture(t, 2)
	for i := range 10 {
		f.fail(fmt.Sprintf("engang%d@iop.example", i), "203.0.113.5")
	}
	f.advance(2 * time.Hour)
	f.fail("sist@iop.example", "203.0.113.6")
	var rows int
	if err := f.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM login_throttles`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 3 {
		t.Errorf("%d throttle rows left, want only the last failure's 3", rows)
	}
}
