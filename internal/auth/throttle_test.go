package auth

import (
	"testing"
	"time"
)

func TestLockForGrowsAndCaps(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{1, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute},
		{9, 8 * time.Minute}, {10, 15 * time.Minute}, {50, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := accountPolicy.lockFor(tt.failures); got != tt.want {
			t.Errorf("lockFor(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
}

func TestLockedErrorMessage(t *testing.T) {
	now := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	if got := (&LockedError{Until: now.Add(30 * time.Second), Now: now}).Error(); got != "För många misslyckade inloggningsförsök. Vänta 30 sekunder och försök igen." {
		t.Errorf("got %q", got)
	}
	if got := (&LockedError{Until: now.Add(8 * time.Minute), Now: now}).Error(); got != "För många misslyckade inloggningsförsök. Vänta 8 minuter och försök igen." {
		t.Errorf("got %q", got)
	}
}
