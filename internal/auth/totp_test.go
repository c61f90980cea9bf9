package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/privacy"
)

// totpFixture is an officer with a password on the login fixture.
func totpFixture(t *testing.T) (*fixture, *TOTP, partnership.User) {
	t.Helper()
	f := newFixture(t, 2)
	f.user("totp@iop.example")
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		t.Fatal(err)
	}
	u, err := postgres.NewUsers(f.db.Pool).ByEmail(context.Background(), "totp@iop.example")
	if err != nil {
		t.Fatal(err)
	}
	return f, f.svc.TOTP(keys), u
}

func (f *fixture) code(secret string) string {
	f.t.Helper()
	c, err := Code(secret, f.clock())
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func TestTOTPEnrolmentThenLoginOnceEachCode(t *testing.T) {
	f, tf, u := totpFixture(t)
	ctx := context.Background()
	// An officer without a second factor must enrol after the password.
	if _, factor, err := f.svc.Login(ctx, u.Email, testPassword, "10.0.0.1"); err != nil || factor != FactorEnrol {
		t.Fatalf("before enrolment: factor %v, %v", factor, err)
	}
	secret, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	e, err := EnrolmentFor(u.Email, secret)
	if err != nil || e.Secret != secret || len(e.QR) < 100 || e.URI == "" {
		t.Fatalf("enrolment view %+v %v", e, err)
	}
	actor := partnership.ActorOf(u, "10.0.0.1")
	var verr partnership.ValidationError
	if _, err := tf.Enrol(ctx, actor, secret, "000000", ""); !errors.As(err, &verr) || verr["code"] == "" {
		// (one in a million that 000000 is right; the clock is fixed, so it is not)
		t.Fatalf("wrong enrolment code: %v", err)
	}
	codes, err := tf.Enrol(ctx, actor, secret, f.code(secret), "")
	if err != nil || len(codes) != RecoveryCodeCount {
		t.Fatalf("enrol: %v %v", codes, err)
	}
	if _, factor, err := f.svc.Login(ctx, u.Email, testPassword, "10.0.0.1"); err != nil || factor != FactorTOTP {
		t.Fatalf("after enrolment: factor %v, %v", factor, err)
	}
	// The code that confirmed the enrolment cannot log in.
	if err := tf.Verify(ctx, u, f.code(secret), "10.0.0.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("enrolment code reused: %v", err)
	}
	f.advance(30 * time.Second)
	code := f.code(secret)
	if err := tf.Verify(ctx, u, code[:3]+" "+code[3:], "10.0.0.1"); err != nil {
		t.Fatalf("fresh code: %v", err)
	}
	// The same code again, within its window: refused.
	if err := tf.Verify(ctx, u, code, "10.0.0.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("replayed code: %v", err)
	}
	// A code of the step before the last accepted one is refused as well.
	f.advance(30 * time.Second)
	if err := tf.Verify(ctx, u, code, "10.0.0.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("older code: %v", err)
	}
	// A code two steps off is too old.
	old, _ := Code(secret, f.clock().Add(-90*time.Second))
	if err := tf.Verify(ctx, u, old, "10.0.0.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("expired code: %v", err)
	}
	// A recovery code works once, typed in upper case without hyphens too.
	if err := tf.Verify(ctx, u, codes[0], "10.0.0.1"); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if err := tf.Verify(ctx, u, codes[0], "10.0.0.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("recovery code reused: %v", err)
	}
	if _, left, err := tf.Status(ctx, u.ID); err != nil || left != RecoveryCodeCount-1 {
		t.Fatalf("codes left %d %v", left, err)
	}
	// The secret is stored sealed, bound to the user.
	row, err := postgres.NewTwoFactor(f.db.Pool).TOTP(ctx, u.ID)
	if err != nil || string(row.Secret) == secret || len(row.Secret) < 40 {
		t.Fatalf("stored secret %q %v", row.Secret, err)
	}
	if _, err := tf.keys.Open(row.KeyID, row.Secret, totpAAD(u.ID+1)); err == nil {
		t.Fatal("the sealed secret opens for another user")
	}
	// A reset removes it: the officer enrols again at the next login.
	if err := tf.Reset(ctx, partnership.SystemActor("cli"), u.ID); err != nil {
		t.Fatal(err)
	}
	if _, factor, err := f.svc.Login(ctx, u.Email, testPassword, "10.0.0.1"); err != nil || factor != FactorEnrol {
		t.Fatalf("after reset: factor %v, %v", factor, err)
	}
}

func TestTOTPWrongCodesAreThrottled(t *testing.T) {
	f, tf, u := totpFixture(t)
	ctx := context.Background()
	secret, _ := NewSecret()
	if err := tf.EnrolFixed(ctx, u.ID, secret); err != nil {
		t.Fatal(err)
	}
	var locked *LockedError
	for i := range pairPolicy.Threshold {
		err := tf.Verify(ctx, u, "123456", "10.0.0.2")
		if i < pairPolicy.Threshold-1 && !errors.Is(err, ErrInvalidCode) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		if i == pairPolicy.Threshold-1 && !errors.As(err, &locked) {
			t.Fatalf("attempt %d: %v, want a lock", i+1, err)
		}
	}
	// Even the right code waits out the lock.
	if err := tf.Verify(ctx, u, f.code(secret), "10.0.0.2"); !errors.As(err, &locked) {
		t.Fatalf("right code while locked: %v", err)
	}
	f.advance(locked.Wait())
	if err := tf.Verify(ctx, u, f.code(secret), "10.0.0.2"); err != nil {
		t.Fatalf("right code after the lock: %v", err)
	}
}

func TestOptionalRolesNeedNoCodeUntilTheyEnrol(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	keys, _ := privacy.EphemeralKeyring()
	u, _, err := f.svc.CreateUser(ctx, partnership.SystemActor("cli"),
		partnership.User{Email: "lasare@iop.example", Name: "Läs Läsare", Role: partnership.RoleViewer}, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, factor, err := f.svc.Login(ctx, u.Email, testPassword, "10.0.0.3"); err != nil || factor != FactorNone {
		t.Fatalf("viewer without code: %v %v", factor, err)
	}
	secret, _ := NewSecret()
	if _, err := f.svc.TOTP(keys).Enrol(ctx, partnership.ActorOf(u, "10.0.0.3"), secret, f.code(secret), ""); err != nil {
		t.Fatal(err)
	}
	if _, factor, err := f.svc.Login(ctx, u.Email, testPassword, "10.0.0.3"); err != nil || factor != FactorTOTP {
		t.Fatalf("viewer with code: %v %v", factor, err)
	}
}

func TestTOTPRotateKeySealsUnderTheNewKey(t *testing.T) {
	f, _, u := totpFixture(t)
	ctx := context.Background()
	key := func(b byte) []byte { k := make([]byte, privacy.KeySize); k[0] = b; return k }
	oldRing, err := privacy.NewKeyring(key(1), nil, key(9))
	if err != nil {
		t.Fatal(err)
	}
	newRing, err := privacy.NewKeyring(key(2), [][]byte{key(1)}, key(9))
	if err != nil {
		t.Fatal(err)
	}
	onlyNew, err := privacy.NewKeyring(key(2), nil, key(9))
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := NewSecret()
	if err := f.svc.TOTP(oldRing).EnrolFixed(ctx, u.ID, secret); err != nil {
		t.Fatal(err)
	}
	rotated := f.svc.TOTP(newRing)
	if n, err := rotated.RotateKey(ctx, partnership.SystemActor("cli")); err != nil || n != 1 {
		t.Fatalf("rotate: %d %v", n, err)
	}
	if n, err := rotated.RotateKey(ctx, partnership.SystemActor("cli")); err != nil || n != 0 {
		t.Fatalf("second rotate: %d %v", n, err)
	}
	// With the old key dropped, the code still works.
	if err := f.svc.TOTP(onlyNew).Verify(ctx, u, f.code(secret), "10.0.0.4"); err != nil {
		t.Fatalf("code after rotation: %v", err)
	}
}
