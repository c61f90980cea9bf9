package auth

import (
	"fmt"
	"time"
)

// Throttling: after Threshold failures within Window, each further failure
// locks the key for a delay that doubles from BaseDelay up to MaxDelay.
type throttlePolicy struct {
	Scope     string
	Threshold int
	Window    time.Duration
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// The account limit protects one user; the IP limit is higher because many
// officers may share one office address.
var (
	accountPolicy = throttlePolicy{Scope: "account", Threshold: 5, Window: time.Hour, BaseDelay: 30 * time.Second, MaxDelay: 15 * time.Minute}
	ipPolicy      = throttlePolicy{Scope: "ip", Threshold: 20, Window: time.Hour, BaseDelay: 30 * time.Second, MaxDelay: 15 * time.Minute}
)

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

// LockedError means logins are refused until Until because of repeated failures.
type LockedError struct {
	Until time.Time
	Now   time.Time
}

// Error is the Swedish message shown to the user.
func (e *LockedError) Error() string {
	wait := e.Until.Sub(e.Now)
	if wait < time.Minute {
		secs := int(wait.Round(time.Second).Seconds())
		return fmt.Sprintf("För många misslyckade inloggningsförsök. Vänta %d sekunder och försök igen.", max(secs, 1))
	}
	return fmt.Sprintf("För många misslyckade inloggningsförsök. Vänta %d minuter och försök igen.", int(wait.Round(time.Minute).Minutes()))
}
