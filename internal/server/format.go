package server

import (
	"fmt"
	"time"

	"iop/internal/partnership"
	"iop/templates"
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

// pagerFor is the pager of page (from 1) of pages: its label and the links
// url makes to the pages before and after it.
func pagerFor(page, pages int, url func(page int) string) *templates.Pager {
	pager := &templates.Pager{Label: fmt.Sprintf("Sida %d av %d", page, pages)}
	if page > 1 {
		pager.Prev = url(page - 1)
	}
	if page < pages {
		pager.Next = url(page + 1)
	}
	return pager
}
