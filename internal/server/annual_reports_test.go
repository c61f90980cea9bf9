package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// reportFixture is an active agreement of IKF's from 2022 to 2024 with a
// submitted report of 2022 and a draft of 2023; 2024 is not started.
type reportFixture struct {
	agreement int64
	list      string // its reports
	submitted string // the report of 2022
	draft     string // the report of 2023
}

func reportAgreement(t *testing.T, a *app, title string) partnership.Agreement {
	t.Helper()
	ctx := context.Background()
	day := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	ag := partnership.Agreement{Title: title, Status: partnership.StatusActive,
		StartDate: day("2022-01-01"), EndDate: day("2024-12-31"), ReportingDuties: "Årlig skriftlig rapport",
		IndexMode: partnership.IndexMunicipal}
	for _, org := range []struct {
		name string
		role partnership.PartyRole
	}{{"Linköpings kommun", partnership.PartyMunicipality}, {ikfOrganisation, partnership.PartyLeadAssociation}} {
		ag.Parties = append(ag.Parties, partnership.Party{OrganisationID: orgID(t, a, org.name), Role: org.role})
	}
	created, err := postgres.NewAgreements(a.db.Pool).Create(ctx, ag)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func newReportFixture(t *testing.T, a *app) reportFixture {
	t.Helper()
	ctx := context.Background()
	ag := reportAgreement(t, a, "Matrisens årsrapporter")
	store := postgres.NewAnnualReports(a.db.Pool)
	n := postgres.Narrative{Activities: "Gruppträffar varje vecka.", Results: "Fler i studier.",
		Lessons: "Samverkan lönar sig.", Challenges: "Lokaler.", NextYear: "Fler träffar."}
	sub, err := store.SaveNarrative(ctx, ag.ID, 2022, 0, n, nil)
	if err == nil {
		_, err = store.Submit(ctx, ag.ID, 2022, sub.Version, nil)
	}
	if err == nil {
		_, err = store.SaveNarrative(ctx, ag.ID, 2023, 0, postgres.Narrative{Activities: "Utkast"}, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	list := "/agreements/" + itoa(ag.ID) + "/reports"
	return reportFixture{agreement: ag.ID, list: list, submitted: list + "/2022", draft: list + "/2023"}
}

func narrativeForm(version int, activities string) url.Values {
	return url.Values{"version": {strconv.Itoa(version)}, "activities": {activities}, "results": {"Tre deltagare fick arbete."},
		"lessons": {"Tidiga samtal hjälper."}, "challenges": {"Att nå fler kvinnor."}, "next_year": {"Fler gruppträffar."}}
}

// TestAnnualReportFormKeepsInput: a submit with a heading left empty is
// refused per field with the text kept, a save over a stale version is
// shown again with the user's text and a conflict notice, and saving
// again from that form writes over the other change.
func TestAnnualReportFormKeepsInput(t *testing.T) {
	a := newApp(t)
	f := newReportFixture(t, a)
	staff := loggedIn(a, ikfEmail)

	form := narrativeForm(1, "Språkcaféer och studiebesök")
	form.Set("lessons", "")
	res := staff.post(f.draft+"/submit", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Språkcaféer och studiebesök") ||
		!strings.Contains(res.Body, `id="lessons-error"`) || !strings.Contains(res.Body, `data-testid="error-summary"`) {
		t.Fatalf("submit without lessons: %d, want 422 with the text kept and the field's error", res.StatusCode)
	}

	// Someone else saves first: version 1 is stale.
	if res := staff.post(f.draft, narrativeForm(1, "Den andras text")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d", res.StatusCode)
	}
	res = staff.post(f.draft, narrativeForm(1, "Min text som inte får försvinna"))
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Min text som inte får försvinna") ||
		!strings.Contains(res.Body, `data-testid="conflict"`) || !strings.Contains(res.Body, `name="version" value="2"`) {
		t.Fatalf("stale save: %d, want 409 keeping the text and carrying version 2", res.StatusCode)
	}
	if res := staff.post(f.draft+"/submit", narrativeForm(2, "Min text som inte får försvinna")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit over the current version: %d", res.StatusCode)
	}
	page := loggedIn(a, officerEmail).get(f.draft)
	if !strings.Contains(page.Body, "Min text som inte får försvinna") || !strings.Contains(page.Body, "Inlämnad") ||
		!strings.Contains(page.Body, `data-testid="approve-report"`) {
		t.Errorf("officer's page of the submitted report lacks the text, state or the approve link")
	}
	// Submitted: staff can no longer edit it.
	if res := staff.get(f.draft + "/edit"); res.StatusCode != http.StatusConflict {
		t.Errorf("edit of a submitted report: %d, want 409", res.StatusCode)
	}
}

// TestAnnualReportOtherOrganisationNotFound: another association's staff
// cannot tell IKF's reports from missing ones, and a year outside the
// agreement's period does not exist.
func TestAnnualReportOtherOrganisationNotFound(t *testing.T) {
	a := newApp(t)
	f := newReportFixture(t, a)
	sm := loggedIn(a, "stadsmissionen@iop.example")
	for _, p := range []string{f.list, f.submitted, f.draft + "/edit"} {
		if res := sm.get(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("Stadsmissionen's staff GET %s: %d, want 404", p, res.StatusCode)
		}
	}
	if res := sm.post(f.draft, narrativeForm(1, "Intrång")); res.StatusCode != http.StatusNotFound {
		t.Errorf("Stadsmissionen's staff save: %d, want 404", res.StatusCode)
	}
	if res := loggedIn(a, officerEmail).get(f.list + "/2021"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a year before the agreement: %d, want 404", res.StatusCode)
	}
	if res := loggedIn(a, coordinatorEmail).get(f.submitted); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator: %d, want 403", res.StatusCode)
	}
}

// TestAnnualReportReturnNeedsComment: a return without a comment is
// refused on the confirmation page; with one, the report goes back to the
// association with the comment on its page.
func TestAnnualReportReturnNeedsComment(t *testing.T) {
	a := newApp(t)
	f := newReportFixture(t, a)
	officer := loggedIn(a, officerEmail)
	if res := officer.post(f.submitted+"/return", url.Values{"version": {"2"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `id="comment-error"`) {
		t.Fatalf("return without comment: %d", res.StatusCode)
	}
	if res := officer.post(f.submitted+"/return", url.Values{"version": {"2"}, "comment": {"Beskriv resultaten närmare."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	page := loggedIn(a, ikfEmail).get(f.submitted)
	if !strings.Contains(page.Body, "Beskriv resultaten närmare.") || !strings.Contains(page.Body, "Återsänd för komplettering") ||
		!strings.Contains(page.Body, `data-testid="edit-report"`) {
		t.Errorf("staff's page of the returned report lacks the comment, the state or the edit link")
	}
}

// TestAnnualReportViewerSeesDisclosedFigures: the demo's approved report
// of IKF's 2024 shows the stored figures; the officer's page is
// undisclosed, the viewer's always disclosed.
func TestAnnualReportViewerSeesDisclosedFigures(t *testing.T) {
	a := newApp(t)
	ikf, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), "Inkludering på lika villkor")
	if err != nil {
		t.Fatal(err)
	}
	page := "/agreements/" + itoa(ikf.ID) + "/reports/2024"
	officer := loggedIn(a, officerEmail).get(page)
	viewer := loggedIn(a, viewerEmail).get(page)
	for who, res := range map[string]response{"officer": officer, "viewer": viewer} {
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Siffrorna är de som gällde när rapporten godkändes") ||
			!strings.Contains(res.Body, `data-testid="report-figures"`) {
			t.Errorf("%s: %d, want the approved report's stored figures", who, res.StatusCode)
		}
	}
	if strings.Contains(officer.Body, "färre än 5 personer visas inte") {
		t.Error("the officer's page is disclosed")
	}
	if !strings.Contains(viewer.Body, "färre än 5 personer visas inte") {
		t.Error("the viewer's page is not disclosed")
	}
}

// TestPortfolioSummaryChangedMeanwhileKeepsTheText: a summary saved over
// another officer's change is shown again (409) with the text as written and
// the current version, so that saving again writes over the other change.
func TestPortfolioSummaryChangedMeanwhileKeepsTheText(t *testing.T) {
	a := newApp(t)
	officer := loggedIn(a, officerEmail)
	if res := officer.post("/reports/2021/summary", url.Values{"summary": {"Den andras text."}, "version": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%.400s", res.StatusCode, res.Body)
	}
	res := officer.post("/reports/2021/summary", url.Values{"summary": {"Min text som inte får försvinna."}, "version": {"0"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Min text som inte får försvinna.") ||
		!strings.Contains(res.Body, `name="version" value="1"`) {
		t.Fatalf("save over another change: %d, want 409 with the text and version 1\n%.2000s", res.StatusCode, res.Body)
	}
	if res := officer.post("/reports/2021/summary", url.Values{"summary": {"Min text som inte får försvinna."}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving again: %d", res.StatusCode)
	}
	if res := officer.get("/reports/2021"); !strings.Contains(res.Body, "Min text som inte får försvinna.") {
		t.Error("the summary saved again is not on the portfolio")
	}
}
