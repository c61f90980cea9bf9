package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// TwoFactor stores the second factors of local accounts (a sealed TOTP
// secret and hashed recovery codes) and the links of users to the
// municipality's identity provider. The rules live in package auth.
type TwoFactor struct{ db DBTX }

// NewTwoFactor returns a two-factor store on db.
func NewTwoFactor(db DBTX) *TwoFactor { return &TwoFactor{db: db} }

// TOTPSecret is a user's sealed TOTP secret.
type TOTPSecret struct {
	UserID      int64
	KeyID       string
	Secret      []byte
	LastStep    int64
	ConfirmedAt time.Time
}

// TOTP returns the user's TOTP secret, or partnership.ErrNotFound when the
// user has none.
func (s *TwoFactor) TOTP(ctx context.Context, userID int64) (TOTPSecret, error) {
	rows, _ := s.db.Query(ctx, `SELECT user_id, key_id, secret, last_step, confirmed_at FROM user_totp WHERE user_id = $1`, userID)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[TOTPSecret])
	if err != nil {
		return TOTPSecret{}, fmt.Errorf("read totp of user %d: %w", userID, mapError(err))
	}
	return t, nil
}

// SetTOTP stores the user's secret, replacing any earlier one, and removes
// the recovery codes of the earlier one.
func (s *TwoFactor) SetTOTP(ctx context.Context, t TOTPSecret) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO user_totp (user_id, key_id, secret, last_step, confirmed_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET key_id = excluded.key_id, secret = excluded.secret,
			last_step = excluded.last_step, confirmed_at = excluded.confirmed_at, created_at = now()`,
		t.UserID, t.KeyID, t.Secret, t.LastStep, t.ConfirmedAt)
	if err != nil {
		return fmt.Errorf("store totp of user %d: %w", t.UserID, mapError(err))
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, t.UserID); err != nil {
		return fmt.Errorf("drop recovery codes of user %d: %w", t.UserID, err)
	}
	return nil
}

// UseStep records that the code of step was accepted. It reports false when
// that step, or a later one, was used already: then the code is a replay.
func (s *TwoFactor) UseStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("use totp step of user %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// Remove deletes the user's TOTP secret and recovery codes; it reports
// whether there was a secret.
func (s *TwoFactor) Remove(ctx context.Context, userID int64) (bool, error) {
	if _, err := s.db.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return false, fmt.Errorf("drop recovery codes of user %d: %w", userID, err)
	}
	tag, err := s.db.Exec(ctx, `DELETE FROM user_totp WHERE user_id = $1`, userID)
	if err != nil {
		return false, fmt.Errorf("drop totp of user %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetRecoveryCodes replaces the user's recovery codes by the given hashes.
func (s *TwoFactor) SetRecoveryCodes(ctx context.Context, userID int64, hashes [][]byte) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("drop recovery codes of user %d: %w", userID, err)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, userID, hashes)
	if err != nil {
		return fmt.Errorf("store recovery codes of user %d: %w", userID, err)
	}
	return nil
}

// UseRecoveryCode marks the code with the given hash used; it reports false
// when the user has no such unused code.
func (s *TwoFactor) UseRecoveryCode(ctx context.Context, userID int64, hash []byte, at time.Time) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE user_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, userID, hash, at)
	if err != nil {
		return false, fmt.Errorf("use recovery code of user %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (s *TwoFactor) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count recovery codes of user %d: %w", userID, err)
	}
	return n, nil
}

// OIDCSubject returns the subject the user is linked to at issuer, or ""
// when the user has not signed in through it yet.
func (s *TwoFactor) OIDCSubject(ctx context.Context, userID int64, issuer string) (string, error) {
	var sub string
	err := s.db.QueryRow(ctx, `SELECT subject FROM user_oidc_links WHERE user_id = $1 AND issuer = $2`, userID, issuer).Scan(&sub)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read oidc link of user %d: %w", userID, err)
	}
	return sub, nil
}

// LinkOIDC links the user to subject at issuer. It fails with
// partnership.ErrConflict when the subject is linked to another user.
func (s *TwoFactor) LinkOIDC(ctx context.Context, userID int64, issuer, subject string) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO user_oidc_links (user_id, issuer, subject) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET issuer = excluded.issuer, subject = excluded.subject`, userID, issuer, subject)
	if uniqueViolation(err, "user_oidc_links_issuer_subject_key") {
		return fmt.Errorf("link user %d to oidc subject: %w", userID, partnership.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("link user %d to oidc subject: %w", userID, err)
	}
	return nil
}

// TOTPNotUnder returns, locked for update, the TOTP secrets sealed under
// another key than keyID: those a key rotation must seal again.
func (s *TwoFactor) TOTPNotUnder(ctx context.Context, keyID string) ([]TOTPSecret, error) {
	rows, _ := s.db.Query(ctx, `SELECT user_id, key_id, secret, last_step, confirmed_at FROM user_totp
		WHERE key_id <> $1 ORDER BY user_id FOR UPDATE`, keyID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[TOTPSecret])
	if err != nil {
		return nil, fmt.Errorf("read totp secrets to rotate: %w", err)
	}
	return list, nil
}

// Reseal replaces the sealed secret of a user, keeping the rest.
func (s *TwoFactor) Reseal(ctx context.Context, userID int64, keyID string, sealed []byte) error {
	if _, err := s.db.Exec(ctx, `UPDATE user_totp SET key_id = $2, secret = $3 WHERE user_id = $1`, userID, keyID, sealed); err != nil {
		return fmt.Errorf("reseal totp of user %d: %w", userID, err)
	}
	return nil
}
