package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"iop/internal/postgres"
)

// throttlePolicy is one of the three limits on failed logins. Every failed
// login counts against all three:
//
//   - per pair of e-mail address and client address: 5 failures within an
//     hour lock the pair for 30 s, doubling with each further failure up to
//     15 min. Only that e-mail from that address is stopped, so an attacker
//     elsewhere cannot lock the owner out at their own address.
//   - per account, from any address: from 10 failures within an hour on,
//     each failure makes the account wait 5 s, doubling up to 1 min. A guess
//     spread over many addresses gets about one try a minute at most, and
//     the owner, at worst, waits a minute.
//   - per client address, for any e-mail: from 20 failures within an hour
//     on, each failure makes the address wait 2 s, doubling up to 30 s. A
//     password spray from one address is slowed; an office behind one NAT
//     address is never locked out.
//
// An address from which the account signed in within knownAddressTTL is
// exempt from the account and address waits: there only its own pair limit
// applies, so neither a distributed attacker nor a noisy colleague behind the
// same NAT can keep the owner out where they usually sign in. Both a capped
// wait and the exemption, rather than either: a wait alone can be re-armed
// by a patient attacker the moment it ends, and an exemption alone would let
// them lock the owner out wherever the owner has not signed in before.
//
// An e-mail address that names no account is counted under the same keys,
// with the same queries, messages and timings as one that does, so
// throttling does not tell which accounts exist. The exemption is the one
// difference, and it shows only from an address where the owner has signed
// in, to someone who has also run up the account or address count.
type throttlePolicy struct {
	Scope     string
	Threshold int
	Window    time.Duration
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

var (
	pairPolicy    = throttlePolicy{Scope: "pair", Threshold: 5, Window: time.Hour, BaseDelay: 30 * time.Second, MaxDelay: 15 * time.Minute}
	accountPolicy = throttlePolicy{Scope: "account", Threshold: 10, Window: time.Hour, BaseDelay: 5 * time.Second, MaxDelay: time.Minute}
	addressPolicy = throttlePolicy{Scope: "ip", Threshold: 20, Window: time.Hour, BaseDelay: 2 * time.Second, MaxDelay: 30 * time.Second}
)

// knownAddressTTL is how long a successful login exempts its address from
// the account and address waits: long enough to cover holidays.
const knownAddressTTL = 90 * 24 * time.Hour

// pruneBatch bounds the stale throttle rows deleted per failed login.
const pruneBatch = 100

// lockFor returns how long to lock after the given number of failures, or 0.
func (p throttlePolicy) lockFor(failures int) time.Duration {
	if failures < p.Threshold {
		return 0
	}
	d := p.BaseDelay
	for i := p.Threshold; i < failures && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// maxEmailKey is the longest e-mail address an account can have; longer
// input is hashed before it becomes a key, so that no one can make the
// throttle table's index entries (or the audit log) arbitrarily large.
const maxEmailKey = 254

// emailKey is how a normalised e-mail address is counted and audited.
func emailKey(email string) string {
	if len(email) <= maxEmailKey {
		return email
	}
	sum := sha256.Sum256([]byte(email))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// throttle is the set of counters one login attempt touches.
type throttle struct {
	store                  *postgres.Throttles
	pair, account, address postgres.ThrottleKey
}

func newThrottle(store *postgres.Throttles, email, ip string) throttle {
	// A client address never contains "|", so the pair key splits one way only.
	return throttle{
		store:   store,
		pair:    postgres.ThrottleKey{Scope: pairPolicy.Scope, Key: ip + "|" + email},
		account: postgres.ThrottleKey{Scope: accountPolicy.Scope, Key: email},
		address: postgres.ThrottleKey{Scope: addressPolicy.Scope, Key: ip},
	}
}

// throttleCheck is what the counters said before an attempt.
type throttleCheck struct {
	known bool
	until time.Time
}

// check reads the counters: whether the account has signed in from this
// address recently, and until when this attempt must wait.
func (t throttle) check(ctx context.Context, now time.Time) (throttleCheck, error) {
	states, err := t.store.States(ctx, t.pair, t.account, t.address)
	if err != nil {
		return throttleCheck{}, err
	}
	pair, account, address := states[0], states[1], states[2]
	c := throttleCheck{known: !pair.LastSuccess.IsZero() && now.Sub(pair.LastSuccess) < knownAddressTTL, until: pair.LockedUntil}
	if !c.known {
		c.until = latest(c.until, account.LockedUntil, address.LockedUntil)
	}
	return c, nil
}

// fail counts a failure on every counter, locks those past their threshold,
// prunes stale rows and returns until when this pair must now wait (zero if
// it need not). Counters that do not apply to a known address still count,
// so that they keep stopping everyone else.
func (t throttle) fail(ctx context.Context, now time.Time, known bool) (time.Time, error) {
	var until time.Time
	for _, c := range []struct {
		policy  throttlePolicy
		key     postgres.ThrottleKey
		applies bool
	}{{pairPolicy, t.pair, true}, {accountPolicy, t.account, !known}, {addressPolicy, t.address, !known}} {
		failures, err := t.store.RecordFailure(ctx, c.key, now, now.Add(-c.policy.Window), now.Add(c.policy.Window))
		if err != nil {
			return time.Time{}, err
		}
		d := c.policy.lockFor(failures)
		if d == 0 {
			continue
		}
		if err := t.store.Lock(ctx, c.key, now.Add(d)); err != nil {
			return time.Time{}, err
		}
		if c.applies {
			until = latest(until, now.Add(d))
		}
	}
	if _, err := t.store.Prune(ctx, now, pruneBatch); err != nil {
		return time.Time{}, err
	}
	return until, nil
}

// succeed clears the pair's failures and remembers its address as known.
// Store is the transaction of the login.
func (t throttle) succeed(ctx context.Context, store *postgres.Throttles, now time.Time) error {
	return store.RecordSuccess(ctx, t.pair, now, now.Add(knownAddressTTL))
}

func latest(ts ...time.Time) time.Time {
	var l time.Time
	for _, t := range ts {
		if t.After(l) {
			l = t
		}
	}
	return l
}

// LockedError means logins are refused until Until because of repeated failures.
type LockedError struct {
	Until time.Time
	Now   time.Time
}

// Wait is how long the user must wait, rounded up to a whole second so that
// trying again after the time shown always works.
func (e *LockedError) Wait() time.Duration {
	return max(ceilTo(e.Until.Sub(e.Now), time.Second), time.Second)
}

// Error says for how long logins are refused; what the user reads is the
// server's to word, from Wait.
func (e *LockedError) Error() string {
	return fmt.Sprintf("auth: login throttled for %v", e.Wait())
}

// ceilTo rounds d up to a multiple of unit.
func ceilTo(d, unit time.Duration) time.Duration {
	if r := d % unit; r > 0 {
		d += unit - r
	}
	return d
}
