package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/demo"
)

// TestBrowserStaffRegistersAndEnrolsParticipant: IKF's staff registers a
// participant with an identity and consent from the agreement page,
// enrols them, and reads the identity, which the page then lists as read.
// Every page is checked with axe on the way.
func TestBrowserStaffRegistersAndEnrolsParticipant(t *testing.T) {
	a := newApp(t)
	ag := budAgreement(t, a, budIKF)
	today := swedishToday(t, a)
	b := newBrowser(t, a)
	b.login(ikfEmail, demo.Password)
	b.visit("/agreements/" + itoa(ag.ID))
	b.submit(`[data-testid="participants-link"]`)
	b.submit(`[data-testid="new-participant"]`)
	b.do("fill in the register form",
		chromedp.SetValue(chromedp.CSS("#gender"), "non_binary"),
		chromedp.SetValue(chromedp.CSS("#birth_year"), "1991"),
		chromedp.SetValue(chromedp.CSS("#birth_region"), "unknown"),
		chromedp.SetValue(chromedp.CSS("#education"), "unknown"),
		chromedp.SetValue(chromedp.CSS("#labour_status"), "unknown"),
		chromedp.SetValue(chromedp.CSS("#income_source"), "unknown"),
		chromedp.SetValue(chromedp.CSS("#cohort"), "Webbläsargruppen"),
		chromedp.SetValue(chromedp.CSS("#referral_source"), "social_services"),
		chromedp.SetValue(chromedp.CSS("#name"), "Fiktiv Webbläsardeltagare"),
		chromedp.SetValue(chromedp.CSS("#personnummer"), "19121212-1212"),
		chromedp.SetValue(chromedp.CSS("#consent_given_on"), today))
	b.submit(`[data-testid="participant-submit"]`)
	code := b.text(`[data-testid="participant-code"]`)
	if flash := b.text(".flash"); !strings.Contains(flash, "Registrerade deltagare "+code) {
		t.Errorf("flash %q", flash)
	}
	if body := b.text("main"); strings.Contains(body, "Fiktiv Webbläsardeltagare") {
		t.Errorf("the participant page shows the name before it was asked for")
	}
	if got := b.texts(`[data-testid="consents"] tbody th`); len(got) != 1 || got[0] != "Lagring av identitetsuppgifter" {
		t.Errorf("consents %q", got)
	}

	b.do("enrol today", chromedp.SetValue(chromedp.CSS("#enrol-enrolled_on"), today))
	b.submit(`[data-testid="enrol-submit"]`)
	if got := b.text(`[data-testid="participant-lifecycle"]`); !strings.Contains(got, today) {
		t.Errorf("lifecycle %q, want the enrolment %s", got, today)
	}
	if got := b.texts(`[data-testid="exit-form"] legend`); len(got) != 1 {
		t.Errorf("no exit form after enrolment: %q", got)
	}

	b.submit(`[data-testid="show-identity"]`)
	if got := b.text(`[data-testid="identity"]`); !strings.Contains(got, "Fiktiv Webbläsardeltagare") || !strings.Contains(got, "19121212-1212") {
		t.Errorf("identity %q", got)
	}
	b.visit("/agreements/" + itoa(ag.ID) + "/participants?cohort=Webbläsargruppen")
	if got := b.texts(`[data-testid="participant-row"] th`); len(got) != 1 || got[0] != code {
		t.Errorf("filtered list %q, want %s", got, code)
	}
	b.submit(`[data-testid="participant-row"] th a`)
	if got := b.texts(`[data-testid="identity-reads"] tbody th`); len(got) != 1 {
		t.Errorf("identity reads %q, want one", got)
	}
	participantPath := value(b, "location", chromedp.Location())
	pid := participantPath[strings.LastIndex(participantPath, "/")+1:]

	// The participant attended a group session: ticking them counts them.
	types := actTypes(t, a, ag.ID)
	b.visit("/agreements/" + itoa(ag.ID) + "/activities/new")
	attendee := `[data-testid="activity-attendees"] input[value="` + pid + `"]`
	if got := b.text(`[data-testid="activity-attendees"] label[for="` +
		value(b, "checkbox id", chromedp.Evaluate[string](`document.querySelector('`+attendee+`').id`)) + `"]`); !strings.Contains(got, code) {
		t.Errorf("the attendee is listed as %q, want the code %s", got, code)
	}
	b.do("log a session with the participant",
		chromedp.SetValue(chromedp.CSS(`select[name="type_id"]`), itoa(types["Må bra-grupp"].ID)),
		chromedp.SetValue(chromedp.CSS(`input[name="hours"]`), "2"),
		chromedp.Click(chromedp.CSS(attendee)))
	b.submit(`[data-testid="activity-submit"]`)
	var attended, nonBinary int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*), coalesce(max(a.non_binary), 0)
		FROM activity_participants ap JOIN activities a ON a.id = ap.activity_id WHERE ap.participant_id = $1`, pid).
		Scan(&attended, &nonBinary); err != nil {
		t.Fatal(err)
	}
	if attended != 1 || nonBinary != 1 {
		t.Errorf("the session links %d participants and counts %d non-binary, want 1 and 1", attended, nonBinary)
	}
	if row := b.text(`[data-testid="activity"]:first-child`); !strings.Contains(row, "Må bra-grupp") || !strings.Contains(row, today) {
		t.Errorf("first logged row %q", row)
	}
}
