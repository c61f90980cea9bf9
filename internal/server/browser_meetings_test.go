package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/demo"
)

func TestBrowserOfficerRecordsMeetingAndStaffMarksItemDone(t *testing.T) {
	a := newApp(t)
	ag := actAgreement(t, a, progIKFTitle)
	var ikfParty string
	for _, p := range ag.Parties {
		if p.OrganisationName == ikfOrganisation {
			ikfParty = itoa(p.ID)
		}
	}
	list := "/agreements/" + itoa(ag.ID) + "/meetings"

	officer := newBrowser(t, a)
	officer.login(officerEmail, demo.Password)
	officer.visit("/agreements/" + itoa(ag.ID))
	officer.submit(`[data-testid="meetings-link"]`)
	if got := officer.texts(`[data-testid="meeting-requirement"]`); len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "2 av 2 dialogmöten hållna 2024") {
		t.Errorf("requirement lines %q", got)
	}
	officer.submit(`[data-testid="new-meeting"]`)
	officer.do("fill in the meeting",
		chromedp.SetValue(chromedp.CSS("#kind"), "dialogue"),
		chromedp.SetValue(chromedp.CSS("#held_on"), "2024-11-20"),
		chromedp.SetValue(chromedp.CSS("#starts_at"), "14:00"),
		chromedp.SetValue(chromedp.CSS("#place"), "Stadshuset"),
		chromedp.SetValue(chromedp.CSS("#minutes"), "Parterna gick igenom året."))
	officer.submit(`[data-testid="meeting-form"] button[type="submit"]`)
	meetingURL := value(officer, "location", chromedp.Location())
	officer.do("write a decision", chromedp.SetValue(chromedp.CSS("#decision_text"), "IKF redovisar utfallet i januari."))
	officer.submit(`[data-testid="decision-form"] button[type="submit"]`)
	if got := officer.text(`[data-testid="decisions"]`); !strings.Contains(got, "Beslut 1") || !strings.Contains(got, "IKF redovisar utfallet i januari.") {
		t.Errorf("decisions %q", got)
	}
	officer.do("write an action item",
		chromedp.SetValue(chromedp.CSS("#item_text"), "Skicka årsrapporten"),
		chromedp.SetValue(chromedp.CSS("#item_owner_party"), ikfParty),
		chromedp.SetValue(chromedp.CSS("#item_due_on"), "2025-01-31"))
	officer.submit(`[data-testid="item-form"] button[type="submit"]`)
	if got := officer.text(`[data-testid="action-items"]`); !strings.Contains(got, "Skicka årsrapporten") || !strings.Contains(got, "Försenad") {
		// Due in January 2025, it is past due on the test's real clock.
		t.Errorf("action items %q", got)
	}

	staff := newBrowser(t, a)
	staff.login(ikfEmail, demo.Password)
	staff.visit(strings.TrimPrefix(meetingURL, a.srv.URL))
	staff.submit(`[data-testid="mark-done"]`)
	if got := staff.text(`[data-testid="action-items"]`); !strings.Contains(got, "Klar ") {
		t.Errorf("after marking done: %q", got)
	}
	staff.visit(list)
}
