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
var ErrInvalidCredentials = errors.New("Fel e-postadress eller lösenord.")

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
// ErrInvalidCredentials, or a *LockedError while throttled.
func (s *Service) Login(ctx context.Context, email, password, ip string) (partnership.User, error) {
	now := s.now()
	key := partnership.NormalizeEmail(email)
	throttles := postgres.NewThrottles(s.db.Pool)
	actor := partnership.Actor{IP: ip, Via: "web"}

	var until time.Time
	for _, k := range []struct{ scope, key string }{{accountPolicy.Scope, key}, {ipPolicy.Scope, ip}} {
		u, err := throttles.LockedUntil(ctx, k.scope, k.key)
		if err != nil {
			return partnership.User{}, err
		}
		if u.After(until) {
			until = u
		}
	}
	if until.After(now) {
		err := s.audit(ctx, s.db.Pool, actor, "login.throttled", "user", "", map[string]any{"email": key})
		return partnership.User{}, errors.Join(&LockedError{Until: until, Now: now}, err)
	}

	user, hash, err := postgres.NewUsers(s.db.Pool).Credentials(ctx, key)
	if err != nil && !errors.Is(err, partnership.ErrNotFound) {
		return partnership.User{}, err
	}
	ok, verr := s.hasher.Verify(ctx, password, hash)
	if verr != nil {
		return partnership.User{}, fmt.Errorf("verify password: %w", verr)
	}
	if !ok || !user.Active {
		reason := "wrong_password"
		switch {
		case hash == "":
			reason = "unknown_user"
		case ok && !user.Active:
			reason = "disabled"
		}
		return partnership.User{}, s.loginFailed(ctx, throttles, actor, user.ID, key, reason, now)
	}

	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := postgres.NewThrottles(tx).Clear(ctx, accountPolicy.Scope, key); err != nil {
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

// loginFailed counts the failure against the account and the IP, locks them
// when their limits are reached, and returns the error to show.
func (s *Service) loginFailed(ctx context.Context, throttles *postgres.Throttles, actor partnership.Actor, userID int64, key, reason string, now time.Time) error {
	entityID := ""
	if userID != 0 {
		entityID = strconv.FormatInt(userID, 10)
	}
	var lockedUntil time.Time
	for _, p := range []struct {
		policy throttlePolicy
		key    string
	}{{accountPolicy, key}, {ipPolicy, actor.IP}} {
		failures, err := throttles.RecordFailure(ctx, p.policy.Scope, p.key, now, now.Add(-p.policy.Window))
		if err != nil {
			return err
		}
		if d := p.policy.lockFor(failures); d > 0 {
			until := now.Add(d)
			if err := throttles.Lock(ctx, p.policy.Scope, p.key, until); err != nil {
				return err
			}
			if until.After(lockedUntil) {
				lockedUntil = until
			}
		}
	}
	if err := s.audit(ctx, s.db.Pool, actor, "login.failed", "user", entityID, map[string]any{"email": key, "reason": reason}); err != nil {
		return err
	}
	if !lockedUntil.IsZero() {
		return &LockedError{Until: lockedUntil, Now: now}
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
