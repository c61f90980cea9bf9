package server

import (
	"time"

	"iop/internal/partnership"
)

// stockholm is the time zone every time is shown in.
var stockholm = partnership.Stockholm

// formatDateTime shows a moment as "2026-03-05 14:30" in Swedish time, or
// the fallback for nil.
func formatDateTime(t *time.Time, fallback string) string {
	if t == nil {
		return fallback
	}
	return t.In(stockholm).Format("2006-01-02 15:04")
}
