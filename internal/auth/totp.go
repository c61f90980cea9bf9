package auth

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/privacy"
)

// Factor is what a correct password still lacks before the user is signed in.
type Factor int

// The factors a password login can require.
const (
	// FactorNone: the password is enough (a role without an enrolled code).
	FactorNone Factor = iota
	// FactorTOTP: a code from the authenticator app, or a recovery code.
	FactorTOTP
	// FactorEnrol: the role requires a code but none is enrolled yet: the
	// user enrols one before being signed in.
	FactorEnrol
)

// RequiresTOTP reports whether a role must give a one-time code after its
// password: admins and officers, who see and change the most. Users who sign
// in through the municipality's identity provider give its second factor
// instead, so this applies to password logins only.
func RequiresTOTP(r partnership.Role) bool {
	return r == partnership.RoleAdmin || r == partnership.RoleOfficer
}

// TOTP parameters: the defaults of every authenticator app (RFC 6238: 30 s,
// six digits, HMAC-SHA-1). skewSteps is how many steps either side of now a
// code is accepted, for clocks that drift.
const (
	totpIssuer = "IOP"
	totpPeriod = 30
	skewSteps  = 1
	// RecoveryCodeCount is how many recovery codes an enrolment gives.
	RecoveryCodeCount = 10
	// recoveryAlphabet has no look-alike characters; twelve of them carry
	// about 59 bits, too many to guess, so a plain SHA-256 stores them safely.
	recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	recoveryLen      = 12
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// ErrInvalidCode is the one answer to a wrong, reused or expired code.
var ErrInvalidCode = errors.New("auth: invalid one-time code")

// errNoKeyring means the service was built without the keyring that seals
// TOTP secrets; serve never starts without one.
var errNoKeyring = errors.New("auth: no keyring to seal two-factor secrets")

// TOTP is the two-factor part of the account service. Secrets are sealed
// with the identity keyring (AES-256-GCM) under the additional data
// "totp:<user id>", so a sealed secret cannot be moved to another user and
// no participant identity can be opened as a secret or the reverse.
type TOTP struct {
	s    *Service
	keys *privacy.Keyring
}

// TOTP returns the two-factor use cases, sealing secrets with keys.
func (s *Service) TOTP(keys *privacy.Keyring) *TOTP { return &TOTP{s: s, keys: keys} }

// Enrolment is what the enrolment page shows: the secret as text for typing
// in by hand, the otpauth:// URI and the same as a QR code (a PNG data URI,
// drawn here, so the secret never leaves the server).
type Enrolment struct {
	Secret string
	URI    string
	QR     string
}

// NewSecret returns a fresh random secret (base32, 160 bits).
func NewSecret() (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: "x"})
	if err != nil {
		return "", fmt.Errorf("generate totp secret: %w", err)
	}
	return key.Secret(), nil
}

// EnrolmentFor builds the enrolment view of secret for the account email.
func EnrolmentFor(email, secret string) (Enrolment, error) {
	raw, err := decodeSecret(secret)
	if err != nil {
		return Enrolment{}, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: email, Secret: raw})
	if err != nil {
		return Enrolment{}, fmt.Errorf("totp key: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, fmt.Errorf("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, fmt.Errorf("encode qr code: %w", err)
	}
	return Enrolment{
		Secret: key.Secret(), URI: key.URL(),
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()),
	}, nil
}

func decodeSecret(secret string) ([]byte, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil || len(raw) < 10 {
		return nil, errors.New("auth: totp secret is not base32 of at least 80 bits")
	}
	return raw, nil
}

// Code is the code of secret at t, for tests and tools.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totpOpts)
}

// Step is the TOTP time step of t.
func Step(t time.Time) int64 { return t.Unix() / totpPeriod }

// matchStep returns the step within the skew whose code is code, or 0.
func matchStep(secret, code string, now time.Time) int64 {
	cur := Step(now)
	var found int64
	for step := cur - skewSteps; step <= cur+skewSteps; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			found = step
		}
	}
	return found
}

// factor is what a user who gave the right password still has to give.
func (s *Service) factor(ctx context.Context, db postgres.DBTX, u partnership.User) (Factor, error) {
	_, err := postgres.NewTwoFactor(db).TOTP(ctx, u.ID)
	switch {
	case err == nil:
		return FactorTOTP, nil
	case !errors.Is(err, partnership.ErrNotFound):
		return FactorNone, err
	case RequiresTOTP(u.Role):
		return FactorEnrol, nil
	}
	return FactorNone, nil
}

// Status says whether the user has a code enrolled and how many unused
// recovery codes are left.
func (t *TOTP) Status(ctx context.Context, userID int64) (enrolled bool, codesLeft int, err error) {
	store := postgres.NewTwoFactor(t.s.db.Pool)
	if _, err := store.TOTP(ctx, userID); errors.Is(err, partnership.ErrNotFound) {
		return false, 0, nil
	} else if err != nil {
		return false, 0, err
	}
	n, err := store.RecoveryCodesLeft(ctx, userID)
	return true, n, err
}

// Enrol activates secret for the acting user once code shows that their
// app holds it and returns fresh recovery codes to show once. A user who
// already has an app replaces it only with a code from it (or a recovery
// code) in current, checked and throttled like a login, so that a session
// left open is not enough to take over the second factor. Wrong codes are
// ValidationErrors on "code" and "current_code"; a throttled one is a
// *LockedError.
func (t *TOTP) Enrol(ctx context.Context, actor partnership.Actor, secret, code, current string) ([]string, error) {
	if t.keys == nil {
		return nil, errNoKeyring
	}
	if _, err := decodeSecret(secret); err != nil {
		return nil, err
	}
	step := matchStep(secret, normalizeCode(code), t.s.now())
	if step == 0 {
		return nil, partnership.ValidationError{"code": "Koden stämmer inte. Skriv in de sex siffror som appen visar just nu."}
	}
	if enrolled, _, err := t.Status(ctx, actor.UserID); err != nil {
		return nil, err
	} else if enrolled {
		_, th, err := t.verify(ctx, actor, current, "totp_replace")
		if errors.Is(err, ErrInvalidCode) {
			return nil, partnership.ValidationError{"current_code": "Koden från den app du använder nu stämmer inte eller har redan använts."}
		}
		if err != nil {
			return nil, err
		}
		if err := th.succeed(ctx, postgres.NewThrottles(t.s.db.Pool), t.s.now()); err != nil {
			return nil, err
		}
	}
	codes, hashes := newRecoveryCodes()
	err := t.s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := t.store(ctx, tx, actor.UserID, secret, step); err != nil {
			return err
		}
		if err := postgres.NewTwoFactor(tx).SetRecoveryCodes(ctx, actor.UserID, hashes); err != nil {
			return err
		}
		return t.s.audit(ctx, tx, actor, "user.totp_enrol", "user", strconv.FormatInt(actor.UserID, 10), nil)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

func (t *TOTP) store(ctx context.Context, tx pgx.Tx, userID int64, secret string, step int64) error {
	keyID, sealed, err := t.keys.Seal([]byte(secret), totpAAD(userID))
	if err != nil {
		return err
	}
	return postgres.NewTwoFactor(tx).SetTOTP(ctx, postgres.TOTPSecret{
		UserID: userID, KeyID: keyID, Secret: sealed, LastStep: step, ConfirmedAt: t.s.now(),
	})
}

func totpAAD(userID int64) []byte { return []byte("totp:" + strconv.FormatInt(userID, 10)) }

// Verify completes the login of u, who gave the right password, with a
// one-time code or a recovery code from ip. Attempts are throttled like
// passwords (counted under "totp:<user id>"), each code is accepted once,
// and the outcome is audited. It returns ErrInvalidCode or a *LockedError.
func (t *TOTP) Verify(ctx context.Context, u partnership.User, code, ip string) error {
	method, th, err := t.verify(ctx, partnership.ActorOf(u, ip), code, "totp")
	if err != nil {
		return err
	}
	return t.s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := th.succeed(ctx, postgres.NewThrottles(tx), t.s.now()); err != nil {
			return err
		}
		return t.s.completeLogin(ctx, tx, u, ip, "password+"+method)
	})
}

// verify checks a code of the acting user under the throttle and audits a
// failure with step; it returns "totp" or "recovery_code" and the throttle
// to clear on success.
func (t *TOTP) verify(ctx context.Context, actor partnership.Actor, code, step string) (string, throttle, error) {
	if t.keys == nil {
		return "", throttle{}, errNoKeyring
	}
	now := t.s.now()
	th := newThrottle(postgres.NewThrottles(t.s.db.Pool), "totp:"+strconv.FormatInt(actor.UserID, 10), actor.IP)
	entityID := strconv.FormatInt(actor.UserID, 10)
	code = normalizeCode(code)
	method := "totp"
	err := t.s.hasher.withSlot(ctx, func() error {
		check, err := th.check(ctx, now)
		if err != nil {
			return err
		}
		if check.until.After(now) {
			err := t.s.audit(ctx, t.s.db.Pool, actor, "login.throttled", "user", entityID, map[string]any{"step": step})
			return errors.Join(&LockedError{Until: check.until, Now: now}, err)
		}
		ok, reason, err := t.check(ctx, actor.UserID, code, now)
		if err != nil {
			return err
		}
		if ok {
			if len(code) != 6 {
				method = "recovery_code"
			}
			return nil
		}
		return t.s.loginFailed(ctx, th, check.known, actor, actor.UserID, map[string]any{"step": step, "reason": reason}, ErrInvalidCode, now)
	})
	return method, th, err
}

// check tells whether code is a fresh TOTP code or an unused recovery code
// of the user, and uses it up; otherwise it says why not.
func (t *TOTP) check(ctx context.Context, userID int64, code string, now time.Time) (bool, string, error) {
	store := postgres.NewTwoFactor(t.s.db.Pool)
	if len(code) != 6 {
		if len(code) != recoveryLen {
			return false, "malformed_code", nil
		}
		ok, err := store.UseRecoveryCode(ctx, userID, hashRecoveryCode(code), now)
		if !ok && err == nil {
			return false, "wrong_recovery_code", nil
		}
		return ok, "", err
	}
	row, err := store.TOTP(ctx, userID)
	if errors.Is(err, partnership.ErrNotFound) {
		return false, "not_enrolled", nil
	}
	if err != nil {
		return false, "", err
	}
	secret, err := t.keys.Open(row.KeyID, row.Secret, totpAAD(userID))
	if err != nil {
		return false, "", fmt.Errorf("open totp secret of user %d: %w", userID, err)
	}
	step := matchStep(string(secret), code, now)
	if step == 0 {
		return false, "wrong_code", nil
	}
	fresh, err := store.UseStep(ctx, userID, step)
	if !fresh && err == nil {
		return false, "reused_code", nil
	}
	return fresh, "", err
}

// normalizeCode drops the spaces and hyphens people type or copy along,
// and lower-cases recovery codes.
func normalizeCode(code string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}
