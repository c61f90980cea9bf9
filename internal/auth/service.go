package auth

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// ErrInvalidCredentials is the one answer to a wrong password, an unknown
// e-mail and a disabled account alike, so that none can be told apart.
var ErrInvalidCredentials = errors.New("auth: invalid credentials")

// Service signs users in and changes accounts, auditing each step in the
// same transaction as the change.
type Service struct {
	db     *postgres.DB
	hasher *Hasher
	now    func() time.Time
}

// NewService returns the account service; now is the clock.
func NewService(db *postgres.DB, hasher *Hasher, now func() time.Time) *Service {
	return &Service{db: db, hasher: hasher, now: now}
}

// Login checks the e-mail and password from ip. It returns the user and
// what the user must still give before being signed in (see Factor), or
// ErrInvalidCredentials, or a *LockedError while throttled (see throttle.go).
// Only a login that needs nothing more is recorded as a login; one that
// needs a code is audited as "login.password" and completed by TOTP.Verify
// or TOTP.Enrol.
func (s *Service) Login(ctx context.Context, email, password, ip string) (partnership.User, Factor, error) {
	now := s.now()
	email = partnership.NormalizeEmail(email)
	key := emailKey(email)
	t := newThrottle(postgres.NewThrottles(s.db.Pool), key, ip)
	actor := partnership.Actor{IP: ip, Via: "web"}

	user, hash, err := postgres.NewUsers(s.db.Pool).Credentials(ctx, email)
	if err != nil && !errors.Is(err, partnership.ErrNotFound) {
		return partnership.User{}, FactorNone, err
	}
	// The counters are read, the password checked and a failure counted while
	// holding one of the hasher's slots: of a burst of attempts sent at once,
	// no more than there are slots can pass the check before a lock is set.
	err = s.hasher.withSlot(ctx, func() error {
		check, err := t.check(ctx, now)
		if err != nil {
			return err
		}
		if check.until.After(now) {
			err := s.audit(ctx, s.db.Pool, actor, "login.throttled", "user", "", map[string]any{"email": key})
			return errors.Join(&LockedError{Until: check.until, Now: now}, err)
		}
		ok, err := s.hasher.verify(password, hash)
		if err != nil {
			return fmt.Errorf("verify password: %w", err)
		}
		if ok && user.Active {
			return nil
		}
		reason := "wrong_password"
		switch {
		case hash == "":
			reason = "unknown_user"
		case ok:
			reason = "disabled"
		}
		return s.loginFailed(ctx, t, check.known, actor, user.ID, map[string]any{"email": key, "reason": reason}, ErrInvalidCredentials, now)
	})
	if err != nil {
		return partnership.User{}, FactorNone, err
	}

	var factor Factor
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := t.succeed(ctx, postgres.NewThrottles(tx), now); err != nil {
			return err
		}
		var err error
		if factor, err = s.factor(ctx, tx, user); err != nil {
			return err
		}
		if factor != FactorNone {
			return s.audit(ctx, tx, partnership.ActorOf(user, ip), "login.password", "user", strconv.FormatInt(user.ID, 10),
				map[string]any{"second_factor": map[Factor]string{FactorTOTP: "totp", FactorEnrol: "enrol"}[factor]})
		}
		return s.completeLogin(ctx, tx, user, ip, "password")
	})
	if err != nil {
		return partnership.User{}, FactorNone, err
	}
	return user, factor, nil
}

// completeLogin records and audits a finished login by method.
func (s *Service) completeLogin(ctx context.Context, tx pgx.Tx, u partnership.User, ip, method string) error {
	if err := postgres.NewUsers(tx).RecordLogin(ctx, u.ID, s.now()); err != nil {
		return err
	}
	return s.audit(ctx, tx, partnership.ActorOf(u, ip), "login", "user", strconv.FormatInt(u.ID, 10), map[string]any{"method": method})
}

// CompleteEnrolledLogin records the login of a user who has just enrolled a
// second factor after their password (see TOTP.Enrol).
func (s *Service) CompleteEnrolledLogin(ctx context.Context, u partnership.User, ip string) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error { return s.completeLogin(ctx, tx, u, ip, "password+totp_enrol") })
}

// Pending checks that a user half-way through a login (password given,
// code not yet) may still finish it: active, and with the same session
// epoch (no password reset or disabling since).
func (s *Service) Pending(ctx context.Context, id int64, epoch int) (partnership.User, Factor, error) {
	u, err := postgres.NewUsers(s.db.Pool).ByID(ctx, id)
	if err != nil {
		return partnership.User{}, FactorNone, err
	}
	if !u.Active || u.SessionEpoch != epoch {
		return partnership.User{}, FactorNone, partnership.ErrNotFound
	}
	f, err := s.factor(ctx, s.db.Pool, u)
	return u, f, err
}

// loginFailed counts and audits the failure and returns the error to show.
func (s *Service) loginFailed(ctx context.Context, t throttle, known bool, actor partnership.Actor, userID int64,
	details map[string]any, refused error, now time.Time) error {
	until, err := t.fail(ctx, now, known)
	if err != nil {
		return err
	}
	if err := s.auditLoginFailed(ctx, actor, userID, details); err != nil {
		return err
	}
	if !until.IsZero() {
		return &LockedError{Until: until, Now: now}
	}
	return refused
}

// auditLoginFailed records a refused login of userID (0: nobody known).
func (s *Service) auditLoginFailed(ctx context.Context, actor partnership.Actor, userID int64, details map[string]any) error {
	entityID := ""
	if userID != 0 {
		entityID = strconv.FormatInt(userID, 10)
	}
	return s.audit(ctx, s.db.Pool, actor, "login.failed", "user", entityID, details)
}

// RecordLogout audits the end of a session.
func (s *Service) RecordLogout(ctx context.Context, actor partnership.Actor) error {
	return s.audit(ctx, s.db.Pool, actor, "logout", "user", strconv.FormatInt(actor.UserID, 10), nil)
}

func (s *Service) audit(ctx context.Context, db postgres.DBTX, actor partnership.Actor, action, entity, entityID string, details map[string]any) error {
	return postgres.NewAudit(db).Record(ctx, actor.Event(action, entity, entityID, details))
}
