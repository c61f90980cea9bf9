package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"iop/internal/partnership"
)

// The callers of the matrix: anonymous and one demo user per role.
var callers = []struct {
	name  string
	email string
}{
	{"anonymous", ""},
	{"admin", adminEmail},
	{"officer", officerEmail},
	{"coordinator", coordinatorEmail},
	{"association_staff", ikfEmail},
	{"viewer", viewerEmail},
}

// want is the expected status per caller, in the order of callers.
type want [6]int

const login = http.StatusSeeOther // anonymous callers are sent to the login page

var (
	everyone     = want{200, 200, 200, 200, 200, 200}
	signedIn     = want{login, 200, 200, 200, 200, 200}
	adminOnly    = want{login, 200, 403, 403, 403, 403}
	adminOnlyPRG = want{login, 303, 403, 403, 403, 403}
	adminInvalid = want{login, 422, 403, 403, 403, 403}
)

// matrixRow is one route: its pattern as the router names it, the concrete
// request, and who gets what.
type matrixRow struct {
	route string // "METHOD /pattern" as server.Routes lists it
	path  string // with {id} filled in
	form  url.Values
	want  want
	fresh bool // the request ends the session: use a new one per caller
}

// fixture names the records the matrix's paths point at.
type fixture struct {
	user      string // a user of its own, for the routes that change one
	agreement string // an agreement IKF is not a party to
	document  string // a document of that agreement
	victim    string // another of its documents, which the delete row removes
	org       string // IKF, for the organisation routes
	contact   string // a contact person of IKF
	exContact string // another contact person of IKF, whom the delete row removes

	ikfAgreement string // a draft agreement IKF is a party to
	ikfParty     string // IKF's party in it
	ikfInvoice   string // a received invoice of it

	indexRateYear string // a year with a decided index rate, which the delete row removes

	budget   budgetFixture   // IKF's demo agreement with lines and totals of its own
	activity activityFixture // activity types of ikfAgreement
	logged   logFixture      // logged activities of ikfAgreement

	participant participantFixture // a participant of IKF's demo agreement, with an identity
	followUp    followUpFixture    // an exited participant of IKF's demo agreement, with follow-ups
	meeting     meetingFixture     // meetings of ikfAgreement
	plan        planFixture        // an overdue IUP goal of that participant
	report      reportFixture      // annual reports of an active agreement of IKF's
}

// newFixture creates the records of the matrix's paths; user is the target
// of the user routes.
func newFixture(t *testing.T, a *app, user int64) fixture {
	t.Helper()
	agreement := docAgreement(t, a, "Matrisens överenskommelse", "Linköpings Stadsmission")
	ikfAgreement := agStore(t, a, "Matrisens IKF-överenskommelse", ikfOrganisation)
	f := fixture{
		user: itoa(user), agreement: itoa(agreement),
		document: itoa(storeDocument(t, a, agreement, "matris.pdf")),
		victim:   itoa(storeDocument(t, a, agreement, "tas-bort.pdf")),
		org:      itoa(orgID(t, a, ikfOrganisation)), contact: itoa(ikfContact(t, a, "Matris Kontakt")),
		exContact: itoa(ikfContact(t, a, "Tas Bort")),

		ikfAgreement: itoa(ikfAgreement.ID), ikfParty: itoa(ikfAgreement.Parties[0].ID),
		ikfInvoice:    itoa(storeInvoice(t, a, ikfAgreement.ID, "M-1")),
		indexRateYear: newIndexRate(t, a, 2031, 250, "Matrisens sats"),
		budget:        newBudgetFixture(t, a),
		activity:      newActivityFixture(t, a, ikfAgreement.ID),
		logged:        newLogFixture(t, a, ikfAgreement.ID),
		participant:   newParticipantFixture(t, a),
		followUp:      newFollowUpFixture(t, a),
		meeting:       newMeetingFixture(t, a, ikfAgreement),
		report:        newReportFixture(t, a),
	}
	f.plan = newPlanFixture(t, a, f.participant)
	return f
}

func matrix(f fixture) []matrixRow {
	u := "/admin/users/" + f.user
	docs := "/agreements/" + f.agreement + "/documents"
	ag := "/agreements/" + f.ikfAgreement
	party := ag + "/parties/" + f.ikfParty
	return []matrixRow{
		{route: "GET /healthz", path: "/healthz", want: everyone},
		{route: "GET /readyz", path: "/readyz", want: everyone},
		{route: "GET /static/*", path: "", want: everyone}, // path filled in from the page
		// Without METRICS_TOKEN (and without its bearer token) nobody sees it.
		{route: "GET /metrics", path: "/metrics", want: want{404, 404, 404, 404, 404, 404}},
		{route: "GET /login", path: "/login", want: want{200, 303, 303, 303, 303, 303}},
		{route: "POST /login", path: "/login", want: want{422, 422, 422, 422, 422, 422}},
		// the second step of a password login: only for a half-signed-in
		// session, everyone else is sent to /login; single sign-on is off
		{route: "GET /login/totp", path: "/login/totp", want: want{303, 303, 303, 303, 303, 303}},
		{route: "POST /login/totp", path: "/login/totp", want: want{303, 303, 303, 303, 303, 303}},
		{route: "GET /login/totp/enrol", path: "/login/totp/enrol", want: want{303, 303, 303, 303, 303, 303}},
		{route: "POST /login/totp/enrol", path: "/login/totp/enrol", want: want{303, 303, 303, 303, 303, 303}},
		{route: "POST /login/cancel", path: "/login/cancel", want: want{303, 303, 303, 303, 303, 303}, fresh: true},
		{route: "GET /login/oidc", path: "/login/oidc", want: want{404, 404, 404, 404, 404, 404}},
		{route: "GET /login/oidc/callback", path: "/login/oidc/callback", want: want{404, 404, 404, 404, 404, 404}},
		// one's own account and two-factor login
		{route: "GET /account", path: "/account", want: signedIn},
		{route: "GET /account/totp", path: "/account/totp", want: signedIn},
		{route: "POST /account/totp", path: "/account/totp", want: want{login, 422, 422, 422, 422, 422}},
		{route: "GET /account/totp/codes", path: "/account/totp/codes", want: signedIn},
		{route: "POST /account/totp/codes", path: "/account/totp/codes", want: want{login, 303, 303, 303, 303, 303}},
		{route: "GET /accessibility", path: "/accessibility", want: everyone},
		{route: "GET /", path: "/", want: signedIn},
		// deadlines and the calendar feed: each user's own; the feed needs no
		// session but a token, and an unknown one is not found
		{route: "GET /deadlines", path: "/deadlines?kind=invoice", want: signedIn},
		{route: "GET /calendar", path: "/calendar", want: signedIn},
		{route: "POST /calendar", path: "/calendar", want: want{login, 200, 200, 200, 200, 200}},
		{route: "POST /calendar/{feedID}/revoke", path: "/calendar/999999999/revoke", want: want{login, 404, 404, 404, 404, 404}},
		{route: "GET /calendar/{token}.ics", path: "/calendar/okand.ics", want: want{404, 404, 404, 404, 404, 404}},
		{route: "POST /logout", path: "/logout", want: want{login, 303, 303, 303, 303, 303}, fresh: true},
		// open data (360Giving): public, organisations and amounts only
		{route: "GET /reports/{year}/grants.json", path: "/reports/2024/grants.json", want: everyone},
		{route: "GET /reports/{year}/grants.csv", path: "/reports/2024/grants.csv", want: everyone},
		// report exports, always disclosed: an agreement's for all who read it
		// (staff their own; IKF's demo report of 2024 is approved), the
		// portfolio's for the municipality's roles
		{route: "GET /agreements/{id}/reports/{year}/report.pdf", path: strings.TrimSuffix(f.budget.budget, "/budget") + "/reports/2024/report.pdf", want: want{login, 200, 200, 403, 200, 200}},
		{route: "GET /agreements/{id}/reports/{year}/report.xlsx", path: strings.TrimSuffix(f.budget.budget, "/budget") + "/reports/2024/report.xlsx", want: want{login, 200, 200, 403, 200, 200}},
		{route: "GET /agreements/{id}/reports/{year}/report.csv", path: strings.TrimSuffix(f.budget.budget, "/budget") + "/reports/2024/report.csv", want: want{login, 200, 200, 403, 200, 200}},
		{route: "GET /reports/{year}/portfolio.pdf", path: "/reports/2024/portfolio.pdf", want: want{login, 200, 200, 403, 403, 200}},
		{route: "GET /reports/{year}/portfolio.xlsx", path: "/reports/2024/portfolio.xlsx", want: want{login, 200, 200, 403, 403, 200}},
		{route: "GET /reports/{year}/portfolio.csv", path: "/reports/2024/portfolio.csv", want: want{login, 200, 200, 403, 403, 200}},
		// organisations
		{route: "GET /organisations", path: "/organisations", want: orgReaders},
		{route: "GET /organisations/{id}", path: "/organisations/" + f.org, want: orgReaders},
		{route: "GET /organisations/new", path: "/organisations/new", want: orgEditors},
		{route: "POST /organisations", path: "/organisations", want: orgEditorsInvalid},
		{route: "GET /organisations/{id}/edit", path: "/organisations/" + f.org + "/edit", want: orgEditors},
		{route: "POST /organisations/{id}", path: "/organisations/" + f.org, want: orgEditorsInvalid},
		{route: "GET /organisations/{id}/contacts/new", path: "/organisations/" + f.org + "/contacts/new", want: orgEditors},
		{route: "POST /organisations/{id}/contacts", path: "/organisations/" + f.org + "/contacts", want: orgEditorsInvalid},
		{route: "GET /organisations/{id}/contacts/{contactID}", path: "/organisations/" + f.org + "/contacts/" + f.contact, want: orgEditors},
		{route: "POST /organisations/{id}/contacts/{contactID}", path: "/organisations/" + f.org + "/contacts/" + f.contact, want: orgEditorsInvalid},
		{route: "GET /organisations/{id}/contacts/{contactID}/delete", path: "/organisations/" + f.org + "/contacts/" + f.contact + "/delete", want: orgEditors},
		// The admin removes the contact; the officer, next, finds it gone.
		{route: "POST /organisations/{id}/contacts/{contactID}/delete", path: "/organisations/" + f.org + "/contacts/" + f.exContact + "/delete", want: orgEditorsPRGOnce},
		// agreements
		{route: "GET /agreements/{id}", path: ag, want: signedIn},
		{route: "GET /agreements/new", path: "/agreements/new", want: agreementEditors},
		{route: "POST /agreements", path: "/agreements", want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/edit", path: ag + "/edit", want: agreementEditors},
		{route: "POST /agreements/{id}", path: ag, form: agV1, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/parties/new", path: ag + "/parties/new", want: agreementEditors},
		{route: "POST /agreements/{id}/parties", path: ag + "/parties", form: agV1, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/parties/{partyID}", path: party, want: agreementEditors},
		{route: "POST /agreements/{id}/parties/{partyID}", path: party, form: agV1, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/parties/{partyID}/delete", path: party + "/delete", want: agreementEditors},
		{route: "POST /agreements/{id}/activate", path: ag + "/activate", form: agV1, want: agreementEditorsInvalid},
		// Without the version the form was based on, a change is refused as a conflict.
		{route: "POST /agreements/{id}/parties/{partyID}/delete", path: party + "/delete", want: agreementEditorsConflict},

		{route: "GET /agreements/{id}/extensions/new", path: ag + "/extensions/new", want: agreementEditors},
		{route: "POST /agreements/{id}/extensions", path: ag + "/extensions", form: agV1, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/terminate", path: ag + "/terminate", want: agreementEditors},
		{route: "POST /agreements/{id}/terminate", path: ag + "/terminate", form: agV1, want: agreementEditorsInvalid},
		// agreement-list
		{route: "GET /agreements", path: "/agreements", want: signedIn},
		{route: "GET /agreements.csv", path: "/agreements.csv", want: signedIn},
		{route: "GET /agreements.xlsx", path: "/agreements.xlsx", want: signedIn},
		// documents
		{route: "GET /agreements/{id}/documents", path: docs, want: want{login, 200, 200, 200, 404, 200}},
		{route: "GET /agreements/{id}/documents/{docID}", path: docs + "/" + f.document, want: want{login, 200, 200, 200, 404, 200}},
		{route: "POST /agreements/{id}/documents", path: docs, want: want{login, 422, 422, 403, 403, 403}},
		{route: "GET /agreements/{id}/documents/{docID}/delete", path: docs + "/" + f.document + "/delete", want: want{login, 200, 200, 403, 403, 403}},
		// The admin deletes the document; the officer, next, finds it gone.
		{route: "POST /agreements/{id}/documents/{docID}/delete", path: docs + "/" + f.victim + "/delete", want: want{login, 303, 404, 403, 403, 403}},
		// activities
		{route: "GET /agreements/{id}/activities", path: ag + "/activities", want: signedIn},
		{route: "GET /agreements/{id}/activities.csv", path: ag + "/activities.csv", want: signedIn},
		{route: "GET /agreements/{id}/activities.xlsx", path: ag + "/activities.xlsx", want: signedIn},
		{route: "GET /agreements/{id}/activities/new", path: ag + "/activities/new", want: activityLoggers},
		{route: "POST /agreements/{id}/activities", path: ag + "/activities", want: activityLoggersInvalid},
		{route: "GET /agreements/{id}/activities/import", path: ag + "/activities/import", want: activityLoggers},
		{route: "GET /agreements/{id}/activities/import/template.csv", path: ag + "/activities/import/template.csv", want: activityLoggers},
		{route: "POST /agreements/{id}/activities/import", path: ag + "/activities/import", want: activityLoggersInvalid},
		{route: "GET /agreements/{id}/activities/{activityID}", path: f.logged.entry, want: activityLoggers},
		{route: "POST /agreements/{id}/activities/{activityID}", path: f.logged.entry, want: activityLoggersInvalid},
		{route: "GET /agreements/{id}/activities/{activityID}/delete", path: f.logged.entry + "/delete", want: activityLoggers},
		// The admin deletes the entry; the officer and IKF's staff, next, find it gone.
		{route: "POST /agreements/{id}/activities/{activityID}/delete", path: f.logged.victim + "/delete", want: want{login, 303, 404, 403, 404, 403}},
		// activity types
		{route: "GET /agreements/{id}/activity-types", path: ag + "/activity-types", want: signedIn},
		{route: "GET /agreements/{id}/activity-types/new", path: ag + "/activity-types/new", want: agreementEditors},
		{route: "POST /agreements/{id}/activity-types", path: ag + "/activity-types", want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/activity-types/{typeID}", path: f.activity.typ, want: agreementEditors},
		{route: "POST /agreements/{id}/activity-types/{typeID}", path: f.activity.typ, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/activity-types/{typeID}/delete", path: f.activity.typ + "/delete", want: agreementEditors},
		// The admin deletes the type; the officer, next, finds it gone.
		{route: "POST /agreements/{id}/activity-types/{typeID}/delete", path: f.activity.victim + "/delete", want: want{login, 303, 404, 403, 403, 403}},
		{route: "POST /agreements/{id}/activity-types/{typeID}/targets", path: f.activity.typ + "/targets", want: agreementEditorsInvalid},
		// budget
		{route: "GET /agreements/{id}/budget", path: f.budget.budget, want: signedIn},
		{route: "GET /agreements/{id}/budget/years", path: f.budget.budget + "/years", want: signedIn},
		{route: "GET /agreements/{id}/budget.csv", path: f.budget.budget + ".csv?year=2024", want: signedIn},
		{route: "GET /agreements/{id}/budget.xlsx", path: f.budget.budget + ".xlsx?year=2024", want: signedIn},
		{route: "GET /agreements/{id}/budget/lines/new", path: f.budget.budget + "/lines/new", want: agreementEditors},
		{route: "POST /agreements/{id}/budget/lines", path: f.budget.budget + "/lines", want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/budget/lines/{lineID}", path: f.budget.line, want: agreementEditors},
		{route: "POST /agreements/{id}/budget/lines/{lineID}", path: f.budget.line, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/budget/lines/{lineID}/delete", path: f.budget.line + "/delete", want: agreementEditors},
		// The admin deletes the line; the officer, next, finds it gone.
		{route: "POST /agreements/{id}/budget/lines/{lineID}/delete", path: f.budget.lineVictim + "/delete", want: want{login, 303, 404, 403, 403, 403}},
		{route: "GET /agreements/{id}/budget/lines/{lineID}/deviation", path: f.budget.line + "/deviation", want: agreementEditors},
		{route: "POST /agreements/{id}/budget/lines/{lineID}/deviation", path: f.budget.line + "/deviation", want: agreementEditorsInvalid},
		{route: "POST /agreements/{id}/budget/lines/{lineID}/deviation/withdraw", path: f.budget.line + "/deviation/withdraw", want: want{login, 303, 303, 403, 403, 403}},
		{route: "GET /agreements/{id}/budget/totals/new", path: f.budget.budget + "/totals/new", want: agreementEditors},
		{route: "POST /agreements/{id}/budget/totals", path: f.budget.budget + "/totals", want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/budget/totals/{totalID}", path: f.budget.total, want: agreementEditors},
		{route: "POST /agreements/{id}/budget/totals/{totalID}", path: f.budget.total, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/budget/totals/{totalID}/delete", path: f.budget.total + "/delete", want: agreementEditors},
		{route: "POST /agreements/{id}/budget/totals/{totalID}/delete", path: f.budget.totalVictim + "/delete", want: want{login, 303, 404, 403, 403, 403}},
		{route: "GET /agreements/{id}/budget/totals/{totalID}/deviation", path: f.budget.total + "/deviation", want: agreementEditors},
		{route: "POST /agreements/{id}/budget/totals/{totalID}/deviation", path: f.budget.total + "/deviation", want: agreementEditorsInvalid},
		{route: "POST /agreements/{id}/budget/totals/{totalID}/deviation/withdraw", path: f.budget.total + "/deviation/withdraw", want: want{login, 303, 303, 403, 403, 403}},
		// invoices
		{route: "GET /agreements/{id}/invoices", path: ag + "/invoices", want: signedIn},
		{route: "GET /invoices", path: "/invoices", want: signedIn},
		{route: "GET /invoices.csv", path: "/invoices.csv", want: signedIn},
		{route: "GET /invoices.xlsx", path: "/invoices.xlsx", want: signedIn},
		{route: "GET /agreements/{id}/invoices/new", path: ag + "/invoices/new", want: agreementEditors},
		{route: "POST /agreements/{id}/invoices", path: ag + "/invoices", want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/invoices/{invoiceID}", path: ag + "/invoices/" + f.ikfInvoice, want: agreementEditors},
		{route: "POST /agreements/{id}/invoices/{invoiceID}", path: ag + "/invoices/" + f.ikfInvoice, form: agV1, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/invoices/{invoiceID}/approve", path: ag + "/invoices/" + f.ikfInvoice + "/approve", want: agreementEditors},
		{route: "GET /agreements/{id}/invoices/{invoiceID}/delete", path: ag + "/invoices/" + f.ikfInvoice + "/delete", want: agreementEditors},
		// A received invoice cannot be paid before it is approved; without the
		// version its page was based on, no step is taken.
		{route: "GET /agreements/{id}/invoices/{invoiceID}/paid", path: ag + "/invoices/" + f.ikfInvoice + "/paid", want: agreementEditorsConflict},
		{route: "POST /agreements/{id}/invoices/{invoiceID}/approve", path: ag + "/invoices/" + f.ikfInvoice + "/approve", want: agreementEditorsConflict},
		{route: "POST /agreements/{id}/invoices/{invoiceID}/paid", path: ag + "/invoices/" + f.ikfInvoice + "/paid", want: agreementEditorsConflict},
		{route: "POST /agreements/{id}/invoices/{invoiceID}/delete", path: ag + "/invoices/" + f.ikfInvoice + "/delete", want: agreementEditorsConflict},
		// participants: the fixture's participant was registered by IKF's
		// staff, so the coordinator, who did not refer it, cannot find it.
		// Viewers see participants only as the reports' disclosed figures.
		{route: "GET /agreements/{id}/participants", path: f.participant.list, want: want{login, 200, 200, 200, 200, 403}},
		{route: "GET /agreements/{id}/participants/{participantID}", path: f.participant.page, want: want{login, 200, 200, 404, 200, 403}},
		{route: "GET /agreements/{id}/participants/new", path: f.participant.list + "/new", want: participantWriters},
		{route: "POST /agreements/{id}/participants", path: f.participant.list, want: participantWritersInvalid},
		{route: "GET /agreements/{id}/participants/{participantID}/edit", path: f.participant.page + "/edit", want: participantManagers},
		{route: "POST /agreements/{id}/participants/{participantID}", path: f.participant.page, want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/enrol", path: f.participant.page + "/enrol", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/decline", path: f.participant.page + "/decline", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/exit", path: f.participant.page + "/exit", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/consents", path: f.participant.page + "/consents", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/consents/{consentID}/withdraw", path: f.participant.consent + "/withdraw", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/identity", path: f.participant.page + "/identity", want: participantManagers},
		{route: "POST /agreements/{id}/participants/{participantID}/identity/update", path: f.participant.page + "/identity/update", want: participantManagersInvalid},
		// plans: goals and assessments on the participant's page; the
		// overdue list holds goal texts; officers configure the step model.
		{route: "POST /agreements/{id}/participants/{participantID}/goals", path: f.participant.page + "/goals", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/goals/{goalID}/outcome", path: f.plan.goal + "/outcome", want: participantManagersInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/assessments", path: f.participant.page + "/assessments", want: participantManagersInvalid},
		{route: "GET /agreements/{id}/goals/overdue", path: f.plan.agreement + "/goals/overdue", want: want{login, 403, 403, 403, 200, 403}},
		{route: "GET /agreements/{id}/step-model", path: ag + "/step-model", want: agreementEditors},
		{route: "POST /agreements/{id}/step-model", path: ag + "/step-model", want: agreementEditorsInvalid},
		// The import is the association's: a coordinator refers one at a time.
		// follow-ups after exit
		{route: "GET /agreements/{id}/followups/overdue", path: f.followUp.agreement + "/followups/overdue", want: want{login, 200, 200, 403, 200, 403}},
		{route: "GET /agreements/{id}/followups/schedule", path: f.followUp.agreement + "/followups/schedule", want: agreementEditors},
		{route: "POST /agreements/{id}/followups/schedule", path: f.followUp.agreement + "/followups/schedule", want: agreementEditorsInvalid},
		{route: "POST /agreements/{id}/participants/{participantID}/followups/{followUpID}", path: f.followUp.record, want: participantManagersInvalid},
		{route: "GET /agreements/{id}/participants/import", path: f.participant.list + "/import", want: want{login, 403, 403, 403, 200, 403}},
		{route: "GET /agreements/{id}/participants/import/template.csv", path: f.participant.list + "/import/template.csv", want: want{login, 403, 403, 403, 200, 403}},
		{route: "POST /agreements/{id}/participants/import", path: f.participant.list + "/import", want: want{login, 403, 403, 403, 422, 403}},
		// meetings
		{route: "GET /agreements/{id}/meetings", path: f.meeting.list, want: signedIn},
		{route: "GET /agreements/{id}/meetings/{meetingID}", path: f.meeting.page, want: signedIn},
		{route: "GET /agreements/{id}/meetings/new", path: f.meeting.list + "/new", want: agreementEditors},
		{route: "POST /agreements/{id}/meetings", path: f.meeting.list, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/meetings/{meetingID}/edit", path: f.meeting.page + "/edit", want: agreementEditors},
		{route: "POST /agreements/{id}/meetings/{meetingID}", path: f.meeting.page, want: agreementEditorsInvalid},
		{route: "GET /agreements/{id}/meetings/{meetingID}/delete", path: f.meeting.page + "/delete", want: agreementEditors},
		// The admin deletes the meeting; the officer, next, finds it gone.
		{route: "POST /agreements/{id}/meetings/{meetingID}/delete", path: f.meeting.victim + "/delete", want: want{login, 303, 404, 403, 403, 403}},
		{route: "POST /agreements/{id}/meetings/{meetingID}/decisions", path: f.meeting.page + "/decisions", want: agreementEditorsInvalid},
		{route: "POST /agreements/{id}/meetings/{meetingID}/action-items", path: f.meeting.page + "/action-items", want: agreementEditorsInvalid},
		{route: "POST /agreements/{id}/meetings/{meetingID}/agenda", path: f.meeting.page + "/agenda", want: want{login, 422, 422, 403, 422, 403}},
		// IKF's staff may mark the item of IKF's party done; marking a done item again changes nothing.
		{route: "POST /agreements/{id}/meetings/{meetingID}/action-items/{itemID}/done", path: f.meeting.item + "/done", want: want{login, 303, 303, 403, 303, 403}},
		// annual reports: read by all but the coordinator (staff their own),
		// written by the association's staff, reviewed by officers and
		// admins. No row changes a report: a save without the version is a
		// conflict, the other posts lack their text or version.
		{route: "GET /reports", path: "/reports", want: want{login, 200, 200, 403, 200, 200}},
		{route: "GET /reports/{year}", path: "/reports/2023", want: want{login, 200, 200, 403, 403, 200}},
		{route: "POST /reports/{year}/summary", path: "/reports/2023/summary", want: want{login, 422, 422, 403, 403, 403}},
		{route: "GET /agreements/{id}/reports", path: f.report.list, want: want{login, 200, 200, 403, 200, 200}},
		{route: "GET /agreements/{id}/reports/{year}", path: f.report.submitted, want: want{login, 200, 200, 403, 200, 200}},
		{route: "GET /agreements/{id}/reports/{year}/edit", path: f.report.draft + "/edit", want: want{login, 403, 403, 403, 200, 403}},
		{route: "POST /agreements/{id}/reports/{year}", path: f.report.draft, want: want{login, 403, 403, 403, 409, 403}},
		{route: "POST /agreements/{id}/reports/{year}/submit", path: f.report.draft + "/submit", want: want{login, 403, 403, 403, 422, 403}},
		{route: "POST /agreements/{id}/reports/{year}/comments", path: f.report.submitted + "/comments", want: want{login, 422, 422, 403, 403, 403}},
		{route: "GET /agreements/{id}/reports/{year}/approve", path: f.report.submitted + "/approve", want: want{login, 200, 200, 403, 403, 403}},
		{route: "POST /agreements/{id}/reports/{year}/approve", path: f.report.submitted + "/approve", want: want{login, 409, 409, 403, 403, 403}},
		{route: "GET /agreements/{id}/reports/{year}/return", path: f.report.submitted + "/return", want: want{login, 200, 200, 403, 403, 403}},
		{route: "POST /agreements/{id}/reports/{year}/return", path: f.report.submitted + "/return", want: want{login, 422, 422, 403, 403, 403}},
		// indexation
		{route: "GET /indexation", path: "/indexation", want: want{login, 200, 200, 403, 403, 403}},
		{route: "POST /indexation", path: "/indexation", want: want{login, 422, 422, 403, 403, 403}},
		{route: "GET /admin/index-rates", path: "/admin/index-rates", want: adminOnly},
		{route: "GET /admin/index-rates/new", path: "/admin/index-rates/new", want: adminOnly},
		{route: "POST /admin/index-rates", path: "/admin/index-rates", want: adminInvalid},
		{route: "GET /admin/index-rates/{year}/delete", path: "/admin/index-rates/" + f.indexRateYear + "/delete", want: adminOnly},
		{route: "POST /admin/index-rates/{year}/delete", path: "/admin/index-rates/" + f.indexRateYear + "/delete", want: adminOnlyPRG},
		// retention and requests of access
		{route: "GET /admin/retention", path: "/admin/retention", want: adminOnly},
		{route: "POST /admin/retention", path: "/admin/retention", want: adminInvalid},
		{route: "GET /access-requests", path: "/access-requests", want: accessHandlers},
		{route: "POST /access-requests", path: "/access-requests", want: accessHandlersInvalid},
		{route: "POST /access-requests/json", path: "/access-requests/json", want: accessHandlersInvalid},
		{route: "GET /admin/users/", path: "/admin/users", want: adminOnly},
		{route: "GET /admin/users/new", path: "/admin/users/new", want: adminOnly},
		{route: "POST /admin/users/", path: "/admin/users", want: adminInvalid},
		{route: "GET /admin/users/{id}", path: u, want: adminOnly},
		{route: "POST /admin/users/{id}", path: u, want: adminInvalid},
		{route: "GET /admin/users/{id}/disable", path: u + "/disable", want: adminOnly},
		{route: "POST /admin/users/{id}/disable", path: u + "/disable", want: adminOnlyPRG},
		{route: "POST /admin/users/{id}/enable", path: u + "/enable", want: adminOnlyPRG},
		{route: "GET /admin/users/{id}/password", path: u + "/password", want: adminOnly},
		{route: "POST /admin/users/{id}/password", path: u + "/password", want: adminOnlyPRG},
		{route: "GET /admin/users/{id}/totp", path: u + "/totp", want: adminOnly},
		{route: "POST /admin/users/{id}/totp", path: u + "/totp", want: adminOnlyPRG},
	}
}

var cssLink = regexp.MustCompile(`href="(/static/css/app\.[0-9a-f]+\.css)"`)

// TestRouteRoleMatrix checks every route for every role: anonymous callers
// go to the login page, each role gets exactly what DOMAIN.md allows, and
// every response carries the security headers.
func TestRouteRoleMatrix(t *testing.T) {
	a := newApp(t)
	// A user of its own for the routes that change a user.
	target, _, err := a.auth.CreateUser(context.Background(), partnership.SystemActor("cli"),
		partnership.User{Email: "matris@iop.example", Name: "Matris Målsson", Role: partnership.RoleOfficer}, "")
	if err != nil {
		t.Fatal(err)
	}
	rows := matrix(newFixture(t, a, target.ID))

	var listed []string
	for _, r := range rows {
		listed = append(listed, r.route)
	}
	for _, route := range a.app.Routes() {
		if !slices.Contains(listed, route) {
			t.Errorf("route %s is not in the matrix", route)
		}
	}

	m := cssLink.FindStringSubmatch(a.client().get("/login").Body)
	if m == nil {
		t.Fatal("no stylesheet link on the login page")
	}
	rows[2].path = m[1]

	for i, caller := range callers {
		c := a.client()
		if caller.email != "" {
			c.login(caller.email)
		}
		for _, row := range rows {
			rc := c
			if row.fresh && caller.email != "" {
				rc = a.client()
				rc.login(caller.email)
			}
			method, _, _ := strings.Cut(row.route, " ")
			var res response
			if method == http.MethodPost {
				res = rc.post(row.path, row.form)
			} else {
				res = rc.get(row.path)
			}
			if res.StatusCode != row.want[i] {
				t.Errorf("%s %s as %s: status %d, want %d", method, row.path, caller.name, res.StatusCode, row.want[i])
			}
			if res.StatusCode == login && row.want[i] == login && caller.email == "" &&
				!strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("%s %s as anonymous: redirected to %q, not the login page", method, row.path, res.Header.Get("Location"))
			}
			checkSecurityHeaders(t, method+" "+row.path, res)
		}
	}

	if res := loggedIn(a, adminEmail).get("/admin/users/999999"); res.StatusCode != http.StatusNotFound ||
		!strings.Contains(res.Body, `data-testid="request-id"`) {
		t.Errorf("unknown user: %d, want the 404 page with a request id", res.StatusCode)
	}
	if res := a.client().get("/no-such-page"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: %d", res.StatusCode)
	}
}

func loggedIn(a *app, email string) *client {
	c := a.client()
	c.login(email)
	return c
}

func checkSecurityHeaders(t *testing.T, what string, res response) {
	t.Helper()
	h := res.Header
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
		strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no nosniff", what)
	}
	if h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", what)
	}
	cache := h.Get("Cache-Control")
	if strings.HasPrefix(what, "GET /static/") {
		if !strings.Contains(cache, "immutable") {
			t.Errorf("%s: Cache-Control %q, want immutable", what, cache)
		}
	} else if cache != "no-store" {
		t.Errorf("%s: Cache-Control %q, want no-store", what, cache)
	}
	if h.Get("X-Request-Id") == "" {
		t.Errorf("%s: no X-Request-Id", what)
	}
}

// TestCrossOriginPostsRefused sends every POST route as a cross-site
// request from a signed-in admin: each is refused and nothing changes.
func TestCrossOriginPostsRefused(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	before := snapshot(t, a)
	for _, route := range a.app.Routes() {
		method, pattern, _ := strings.Cut(route, " ")
		if method != http.MethodPost {
			continue
		}
		path := strings.ReplaceAll(pattern, "{id}", itoa(a.userID(officerEmail)))
		for _, hdr := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Origin": "https://angripare.example"},
		} {
			req, _ := http.NewRequest(method, a.srv.URL+path, strings.NewReader("email=x@y.se&name=X&role=admin"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			if res := c.do(req); res.StatusCode != http.StatusForbidden {
				t.Errorf("cross-origin %s with %v: status %d, want 403", route, hdr, res.StatusCode)
			}
		}
	}
	if after := snapshot(t, a); after != before {
		t.Errorf("cross-origin requests changed data:\n before %s\n after  %s", before, after)
	}
	// The same admin is still signed in: the refusals did not log them out.
	if res := c.get("/admin/users"); res.StatusCode != http.StatusOK {
		t.Errorf("after refusals: %d", res.StatusCode)
	}
}

// TestGetRoutesChangeNothing visits every GET route as every role and checks
// that no domain data or audit event was written.
func TestGetRoutesChangeNothing(t *testing.T) {
	a := newApp(t)
	var clients []*client
	for _, caller := range callers {
		c := a.client()
		if caller.email != "" {
			c.login(caller.email)
		}
		clients = append(clients, c)
	}
	rows := matrix(newFixture(t, a, a.userID(viewerEmail)))
	before := snapshot(t, a)
	for _, row := range rows {
		if !strings.HasPrefix(row.route, "GET ") || row.path == "" {
			continue
		}
		for _, c := range clients {
			c.get(row.path)
		}
	}
	if after := snapshot(t, a); after != before {
		t.Errorf("GET requests changed data:\n before %s\n after  %s", before, after)
	}
}

// snapshot digests the domain tables and the audit log, leaving out the
// audit events of reads (document downloads), which are recorded by design.
func snapshot(t *testing.T, a *app) string {
	t.Helper()
	var s string
	err := a.db.Pool.QueryRow(context.Background(), `SELECT
		coalesce((SELECT md5(string_agg(u::text, '|' ORDER BY id)) FROM users u), '') || ' ' ||
		coalesce((SELECT md5(string_agg(o::text, '|' ORDER BY id)) FROM organisations o), '') || ' ' ||
		coalesce((SELECT md5(string_agg(c::text, '|' ORDER BY id)) FROM organisation_contacts c), '') || ' ' ||
		(SELECT count(*) FROM audit_events WHERE action <> 'document.download')::text || ' ' ||
		(SELECT count(*) FROM agreement_documents)::text || ' ' ||
		(SELECT count(*) FROM login_throttles)::text`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
