package server

import (
	"testing"
	"time"

	"iop/internal/auth"
)

// TestThrottleMessageGrammar: the wait the throttle asks for, rounded up as
// auth.LockedError.Wait rounds it, in correct Swedish singular and plural.
func TestThrottleMessageGrammar(t *testing.T) {
	now := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	const prefix, suffix = "För många misslyckade inloggningsförsök. Vänta ", " och försök igen."
	tests := []struct {
		wait time.Duration
		want string
	}{
		{-time.Second, "1 sekund"},
		{0, "1 sekund"},
		{200 * time.Millisecond, "1 sekund"},
		{time.Second, "1 sekund"},
		{1001 * time.Millisecond, "2 sekunder"},
		{2 * time.Second, "2 sekunder"},
		{30 * time.Second, "30 sekunder"},
		{59 * time.Second, "59 sekunder"},
		{59*time.Second + 100*time.Millisecond, "1 minut"},
		{time.Minute, "1 minut"},
		{61 * time.Second, "2 minuter"},
		{2 * time.Minute, "2 minuter"},
		{8 * time.Minute, "8 minuter"},
		{15 * time.Minute, "15 minuter"},
	}
	for _, tt := range tests {
		wait := (&auth.LockedError{Until: now.Add(tt.wait), Now: now}).Wait()
		if got, want := loginWaitMessage(wait), prefix+tt.want+suffix; got != want {
			t.Errorf("wait %v: got %q, want %q", tt.wait, got, want)
		}
	}
}
