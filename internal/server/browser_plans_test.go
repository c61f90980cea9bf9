package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/demo"
)

// TestBrowserStaffRecordsAssessmentAndGoal: IKF's staff records an
// assessment on GA-modellen and an IUP goal from the participant page;
// the page shows the figures, and axe checks every page on the way.
func TestBrowserStaffRecordsAssessmentAndGoal(t *testing.T) {
	a := newApp(t)
	p := newParticipantFixture(t, a)
	today := swedishToday(t, a)
	b := newBrowser(t, a)
	b.login(ikfEmail, demo.Password)
	b.visit(p.page)
	b.do("date the assessment", chromedp.SetValue(chromedp.CSS("#assessment-assessed_on"), today))
	if n := value(b, "rate every dimension 3", chromedp.Evaluate[int](
		`[...document.querySelectorAll('[data-testid="assessment-form"] select')].map(s => { s.value = "3" }).length`)); n < 6 {
		t.Fatalf("%d rating fields, want GA-modellen's six or more", n)
	}
	b.submit(`[data-testid="assessment-submit"]`)
	if flash := b.text(".flash"); !strings.Contains(flash, "Bedömningen av") {
		t.Errorf("flash %q", flash)
	}
	if got := b.texts(`[data-testid="progress"] tbody td`); len(got) == 0 || got[0] != "3" {
		t.Errorf("progress table %q, want the first rating 3", got)
	}
	b.do("add a goal",
		chromedp.SetValue(chromedp.CSS("#goal-term"), "long"),
		chromedp.SetValue(chromedp.CSS("#goal-text"), "Börja på SFI nivå C"),
		chromedp.SetValue(chromedp.CSS("#goal-follow_up_on"), "2031-01-15"))
	b.submit(`[data-testid="goal-submit"]`)
	if got := b.text(`[data-testid="goals"]`); !strings.Contains(got, "Börja på SFI nivå C") || !strings.Contains(got, "Långsiktigt") {
		t.Errorf("goals %q", got)
	}
	b.visit(p.list)
	b.submit(`[data-testid="overdue-goals-link"]`)
}
