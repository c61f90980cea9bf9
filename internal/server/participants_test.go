package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Who gets what on the participant routes, in the order of callers: the
// router lets association staff and coordinators write; the service lets
// a coordinator register and otherwise see only their own referrals.
var (
	participantWriters         = want{login, 403, 403, 200, 200, 403}
	participantWritersInvalid  = want{login, 403, 403, 422, 422, 403}
	participantManagers        = want{login, 403, 403, 404, 200, 403}
	participantManagersInvalid = want{login, 403, 403, 404, 422, 403}
)

// The fixture participant's fictitious identity: Skatteverket's test
// person.
const (
	fixtureName = "Tolvan Matrisdeltagare"
	fixturePnr  = "19121212-1212"
)

// participantFixture is a participant of IKF's demo agreement with an
// identity and a consent, registered by IKF's staff.
type participantFixture struct {
	list    string // the agreement's participant list
	page    string // the participant's page
	consent string // its consent to identity storage
	id      int64
	actor   partnership.Actor // IKF's staff
}

// participantService is a service on the app's database and keyring.
func participantService(a *app) *participant.Service {
	return participant.NewService(a.db, a.keys, a.clock.Now)
}

func staffActor(t *testing.T, a *app, email string) partnership.Actor {
	t.Helper()
	u, err := postgres.NewUsers(a.db.Pool).ByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return partnership.ActorOf(u, "127.0.0.1")
}

func newParticipantFixture(t *testing.T, a *app) participantFixture {
	t.Helper()
	ctx := context.Background()
	ag := budAgreement(t, a, budIKF)
	actor := staffActor(t, a, ikfEmail)
	today := a.clock.Now().UTC().Truncate(24 * time.Hour)
	pnr, err := partnership.ParsePersonnummer(fixturePnr, today)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := participantService(a).Register(ctx, actor, ag.ID, participant.Registration{
		Participant: partnership.Participant{
			Gender: partnership.GenderWoman, BirthYear: 1985, BirthRegion: partnership.RegionUnknown,
			Education: partnership.EducationUnknown, LabourStatus: partnership.LabourUnknown,
			IncomeSource: partnership.IncomeUnknown, Cohort: "Matrisgruppen",
			ReferredOn: today.AddDate(0, 0, -30), ReferralSource: partnership.ReferralEmploymentService,
		},
		Identity:       partnership.Identity{Name: fixtureName, Personnummer: pnr, Phone: "070-123 45 67"},
		ConsentGivenOn: &today,
	})
	if err != nil {
		t.Fatal(err)
	}
	consents, err := participantService(a).Consents(ctx, actor, reg.Participant.ID)
	if err != nil || len(consents) != 1 {
		t.Fatalf("consents %v, %v", consents, err)
	}
	list := "/agreements/" + itoa(ag.ID) + "/participants"
	page := list + "/" + itoa(reg.Participant.ID)
	return participantFixture{list: list, page: page, consent: page + "/consents/" + itoa(consents[0].ID),
		id: reg.Participant.ID, actor: actor}
}

// TestParticipantPagesHideIdentities visits every participant page as an
// officer and a viewer: none shows the identity, in any form.
func TestParticipantPagesHideIdentities(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	secrets := []string{fixtureName, "Tolvan", fixturePnr, "191212121212", "121212-1212", "070-123 45 67"}
	for _, email := range []string{officerEmail, viewerEmail, adminEmail} {
		c := loggedIn(a, email)
		for _, path := range []string{f.list, f.list + "?status=referred", f.page, f.page + "/edit", f.list + "/new"} {
			res := c.get(path)
			for _, s := range secrets {
				if strings.Contains(res.Body, s) {
					t.Errorf("%s as %s (%d) shows %q", path, email, res.StatusCode, s)
				}
			}
		}
		if res := c.post(f.page+"/identity", nil); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "Tolvan") {
			t.Errorf("identity as %s: %d", email, res.StatusCode)
		}
	}
	// The list shows the participant by its code, the page has no button.
	if res := loggedIn(a, officerEmail).get(f.page); !strings.Contains(res.Body, `data-testid="participant-code"`) ||
		strings.Contains(res.Body, "show-identity") {
		t.Errorf("officer's participant page: %d", res.StatusCode)
	}
}

func identityReads(t *testing.T, a *app, participantID int64) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_events WHERE action = $1 AND entity_id = $2`,
		postgres.IdentityReadAction, itoa(participantID)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestParticipantIdentityReadIsAudited reveals the identity once: it is
// shown, exactly one audit event records it, and the participant page
// lists the read.
func TestParticipantIdentityReadIsAudited(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	c := loggedIn(a, ikfEmail)
	if res := c.get(f.page); res.StatusCode != http.StatusOK || strings.Contains(res.Body, fixtureName) ||
		!strings.Contains(res.Body, `data-testid="no-identity-reads"`) {
		t.Fatalf("page before the read: %d", res.StatusCode)
	}
	if n := identityReads(t, a, f.id); n != 0 {
		t.Fatalf("%d reads before", n)
	}
	res := c.post(f.page+"/identity", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, fixtureName) || !strings.Contains(res.Body, fixturePnr) {
		t.Fatalf("identity: %d", res.StatusCode)
	}
	if n := identityReads(t, a, f.id); n != 1 {
		t.Errorf("%d audit events of the read, want 1", n)
	}
	res = c.get(f.page)
	if !strings.Contains(res.Body, `data-testid="identity-reads"`) || strings.Contains(res.Body, fixtureName) {
		t.Errorf("page after the read lists no read, or shows the identity")
	}
	if n := identityReads(t, a, f.id); n != 1 {
		t.Errorf("%d audit events after viewing the page, want still 1", n)
	}
}

// TestParticipantOfAnotherAssociation: staff of another association find
// neither the participant nor the agreement's list, by any id.
func TestParticipantOfAnotherAssociation(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	other := loggedIn(a, stadsmissionenEmail)
	for _, path := range []string{f.list, f.page, f.page + "/edit"} {
		if res := other.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	for _, path := range []string{f.page + "/identity", f.page + "/enrol"} {
		if res := other.post(path, url.Values{"enrolled_on": {"2024-05-01"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", path, res.StatusCode)
		}
	}
	if n := identityReads(t, a, f.id); n != 0 {
		t.Errorf("%d reads recorded", n)
	}
}

// TestParticipantRegisterBadPersonnummer keeps what was typed and names
// the checksum.
func TestParticipantRegisterBadPersonnummer(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	c := loggedIn(a, ikfEmail)
	form := url.Values{
		"gender": {"woman"}, "birth_year": {"1990"}, "birth_region": {"unknown"}, "education": {"unknown"},
		"labour_status": {"unknown"}, "income_source": {"unknown"}, "referred_on": {a.clock.Now().Format(time.DateOnly)},
		"referral_source": {"social_services"}, "name": {"Fiktiv Person"}, "personnummer": {"19121212-1213"},
		"consent_given_on": {a.clock.Now().Format(time.DateOnly)},
	}
	res := c.post(f.list, form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for _, want := range []string{`value="19121212-1213"`, `value="Fiktiv Person"`, "kontrollsiffra", `data-testid="error-summary"`} {
		if !strings.Contains(strings.ToLower(res.Body), strings.ToLower(want)) {
			t.Errorf("the form again lacks %q", want)
		}
	}
	// Corrected, it registers and goes to the participant's page.
	form.Set("personnummer", "19121212-1212")
	res = c.post(f.list, form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), f.list+"/") {
		t.Fatalf("register: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	page := c.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "personnumret finns redan") || strings.Contains(page.Body, "19121212") {
		t.Errorf("no duplicate warning after registering the fixture's personnummer again, or the number shown")
	}
}

// TestParticipantPagesHideDemoIdentities reads every demo identity as the
// staff who may, then visits every participant list page, participant
// page and edit form as an officer and a viewer: no name, personnummer,
// phone or e-mail of any demo identity appears.
// demoIdentities reads every identity of the demo participants through the
// service as their association's staff, and returns the strings that must
// never reach a role that may not see them (each personnummer in both its
// forms), the participants and their agreements.
func demoIdentities(t *testing.T, a *app) (secrets []string, all []participantRef, agreements map[int64]bool) {
	t.Helper()
	ctx := context.Background()
	svc := participantService(a)
	staff := []partnership.Actor{staffActor(t, a, ikfEmail), staffActor(t, a, stadsmissionenEmail)}
	rows, err := a.db.Pool.Query(ctx, `SELECT id, agreement_id FROM participants ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var r participantRef
		if err := rows.Scan(&r.id, &r.agreement); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	agreements = map[int64]bool{}
	for _, r := range all {
		agreements[r.agreement] = true
		for _, actor := range staff {
			id, err := svc.Identity(ctx, actor, r.id)
			if err != nil {
				continue
			}
			for _, s := range []string{id.Name, id.Personnummer.String(), id.Personnummer.Normalized(), id.Phone, id.Email} {
				if s != "" {
					secrets = append(secrets, s)
				}
			}
			if n := id.Personnummer.Normalized(); n != "" {
				secrets = append(secrets, n[2:8]+"-"+n[8:]) // the ten-digit form
			}
		}
	}
	if len(secrets) == 0 {
		t.Fatal("the demo has no identities to look for")
	}
	return secrets, all, agreements
}

// participantRef is a participant and its agreement.
type participantRef struct{ id, agreement int64 }

func TestParticipantPagesHideDemoIdentities(t *testing.T) {
	a := newApp(t)
	secrets, all, agreements := demoIdentities(t, a)
	var paths []string
	for ag := range agreements {
		list := "/agreements/" + itoa(ag) + "/participants"
		for page := 1; page <= 1+len(all)/partnership.DefaultParticipantPage; page++ {
			paths = append(paths, list+"?page="+itoa(int64(page)))
		}
	}
	for _, r := range all {
		page := "/agreements/" + itoa(r.agreement) + "/participants/" + itoa(r.id)
		paths = append(paths, page, page+"/edit")
	}
	for _, email := range []string{officerEmail, viewerEmail} {
		c := loggedIn(a, email)
		for _, path := range paths {
			res := c.get(path)
			for _, s := range secrets {
				if strings.Contains(res.Body, s) {
					t.Errorf("%s as %s (%d) shows an identity", path, email, res.StatusCode)
					break
				}
			}
		}
	}
}

// TestParticipantCountsOnAgreementAndStartPage: the agreement page (for an
// officer) and IKF's start page show the participants per year as the
// service counts them, against the expected range.
func TestParticipantCountsOnAgreementAndStartPage(t *testing.T) {
	a := newApp(t)
	ag := budAgreement(t, a, budIKF)
	counts, err := participantService(a).Counts(context.Background(), staffActor(t, a, ikfEmail), ag.ID, 2024, 2024)
	if err != nil {
		t.Fatal(err)
	}
	c := counts[0]
	row := regexp.MustCompile(`<th scope="row">2024</th><td class="num">` + strconv.Itoa(c.New) +
		`</td><td class="num">` + strconv.Itoa(c.Active) + `</td><td class="num">` + strconv.Itoa(c.Exited) + `</td>`)
	for _, page := range []struct{ email, path string }{
		{officerEmail, "/agreements/" + itoa(ag.ID)},
		{ikfEmail, "/"},
		{adminEmail, "/agreements/" + itoa(ag.ID) + "/participants?year=2024"},
	} {
		res := loggedIn(a, page.email).get(page.path)
		if res.StatusCode != http.StatusOK || !row.MatchString(res.Body) {
			t.Errorf("%s as %s (%d): no 2024 row with %d new, %d active, %d exited", page.path, page.email, res.StatusCode, c.New, c.Active, c.Exited)
		}
		if ag.ParticipantsMin != nil && !strings.Contains(res.Body, `data-testid="expected"`) {
			t.Errorf("%s as %s: no expected range", page.path, page.email)
		}
	}
}

// TestParticipantLifecycleForms enrols the fixture, refuses an exit before
// the enrolment with the rule's message and the values kept, then exits.
func TestParticipantLifecycleForms(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	c := loggedIn(a, ikfEmail)
	today := a.clock.Now().Format(time.DateOnly)
	if res := c.post(f.page+"/enrol", url.Values{"enrolled_on": {today}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrol: %d", res.StatusCode)
	}
	before := a.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly)
	res := c.post(f.page+"/exit", url.Values{"exited_on": {before}, "exit_destination": {"work"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, partnership.MsgExitBeforeEnrol) ||
		!strings.Contains(res.Body, `value="`+before+`"`) {
		t.Errorf("exit before enrolment: %d", res.StatusCode)
	}
	if res := c.post(f.page+"/exit", url.Values{"exited_on": {today}, "exit_destination": {"work"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("exit: %d", res.StatusCode)
	}
	if page := c.get(f.page); !strings.Contains(page.Body, partnership.ExitWork.Label()) {
		t.Errorf("the page does not show the exit to %s", partnership.ExitWork.Label())
	}
	// A coordinator who did not refer the participant cannot act on it.
	if res := loggedIn(a, coordinatorEmail).post(f.page+"/identity", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("coordinator's identity read: %d, want 404", res.StatusCode)
	}
}

// TestCoordinatorRefersAndSeesOwnReferral: a coordinator refers a
// participant with an identity to an active agreement, finds them on the
// page and may read the identity, but may not enrol: staff do.
func TestCoordinatorRefersAndSeesOwnReferral(t *testing.T) {
	a := newApp(t)
	// In the middle of the demo agreements' terms, so that one is active.
	a.clock.Advance(time.Date(2024, 6, 3, 10, 0, 0, 0, time.UTC).Sub(a.clock.Now()))
	c := loggedIn(a, coordinatorEmail)
	today := a.clock.Now().Format(time.DateOnly)
	form := url.Values{
		"gender": {"man"}, "birth_year": {"1980"}, "birth_region": {"unknown"}, "education": {"unknown"},
		"labour_status": {"unknown"}, "income_source": {"unknown"}, "referred_on": {today},
		"referral_source": {"employment_service"}, "name": {"Fiktiv Anvisad"}, "consent_given_on": {today},
	}
	rows, err := a.db.Pool.Query(context.Background(), `SELECT id FROM agreements ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	var page string
	for _, id := range ids {
		res := c.post("/agreements/"+itoa(id)+"/participants", form)
		if res.StatusCode == http.StatusSeeOther {
			page = res.Header.Get("Location")
			break
		}
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, participant.MsgAgreementClosed) {
			t.Fatalf("agreement %d: %d", id, res.StatusCode)
		}
	}
	if page == "" {
		t.Fatal("no active agreement to refer to")
	}
	if res := c.get(page); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="show-identity"`) ||
		strings.Contains(res.Body, `data-testid="enrol-form"`) {
		t.Errorf("coordinator's referral page: %d", res.StatusCode)
	}
	if res := c.post(page+"/identity", nil); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Fiktiv Anvisad") {
		t.Errorf("coordinator's identity read: %d", res.StatusCode)
	}
	if res := c.post(page+"/enrol", url.Values{"enrolled_on": {today}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator's enrolment: %d, want 403 (staff enrol)", res.StatusCode)
	}
}

// TestParticipantEdit changes the cohort through the edit form, and a
// stale version is a conflict.
func TestParticipantEdit(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	c := loggedIn(a, ikfEmail)
	res := c.get(f.page + "/edit")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `value="Matrisgruppen"`) || strings.Contains(res.Body, fixtureName) {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	form := url.Values{
		"gender": {"woman"}, "birth_year": {"1985"}, "birth_region": {"unknown"}, "education": {"unknown"},
		"labour_status": {"unknown"}, "income_source": {"unknown"}, "cohort": {"Ny grupp"},
		"referred_on": {a.clock.Now().AddDate(0, 0, -30).UTC().Format(time.DateOnly)}, "referral_source": {"employment_service"},
	}
	p, err := participantService(a).Get(context.Background(), f.actor, f.id)
	if err != nil {
		t.Fatal(err)
	}
	form.Set("version", strconv.Itoa(p.Version))
	if res := c.post(f.page, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	if res := c.get(f.page); !strings.Contains(res.Body, "Ny grupp") {
		t.Errorf("the page does not show the new cohort")
	}
	form.Set("cohort", "Tredje gruppen")
	res = c.post(f.page, form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, `data-testid="conflict"`) ||
		!strings.Contains(res.Body, `value="Tredje gruppen"`) {
		t.Fatalf("stale version: %d, want 409 with the input kept and the conflict named", res.StatusCode)
	}
	// Sent again as shown, it saves over the newer version.
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(res.Body)
	if version == nil {
		t.Fatal("the conflict form carries no version")
	}
	form.Set("version", version[1])
	if res := c.post(f.page, form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("sent again after the conflict: %d, want 303", res.StatusCode)
	}
	if res := c.get(f.page); !strings.Contains(res.Body, "Tredje gruppen") {
		t.Errorf("the page does not show the cohort saved after the conflict")
	}
}

// TestViewerSeesCountsButNoParticipant: the agreement page gives the
// viewer the participants per year but no way to the records, which
// refuse them.
func TestViewerSeesCountsButNoParticipant(t *testing.T) {
	a := newApp(t)
	f := newParticipantFixture(t, a)
	page := strings.TrimSuffix(f.list, "/participants")
	for _, tc := range []struct {
		email string
		link  bool
		list  int
	}{{viewerEmail, false, http.StatusForbidden}, {officerEmail, true, http.StatusOK}} {
		c := loggedIn(a, tc.email)
		res := c.get(page)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="participant-counts"`) ||
			strings.Contains(res.Body, `data-testid="participants-link"`) != tc.link {
			t.Errorf("agreement page as %s: %d, counts or link wrong", tc.email, res.StatusCode)
		}
		if got := c.get(f.list).StatusCode; got != tc.list {
			t.Errorf("participant list as %s: %d, want %d", tc.email, got, tc.list)
		}
	}
}
