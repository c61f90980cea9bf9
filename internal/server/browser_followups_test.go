package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/demo"
)

// TestBrowserStaffRecordsFollowUp: IKF's staff open the overdue list,
// follow the participant's code to its page and record the 6-month
// follow-up; the list no longer shows it. Every page is checked with axe
// on the way.
func TestBrowserStaffRecordsFollowUp(t *testing.T) {
	a := newApp(t)
	f := newFollowUpFixture(t, a)
	today := swedishToday(t, a)
	b := newBrowser(t, a)
	b.login(ikfEmail, demo.Password)
	b.visit(f.agreement + "/participants")
	b.submit(`[data-testid="followup-overdue-link"]`)
	if got := b.text(`[data-testid="overdue-table"]`); !strings.Contains(got, f.code) {
		t.Fatalf("overdue list %q lacks %s", got, f.code)
	}
	b.submit(`[data-testid="overdue-table"] a[href="` + f.page + `"]`)
	form := `[data-testid="followup-form-6"] `
	b.do("fill in the follow-up",
		chromedp.SetValue(chromedp.CSS(form+`input[name="done_on"]`), today),
		chromedp.SetValue(chromedp.CSS(form+`select[name="destination"]`), "studies"),
		chromedp.SetValue(chromedp.CSS(form+`select[name="self_supporting"]`), "yes"),
		chromedp.SetValue(chromedp.CSS(form+`textarea[name="note"]`), "Läser på Komvux."))
	b.submit(`[data-testid="followup-submit-6"]`)
	if flash := b.text(".flash"); !strings.Contains(flash, "Uppföljningen efter 6 månader av "+f.code) {
		t.Errorf("flash %q", flash)
	}
	if got := b.text(`[data-testid="followup-6"]`); !strings.Contains(got, today) || !strings.Contains(got, "Studier") || !strings.Contains(got, "Ja") {
		t.Errorf("follow-up row %q", got)
	}
	b.visit(f.agreement + "/followups/overdue")
	if got := b.text("main"); strings.Contains(got, f.code) {
		t.Errorf("the recorded follow-up is still overdue: %q", got)
	}
}
