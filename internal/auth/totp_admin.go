package auth

// The administration of second factors: demo secrets, recovery codes, resets
// and key rotation. The login side is in totp.go.

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// EnrolFixed stores a known secret for a user who has none, without a code
// and without recovery codes: for the demo users only, whose secrets are
// published in the README.
func (t *TOTP) EnrolFixed(ctx context.Context, userID int64, secret string) error {
	if t.keys == nil {
		return errNoKeyring
	}
	if _, err := decodeSecret(secret); err != nil {
		return err
	}
	return t.s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewTwoFactor(tx).TOTP(ctx, userID); err == nil || !errors.Is(err, partnership.ErrNotFound) {
			return err
		}
		return t.store(ctx, tx, userID, secret, 0)
	})
}

// NewRecoveryCodes replaces the acting user's recovery codes by fresh ones.
func (t *TOTP) NewRecoveryCodes(ctx context.Context, actor partnership.Actor) ([]string, error) {
	codes, hashes := newRecoveryCodes()
	err := t.s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewTwoFactor(tx).TOTP(ctx, actor.UserID); err != nil {
			return err
		}
		if err := postgres.NewTwoFactor(tx).SetRecoveryCodes(ctx, actor.UserID, hashes); err != nil {
			return err
		}
		return t.s.audit(ctx, tx, actor, "user.totp_recovery_codes", "user", strconv.FormatInt(actor.UserID, 10), nil)
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// Reset removes a user's second factor (a lost phone): at the next password
// login an admin or officer enrols a new one. Only another user's: an admin
// who lost their own asks another admin.
func (t *TOTP) Reset(ctx context.Context, actor partnership.Actor, userID int64) error {
	return t.s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewUsers(tx).ByID(ctx, userID); err != nil {
			return err
		}
		had, err := postgres.NewTwoFactor(tx).Remove(ctx, userID)
		if err != nil {
			return err
		}
		return t.s.audit(ctx, tx, actor, "user.totp_reset", "user", strconv.FormatInt(userID, 10), map[string]any{"had_totp": had})
	})
}

// RotateKey seals every TOTP secret that is under an older key again under
// the keyring's current one, in one transaction, and returns how many. It
// runs with the rotation of participants' identities (iop identity
// rotate-key), which share the keyring: an old key may be dropped only
// when both report 0.
func (t *TOTP) RotateKey(ctx context.Context, actor partnership.Actor) (int, error) {
	if t.keys == nil {
		return 0, errNoKeyring
	}
	var n int
	err := t.s.db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewTwoFactor(tx)
		stale, err := store.TOTPNotUnder(ctx, t.keys.CurrentKeyID())
		if err != nil {
			return err
		}
		for _, row := range stale {
			keyID, sealed, err := t.keys.Reseal(row.KeyID, row.Secret, totpAAD(row.UserID))
			if err != nil {
				return fmt.Errorf("reseal totp secret of user %d: %w", row.UserID, err)
			}
			if err := store.Reseal(ctx, row.UserID, keyID, sealed); err != nil {
				return err
			}
		}
		n = len(stale)
		if n == 0 {
			return nil
		}
		return t.s.audit(ctx, tx, actor, "user.totp_rekey", "identity_key", t.keys.CurrentKeyID(), map[string]any{"count": n})
	})
	return n, err
}

// newRecoveryCodes returns RecoveryCodeCount codes to show (xxxx-xxxx-xxxx)
// and their hashes to store.
func newRecoveryCodes() ([]string, [][]byte) {
	codes := make([]string, RecoveryCodeCount)
	hashes := make([][]byte, RecoveryCodeCount)
	for i := range codes {
		c := randomFrom(recoveryAlphabet, recoveryLen)
		codes[i] = c[:4] + "-" + c[4:8] + "-" + c[8:]
		hashes[i] = hashRecoveryCode(c)
	}
	return codes, hashes
}

func hashRecoveryCode(code string) []byte {
	sum := sha256.Sum256([]byte("iop-recovery:" + code))
	return sum[:]
}
