package server

import (
	"time"
	_ "time/tzdata" // Europe/Stockholm must be known even on hosts without tzdata
)

// stockholm is the time zone every time is shown in.
var stockholm = mustLoadLocation("Europe/Stockholm")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// formatDateTime shows a moment as "2026-03-05 14:30" in Swedish time, or
// the fallback for nil.
func formatDateTime(t *time.Time, fallback string) string {
	if t == nil {
		return fallback
	}
	return t.In(stockholm).Format("2006-01-02 15:04")
}
