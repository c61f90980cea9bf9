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

// Login checks the e-mail and password from ip. It returns the user, or
// ErrInvalidCredentials, or a *LockedError while throttled (see throttle.go).
func (s *Service) Login(ctx context.Context, email, password, ip string) (partnership.User, error) {
	now := s.now()
	email = partnership.NormalizeEmail(email)
	key := emailKey(email)
	t := newThrottle(postgres.NewThrottles(s.db.Pool), key, ip)
	actor := partnership.Actor{IP: ip, Via: "web"}

	user, hash, err := postgres.NewUsers(s.db.Pool).Credentials(ctx, email)
	if err != nil && !errors.Is(err, partnership.ErrNotFound) {
		return partnership.User{}, err
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
		return s.loginFailed(ctx, t, check.known, actor, user.ID, key, reason, now)
	})
	if err != nil {
		return partnership.User{}, err
	}

	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := t.succeed(ctx, postgres.NewThrottles(tx), now); err != nil {
			return err
		}
		if err := postgres.NewUsers(tx).RecordLogin(ctx, user.ID, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, partnership.ActorOf(user, ip), "login", "user", strconv.FormatInt(user.ID, 10), nil)
	})
	if err != nil {
		return partnership.User{}, err
	}
	return user, nil
}

// loginFailed counts and audits the failure and returns the error to show.
func (s *Service) loginFailed(ctx context.Context, t throttle, known bool, actor partnership.Actor, userID int64, key, reason string, now time.Time) error {
	until, err := t.fail(ctx, now, known)
	if err != nil {
		return err
	}
	entityID := ""
	if userID != 0 {
		entityID = strconv.FormatInt(userID, 10)
	}
	if err := s.audit(ctx, s.db.Pool, actor, "login.failed", "user", entityID, map[string]any{"email": key, "reason": reason}); err != nil {
		return err
	}
	if !until.IsZero() {
		return &LockedError{Until: until, Now: now}
	}
	return ErrInvalidCredentials
}

// RecordLogout audits the end of a session.
func (s *Service) RecordLogout(ctx context.Context, actor partnership.Actor) error {
	return s.audit(ctx, s.db.Pool, actor, "logout", "user", strconv.FormatInt(actor.UserID, 10), nil)
}

func (s *Service) audit(ctx context.Context, db postgres.DBTX, actor partnership.Actor, action, entity, entityID string, details map[string]any) error {
	return postgres.NewAudit(db).Record(ctx, actor.Event(action, entity, entityID, details))
}
