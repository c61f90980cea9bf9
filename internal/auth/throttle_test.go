package auth

import (
	"errors"
	"testing"
	"time"

	"iop/internal/partnership"
)

func TestThrottlePolicyDelaysGrowAndCap(t *testing.T) {
	tests := []struct {
		policy   throttlePolicy
		failures int
		want     time.Duration
	}{
		{pairPolicy, 1, 0}, {pairPolicy, 4, 0}, {pairPolicy, 5, 30 * time.Second}, {pairPolicy, 6, time.Minute},
		{pairPolicy, 7, 2 * time.Minute}, {pairPolicy, 9, 8 * time.Minute}, {pairPolicy, 10, 15 * time.Minute},
		{pairPolicy, 50, 15 * time.Minute},
		// The account-wide wait only slows: it never exceeds a minute.
		{accountPolicy, 9, 0}, {accountPolicy, 10, 5 * time.Second}, {accountPolicy, 12, 20 * time.Second},
		{accountPolicy, 14, time.Minute}, {accountPolicy, 1000, time.Minute},
		// A shared address is slowed, never locked: at most 30 seconds.
		{addressPolicy, 19, 0}, {addressPolicy, 20, 2 * time.Second}, {addressPolicy, 23, 16 * time.Second},
		{addressPolicy, 24, 30 * time.Second}, {addressPolicy, 1000, 30 * time.Second},
	}
	for _, tt := range tests {
		if got := tt.policy.lockFor(tt.failures); got != tt.want {
			t.Errorf("%s.lockFor(%d) = %v, want %v", tt.policy.Scope, tt.failures, got, tt.want)
		}
	}
}

func TestThrottleWaitRoundsUp(t *testing.T) {
	now := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	for wait, want := range map[time.Duration]time.Duration{
		-time.Minute: time.Second, 0: time.Second, 1500 * time.Millisecond: 2 * time.Second, 30 * time.Second: 30 * time.Second,
	} {
		if got := (&LockedError{Until: now.Add(wait), Now: now}).Wait(); got != want {
			t.Errorf("Wait() for %v = %v, want %v", wait, got, want)
		}
	}
}

func TestThrottleKeysOfOverlongEmailsAreBounded(t *testing.T) {
	long := string(make([]byte, 10000))
	if k := emailKey(long); len(k) > maxEmailKey || k != emailKey(long) {
		t.Errorf("emailKey of 10000 bytes = %q", k)
	}
	if k := emailKey("a@b.example"); k != "a@b.example" {
		t.Errorf("emailKey changed an ordinary address: %q", k)
	}
}

func TestMergeValidationRefusesOtherErrorsWithoutPanicking(t *testing.T) {
	other := errors.New("validator broke")
	if err := mergeValidation(partnership.ValidationError{"email": "x"}, other); !errors.Is(err, other) {
		t.Errorf("got %v, want the non-validation error passed on", err)
	}
	err := mergeValidation(partnership.ValidationError{"email": "first"}, nil,
		partnership.ValidationError{"email": "second", "password": "short"})
	var verr partnership.ValidationError
	if !errors.As(err, &verr) || verr["email"] != "first" || verr["password"] != "short" || len(verr) != 2 {
		t.Errorf("merged: %v", err)
	}
	if err := mergeValidation(nil, nil); err != nil {
		t.Errorf("no errors merged into %v", err)
	}
}
