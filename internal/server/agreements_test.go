package server_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Who gets what on the agreement routes that change something: admins and
// officers; everyone else 403.
var (
	agreementEditors         = want{login, 200, 200, 403, 403, 403}
	agreementEditorsInvalid  = want{login, 422, 422, 403, 403, 403}
	agreementEditorsConflict = want{login, 409, 409, 403, 403, 403}
	// agV1 is a form at the matrix agreement's version with nothing else
	// in it: refused as invalid, so the agreement never changes.
	agV1 = url.Values{"version": {"1"}}
)

// agStore stores a draft agreement through the agreement store with the
// named organisations as signed parties, in order: a municipality gets the
// municipality's role, the first association the lead, later ones partner,
// an authority the referring role.
func agStore(t *testing.T, a *app, title string, orgs ...string) partnership.Agreement {
	t.Helper()
	ctx := context.Background()
	ag := partnership.Agreement{Title: title, Status: partnership.StatusDraft}
	lead := false
	for i, name := range orgs {
		org, err := postgres.NewOrganisations(a.db.Pool).ByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		role := partnership.PartyPartnerAssociation
		switch {
		case org.Kind == partnership.OrgMunicipality:
			role = partnership.PartyMunicipality
		case org.Kind == partnership.OrgAuthority:
			role = partnership.PartyReferringAuthority
		case !lead:
			role, lead = partnership.PartyLeadAssociation, true
		}
		ag.Parties = append(ag.Parties, partnership.Party{
			OrganisationID: org.ID, Role: role, SignatoryName: fmt.Sprintf("Firmatecknare %d", i+1),
		})
	}
	created, err := postgres.NewAgreements(a.db.Pool).Create(ctx, ag)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

// agRead reads an agreement back from the database.
func agRead(t *testing.T, a *app, id int64) partnership.Agreement {
	t.Helper()
	ag, err := postgres.NewAgreements(a.db.Pool).ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// agActions lists the audited actions on an agreement, oldest first.
func agActions(t *testing.T, a *app, id int64) []string {
	t.Helper()
	list, err := postgres.NewAudit(a.db.Pool).ForEntity(context.Background(), "agreement", itoa(id), 100)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[len(list)-1-i] = e.Action
	}
	return out
}

func agPath(id int64) string { return "/agreements/" + itoa(id) }

var agLocation = regexp.MustCompile(`^/agreements/(\d+)$`)

// agForm is a complete agreement form at the version.
func agForm(title string, version int) url.Values {
	return url.Values{
		"version": {fmt.Sprint(version)}, "title": {title}, "case_number": {"AMN 2026/12"},
		"committee": {"Arbetsmarknadsnämnden"}, "start_date": {"2026-01-01"}, "end_date": {"2027-12-31"},
		"notice_months": {"6"}, "extension_months": {"12"}, "max_extensions": {"2"},
		"purpose": {"Stärka kvinnors väg till arbete."}, "invoice_frequency": {"quarterly"},
	}
}

func TestAgreementCreateAndEdit(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	if res := c.get("/agreements/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="agreement-form"`) {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	// Invalid: every problem named, every value kept.
	bad := agForm("", 0)
	bad.Set("end_date", "2025-12-31")
	bad.Set("notice_months", "sex")
	bad.Set("purpose", "Kvar <efter> felet")
	res := c.post("/agreements", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid create: %d", res.StatusCode)
	}
	for _, want := range []string{"Ange överenskommelsens namn.", "Slutdatum kan inte vara före startdatum.", "Ange ett heltal.",
		`value="sex"`, "Kvar &lt;efter&gt; felet", `data-testid="error-summary"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("invalid create: no %q", want)
		}
	}
	res = c.post("/agreements", agForm("Vägen till arbete", 0))
	m := agLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	stored, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), "Vägen till arbete")
	if err != nil || stored.Status != partnership.StatusDraft || stored.Version != 1 || stored.NoticeMonths != 6 ||
		stored.EndDate.Format("2006-01-02") != "2027-12-31" || stored.InvoiceFrequency != partnership.InvoiceQuarterly {
		t.Fatalf("stored %+v %v", stored, err)
	}
	page := c.get(res.Header.Get("Location"))
	for _, want := range []string{"Överenskommelsen Vägen till arbete skapades som utkast.", "Utkast", "AMN 2026/12", "2026-01-01 – 2027-12-31"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("agreement page: no %q", want)
		}
	}
	if edit := c.get(agPath(stored.ID) + "/edit"); edit.StatusCode != http.StatusOK || !strings.Contains(edit.Body, `name="version" value="1"`) {
		t.Errorf("edit form: %d", edit.StatusCode)
	}
	edited := agForm("Vägen till arbete 2026", 1)
	edited.Set("purpose", "Första stycket.\n\n- språk\n- praktik")
	if res := c.post(agPath(stored.ID), edited); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	page = c.get(agPath(stored.ID))
	for _, want := range []string{"<h1>Vägen till arbete 2026</h1>", "<p>Första stycket.</p>", "<li>språk</li>", "Ändrade uppgifter",
		"Ändrade fält: Namn, Syfte", "Skapade överenskommelsen", "Erik Johansson"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("after edit: no %q", want)
		}
	}
	if got := agActions(t, a, stored.ID); strings.Join(got, " ") != "agreement.create agreement.update" {
		t.Errorf("audit %v", got)
	}
}

// TestAgreementIndexRateBounds: the agreement's own index rate is kept
// within −10 % and 20 %, on create and on edit; a rate outside is refused
// on its field, with what was typed kept and nothing stored.
func TestAgreementIndexRateBounds(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	fieldError := `<p class="field-error" id="index_rate-error">` + partnership.MsgIndexRateRange + `</p>`
	for _, typed := range []string{"20,01", "−10,01", "25"} {
		form := agForm("Utanför gränserna", 0)
		form.Set("index_mode", "fixed")
		form.Set("index_rate", typed)
		res := c.post("/agreements", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, fieldError) ||
			!strings.Contains(res.Body, `name="index_rate" type="text" value="`+typed+`"`) || !strings.Contains(res.Body, `href="#index_rate"`) {
			t.Errorf("create at %s: %d, want 422 with the message and the value kept", typed, res.StatusCode)
		}
	}
	if _, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), "Utanför gränserna"); err == nil {
		t.Error("an agreement was stored with its rate out of bounds")
	}

	form := agForm("Vid gränsen", 0)
	form.Set("index_mode", "fixed")
	form.Set("index_rate", "20 %")
	if res := c.post("/agreements", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create at 20 %%: %d", res.StatusCode)
	}
	stored, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), "Vid gränsen")
	if err != nil || stored.IndexRateBP != 2000 {
		t.Fatalf("stored rate %d, %v", stored.IndexRateBP, err)
	}
	edit := agForm("Vid gränsen", stored.Version)
	edit.Set("index_mode", "fixed")
	edit.Set("index_rate", "-10,01")
	res := c.post(agPath(stored.ID), edit)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, fieldError) ||
		!strings.Contains(res.Body, `name="index_rate" type="text" value="-10,01"`) {
		t.Errorf("edit to −10,01 %%: %d, want 422 with the message and the value kept", res.StatusCode)
	}
	if got := agRead(t, a, stored.ID); got.IndexRateBP != 2000 || got.Version != stored.Version {
		t.Errorf("a refused edit stored rate %d, version %d", got.IndexRateBP, got.Version)
	}
	edit.Set("index_rate", "-10")
	if res := c.post(agPath(stored.ID), edit); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit to −10 %%: %d", res.StatusCode)
	}
	if got := agRead(t, a, stored.ID); got.IndexRateBP != -1000 {
		t.Errorf("edited rate %d, want -1000", got.IndexRateBP)
	}
}

// TestAgreementEditConflictKeepsInput: two officers edit the same version;
// the second is refused with 409 and sees their own input again.
func TestAgreementEditConflictKeepsInput(t *testing.T) {
	a := newApp(t)
	ag := agStore(t, a, "Samma version", ikfOrganisation)
	first, second := loggedIn(a, officerEmail), loggedIn(a, adminEmail)
	if res := first.post(agPath(ag.ID), agForm("Först sparad", 1)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first edit: %d", res.StatusCode)
	}
	mine := agForm("Andras titel", 1)
	mine.Set("purpose", "Mitt syfte som inte får försvinna")
	mine.Set("case_number", "AMN 2026/99")
	res := second.post(agPath(ag.ID), mine)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second edit: %d, want 409", res.StatusCode)
	}
	for _, want := range []string{`data-testid="conflict"`, "Någon annan har ändrat överenskommelsen", `value="Andras titel"`,
		"Mitt syfte som inte får försvinna", `value="AMN 2026/99"`, `name="version" value="2"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("conflict page: no %q", want)
		}
	}
	if got := agRead(t, a, ag.ID); got.Title != "Först sparad" || got.Version != 2 {
		t.Errorf("stored %q version %d", got.Title, got.Version)
	}
	// Sent again from the re-rendered form, it saves over the newer version.
	mine.Set("version", "2")
	if res := second.post(agPath(ag.ID), mine); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.StatusCode)
	}
	if got := agRead(t, a, ag.ID); got.Title != "Andras titel" || got.Version != 3 {
		t.Errorf("after resend %q version %d", got.Title, got.Version)
	}
	// The same holds for the party form.
	stale := url.Values{"version": {"1"}, "organisation_id": {itoa(orgID(t, a, "Linköpings kommun"))}, "role": {"municipality"}}
	if res := first.post(agPath(ag.ID)+"/parties", stale); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Body, `data-testid="conflict"`) || !strings.Contains(res.Body, `name="version" value="3"`) {
		t.Errorf("stale party form: %d", res.StatusCode)
	}
}

// agSetToday sets the app's clock to noon, Swedish time, on the day.
func agSetToday(a *app, day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CET", 3600))
	if err != nil {
		a.t.Fatal(err)
	}
	a.clock.mu.Lock()
	defer a.clock.mu.Unlock()
	a.clock.t = d.Add(11 * time.Hour)
}

func TestAgreementLifecycle(t *testing.T) {
	a := newApp(t)
	agSetToday(a, "2027-03-05")
	c := loggedIn(a, officerEmail)
	ag := agStore(t, a, "Hela livet", ikfOrganisation)
	path := agPath(ag.ID)
	form := agForm("Hela livet", 1)
	if res := c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill in: %d", res.StatusCode)
	}
	// One party, no municipality: activation is refused with what is missing.
	res := c.post(path+"/activate", url.Values{"version": {"2"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-testid="activation-error"`) ||
		!strings.Contains(res.Body, "Minst två parter, varav en kommun") || strings.Contains(res.Body, "<li>Giltighetstid") {
		t.Fatalf("activate incomplete: %d", res.StatusCode)
	}
	party := url.Values{"version": {"2"}, "organisation_id": {itoa(orgID(t, a, "Linköpings kommun"))}, "role": {"municipality"},
		"signatory_name": {"Kim Ordförande"}, "signatory_title": {"Ordförande"}, "signed_on": {"2025-12-01"},
		"representatives": {"Anna Andersson, chef\r\n\r\nBo Berg, handläggare\r\n"}, "contribution": {"800 000 kr per år"}}
	if res := c.post(path+"/parties", party); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add party: %d %s", res.StatusCode, res.Body)
	}
	if res := c.post(path+"/parties", party); res.StatusCode != http.StatusConflict {
		t.Errorf("the same form again: %d, want 409", res.StatusCode)
	}
	party.Set("version", "3")
	if res := c.post(path+"/parties", party); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, partnership.MsgPartyTwice) {
		t.Errorf("the same organisation twice: %d", res.StatusCode)
	}
	stored := agRead(t, a, ag.ID)
	if len(stored.Parties) != 2 || strings.Join(stored.Parties[1].Representatives, "|") != "Anna Andersson, chef|Bo Berg, handläggare" {
		t.Fatalf("parties %+v", stored.Parties)
	}
	if res := c.post(path+"/activate", url.Values{"version": {"3"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("activate: %d", res.StatusCode)
	}
	if got := agRead(t, a, ag.ID); got.Status != partnership.StatusActive {
		t.Fatalf("status %s", got.Status)
	}
	// An active agreement keeps its municipality.
	municipality := path + "/parties/" + itoa(stored.Parties[1].ID) + "/delete"
	if res := c.get(municipality); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Vill du ta bort Linköpings kommun") {
		t.Errorf("confirm removal: %d", res.StatusCode)
	}
	if res := c.post(municipality, url.Values{"version": {"4"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Minst två parter, varav en kommun") {
		t.Errorf("remove the municipality of an active agreement: %d", res.StatusCode)
	}
	// Extensions: 12 months at a time from 2027-12-31.
	ext := url.Values{"version": {"4"}, "decided_on": {"2027-05-10"}, "decision_ref": {"AMN 2027 § 45"}, "new_end_date": {"2029-01-31"}}
	if res := c.post(path+"/extensions", ext); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "En förlängning får vara högst 12 månader, alltså till och med 2028-12-31.") ||
		!strings.Contains(res.Body, `value="AMN 2027 § 45"`) {
		t.Errorf("extension beyond the terms: %d", res.StatusCode)
	}
	ext.Set("new_end_date", "2028-12-31")
	if res := c.post(path+"/extensions", ext); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("extension: %d", res.StatusCode)
	}
	page := c.get(path)
	for _, want := range []string{`<dd data-testid="current-end">2028-12-31</dd>`, "AMN 2027 § 45", `<dd data-testid="extensions-left">1 av 2</dd>`,
		`<dd data-testid="decision-needed-by">2028-06-30</dd>`, "Registrerade förlängning", "Nytt slutdatum: 2028-12-31"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("after extension: no %q", want)
		}
	}
	// Termination needs the confirmation, then ends the agreement.
	term := url.Values{"version": {"5"}, "terminated_on": {"2028-06-30"}, "termination_kind": {"notice"},
		"termination_reason": {"Ändrade behov"}, "termination_settlement": {"Ingen återbetalning"}}
	if res := c.post(path+"/terminate", term); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Bekräfta att överenskommelsen ska upphöra.") || !strings.Contains(res.Body, "Ändrade behov") {
		t.Errorf("terminate unconfirmed: %d", res.StatusCode)
	}
	term.Set("confirm", "yes")
	if res := c.post(path+"/terminate", term); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("terminate: %d", res.StatusCode)
	}
	got := agRead(t, a, ag.ID)
	if got.Status != partnership.StatusTerminated || got.Termination == nil || got.Termination.Settlement != "Ingen återbetalning" {
		t.Errorf("terminated %+v", got.Termination)
	}
	if page := c.get(path); !strings.Contains(page.Body, `data-testid="status">Uppsagd`) || !strings.Contains(page.Body, `<dd data-testid="terminated-on">2028-06-30</dd>`) {
		t.Errorf("terminated page")
	}
	want := "agreement.update agreement.party_add agreement.activate agreement.extend agreement.terminate"
	if got := strings.Join(agActions(t, a, ag.ID), " "); got != want {
		t.Errorf("audit %s\n want %s", got, want)
	}
}

// TestAgreementTenancy: IKF's staff open the agreements IKF is a party to,
// and get 404 for every read route of any other, whether it exists or not;
// the write routes are refused to them by role for every agreement alike.
func TestAgreementTenancy(t *testing.T) {
	a := newApp(t)
	own := agStore(t, a, "IKF:s egen", "Linköpings kommun", ikfOrganisation)
	other := agStore(t, a, "Stadsmissionens", "Linköpings kommun", "Linköpings Stadsmission")
	staff := loggedIn(a, ikfEmail)
	if res := staff.get(agPath(own.ID)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "IKF:s egen") ||
		strings.Contains(res.Body, `data-testid="agreement-actions"`) {
		t.Errorf("own agreement: %d", res.StatusCode)
	}
	for _, ag := range []partnership.Agreement{other, {ID: other.ID + 1000}} {
		p := agPath(ag.ID)
		party := p + "/parties/" + itoa(other.Parties[0].ID)
		for _, path := range []string{p, p + "/documents"} {
			if res := staff.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
			}
		}
		for _, path := range []string{p + "/edit", p + "/parties/new", party, party + "/delete", p + "/extensions/new", p + "/terminate"} {
			if res := staff.get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s: %d, want 403", path, res.StatusCode)
			}
		}
		for _, path := range []string{p, p + "/parties", party, party + "/delete", p + "/activate", p + "/extensions", p + "/terminate"} {
			if res := staff.post(path, url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s: %d, want 403", path, res.StatusCode)
			}
		}
	}
	// A party of another agreement is not found under this one, for anyone.
	officer := loggedIn(a, officerEmail)
	for _, path := range []string{agPath(own.ID) + "/parties/" + itoa(other.Parties[0].ID), agPath(own.ID) + "/parties/x/delete"} {
		if res := officer.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("officer GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	if res := officer.get("/agreements/abc"); res.StatusCode != http.StatusNotFound {
		t.Errorf("malformed id: %d", res.StatusCode)
	}
}

func TestAgreementTextIsEscapedAndKeepsParagraphs(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	ag := agStore(t, a, "Texter", ikfOrganisation)
	form := agForm("Texter", 1)
	form.Set("values", "Alla är välkomna.\nÄven <b>du</b>.\n\n• ett\n• två & tre\n\n<script>alert(1)</script>")
	if res := c.post(agPath(ag.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	body := c.get(agPath(ag.ID)).Body
	section := body[strings.Index(body, `data-testid="section-values"`):]
	section = section[:strings.Index(section, "</div>")]
	want := `<p>Alla är välkomna.<br>Även &lt;b&gt;du&lt;/b&gt;.</p><ul><li>ett</li><li>två &amp; tre</li></ul><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`
	if !strings.Contains(strings.ReplaceAll(section, "\n", ""), want) {
		t.Errorf("section rendered as\n%s\nwant %s", html.UnescapeString(section), want)
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("user text rendered as markup")
	}
}

// TestAgreementPagesOfDemoData opens every demo agreement, its edit form
// and its party forms, whatever state the demo data leaves them in.
func TestAgreementPagesOfDemoData(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
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
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		t.Fatal("the demo data holds no agreements")
	}
	for _, id := range ids {
		paths := []string{agPath(id), agPath(id) + "/edit", agPath(id) + "/parties/new", agPath(id) + "/extensions/new", agPath(id) + "/terminate"}
		for _, p := range agRead(t, a, id).Parties {
			paths = append(paths, agPath(id)+"/parties/"+itoa(p.ID))
		}
		for _, path := range paths {
			if res := c.get(path); res.StatusCode != http.StatusOK {
				t.Errorf("GET %s: %d", path, res.StatusCode)
			}
		}
	}
}
