package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

const stadsmissionenEmail = "stadsmissionen@iop.example"

// logToday is the day the activity tests run on.
const logToday = "2026-06-15"

// logAgreement stores an agreement with the named parties and two active
// activity types, "Må bra-grupp" (occasions, target 40 this year) and
// "Samtal" (hours), and returns it with the types by name.
func logAgreement(t *testing.T, a *app, title string, orgs ...string) (partnership.Agreement, map[string]partnership.ActivityType) {
	t.Helper()
	ctx := context.Background()
	ag := agStore(t, a, title, orgs...)
	store := postgres.NewActivityTypes(a.db.Pool)
	types := map[string]partnership.ActivityType{}
	for i, spec := range []struct {
		name string
		unit partnership.ActivityUnit
	}{{"Må bra-grupp", partnership.UnitOccasions}, {"Samtal", partnership.UnitHours}} {
		typ, err := store.CreateType(ctx, partnership.ActivityType{AgreementID: ag.ID, Name: spec.name, Unit: spec.unit, Position: i + 1, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		types[spec.name] = typ
	}
	if err := store.SetTarget(ctx, partnership.Target{AgreementID: ag.ID, TypeID: types["Må bra-grupp"].ID, Year: 2026, Min: 40, Max: 40}); err != nil {
		t.Fatal(err)
	}
	return ag, types
}

// logForm is a valid log form for the type on the date.
func logForm(typ partnership.ActivityType, date string) url.Values {
	return url.Values{
		"type_id": {itoa(typ.ID)}, "date": {date}, "hours": {"1,5"}, "women": {"12"}, "men": {"1"},
		"non_binary": {"1"}, "children": {"4"}, "volunteer_hours": {"2,25"}, "staff_present": {"2"},
		"place": {"Föreningens lokal"}, "notes": {"Tema: sömn"},
	}
}

// postHX posts a form as htmx does.
func (c *client) postHX(path string, form url.Values) response {
	c.app.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

// getHX gets a path as htmx does.
func (c *client) getHX(path string) response {
	c.app.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

// logActivities reads an agreement's activities, newest first.
func logActivities(t *testing.T, a *app, agreementID int64) []partnership.Activity {
	t.Helper()
	page, err := postgres.NewActivities(a.db.Pool).List(context.Background(), agreementID, partnership.ActivityFilter{}, nil, 500)
	if err != nil {
		t.Fatal(err)
	}
	return page.Activities
}

// logStore stores an activity of the type on the date, logged for org.
func logStore(t *testing.T, a *app, typ partnership.ActivityType, date string, org *int64) partnership.Activity {
	t.Helper()
	d, _ := time.Parse(time.DateOnly, date)
	created, err := postgres.NewActivities(a.db.Pool).Create(context.Background(), partnership.Activity{
		AgreementID: typ.AgreementID, TypeID: typ.ID, Date: d, DurationMinutes: 60, Women: 3, OrganisationID: org,
	})
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func logPath(agreementID int64) string { return agPath(agreementID) + "/activities" }

func logEntryPath(a partnership.Activity) string {
	return logPath(a.AgreementID) + "/" + itoa(a.ID)
}

func orgPtr(t *testing.T, a *app, name string) *int64 {
	id := orgID(t, a, name)
	return &id
}

// logFixture is what the matrix's activity rows point at: an IKF entry in
// the matrix's IKF agreement, and another that the delete row removes.
type logFixture struct {
	entry  string
	victim string
}

func newLogFixture(t *testing.T, a *app, agreementID int64) logFixture {
	t.Helper()
	typ, err := postgres.NewActivityTypes(a.db.Pool).CreateType(context.Background(), partnership.ActivityType{
		AgreementID: agreementID, Name: "Matrisens loggtyp", Unit: partnership.UnitOccasions, Active: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ikf := orgPtr(t, a, ikfOrganisation)
	return logFixture{
		entry:  logEntryPath(logStore(t, a, typ, "2025-03-04", ikf)),
		victim: logEntryPath(logStore(t, a, typ, "2025-03-05", ikf)),
	}
}

func TestActivityLogEditDelete(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Loggning", "Linköpings kommun", ikfOrganisation)
	c := loggedIn(a, ikfEmail)

	// Logging without JavaScript: post/redirect/get with a flash.
	res := c.post(logPath(ag.ID), logForm(types["Må bra-grupp"], "2026-06-14"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != logPath(ag.ID) {
		t.Fatalf("log: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page := c.get(logPath(ag.ID))
	if !strings.Contains(page.Body, "Loggade Må bra-grupp 2026-06-14: 1,5 timmar, 18 deltagare.") {
		t.Errorf("no flash after logging:\n%s", page.Body)
	}
	list := logActivities(t, a, ag.ID)
	if len(list) != 1 {
		t.Fatalf("%d activities stored", len(list))
	}
	got := list[0]
	if got.DurationMinutes != 90 || got.VolunteerMinutes != 135 || got.Women != 12 || got.Children != 4 ||
		got.StaffPresent != 2 || got.Place != "Föreningens lokal" || got.OrganisationID == nil ||
		*got.OrganisationID != orgID(t, a, ikfOrganisation) || got.CreatedByName != "Amina Hassan" {
		t.Errorf("stored %+v", got)
	}

	// Edit: the form shows the stored values; a save bumps the version.
	edit := c.get(logEntryPath(got))
	if edit.StatusCode != http.StatusOK || !strings.Contains(edit.Body, `value="1,5"`) || !strings.Contains(edit.Body, `value="2,25"`) {
		t.Fatalf("edit form: %d\n%s", edit.StatusCode, edit.Body)
	}
	form := logForm(types["Samtal"], "2026-06-13")
	form.Set("version", "1")
	form.Set("hours", "2")
	if res := c.post(logEntryPath(got), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	updated := logActivities(t, a, ag.ID)[0]
	if updated.TypeName != "Samtal" || updated.DurationMinutes != 120 || updated.Version != 2 {
		t.Errorf("updated %+v", updated)
	}

	// The same form again is based on version 1: 409, the input kept.
	form.Set("notes", "Min ändring")
	res = c.post(logEntryPath(got), form)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "Min ändring") ||
		!strings.Contains(res.Body, `data-testid="conflict"`) || !strings.Contains(res.Body, `name="version" value="2"`) {
		t.Errorf("stale edit: %d\n%s", res.StatusCode, res.Body)
	}

	// Delete after confirmation.
	confirm := c.get(logEntryPath(got) + "/delete")
	if confirm.StatusCode != http.StatusOK || !strings.Contains(confirm.Body, "Vill du ta bort Samtal den 2026-06-13") {
		t.Errorf("confirm: %d\n%s", confirm.StatusCode, confirm.Body)
	}
	if res := c.post(logEntryPath(got)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d\n%s", res.StatusCode, res.Body)
	}
	if n := len(logActivities(t, a, ag.ID)); n != 0 {
		t.Errorf("%d activities after delete", n)
	}
	actions := agActions(t, a, ag.ID)
	for _, want := range []string{"activity.create", "activity.update", "activity.delete"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit %v lacks %s", actions, want)
		}
	}
	if history := loggedIn(a, officerEmail).get(agPath(ag.ID)).Body; !strings.Contains(history, "Loggade aktivitet") ||
		!strings.Contains(history, "Tog bort aktivitet") {
		t.Errorf("agreement history does not name the activity events")
	}
}

func TestActivityLogInvalidKeepsValues(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Fel i formuläret", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	form := logForm(types["Må bra-grupp"], "2026-06-16") // tomorrow
	form.Set("hours", "1,555")
	form.Set("women", "-2")
	form.Set("place", "Kvarterslokalen")
	res := c.post(logPath(ag.ID), form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{
		`data-testid="error-summary"`, "Datumet får inte vara senare än i dag (2026-06-15).",
		"Ange timmar som ett tal med högst två decimaler", "Ange ett heltal, 0 eller mer.",
		`value="Kvarterslokalen"`, `value="1,555"`, `value="2026-06-16"`, `aria-invalid="true"`,
	} {
		if !strings.Contains(res.Body, html.EscapeString(want)) && !strings.Contains(res.Body, want) {
			t.Errorf("422 page lacks %q", want)
		}
	}
	// A type of another agreement is refused as well.
	other, otherTypes := logAgreement(t, a, "Annan", ikfOrganisation)
	_ = other
	res = c.post(logPath(ag.ID), logForm(otherTypes["Samtal"], "2026-06-15"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Välj en av överenskommelsens aktivitetstyper.") {
		t.Errorf("foreign type: %d", res.StatusCode)
	}
	if n := len(logActivities(t, a, ag.ID)); n != 0 {
		t.Errorf("%d activities stored from invalid forms", n)
	}
	if slices.Contains(agActions(t, a, ag.ID), "activity.create") {
		t.Error("invalid form audited")
	}
}

var (
	oobRowRE      = regexp.MustCompile(`(?s)<tbody hx-swap-oob="afterbegin:#activity-rows-(\d+)">\s*<tr data-testid="activity" data-id="(\d+)">(.*?)</tr>`)
	oobProgressRE = regexp.MustCompile(`<section id="progress-(\d+)"[^>]*hx-swap-oob="true"`)
)

func TestActivityLogWithHTMX(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Med htmx", ikfOrganisation)
	c := loggedIn(a, ikfEmail)

	res := c.postHX(logPath(ag.ID), logForm(types["Må bra-grupp"], "2026-06-15"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("htmx log: %d\n%s", res.StatusCode, res.Body)
	}
	if strings.Contains(res.Body, "<html") {
		t.Error("htmx got a whole page, not the fragment")
	}
	id := itoa(ag.ID)
	row := oobRowRE.FindStringSubmatch(res.Body)
	if row == nil || row[1] != id || !strings.Contains(row[3], "Må bra-grupp") || !strings.Contains(row[3], "2026-06-15") {
		t.Errorf("no new entry for the top of the list:\n%s", res.Body)
	}
	if m := oobProgressRE.FindStringSubmatch(res.Body); m == nil || m[1] != id {
		t.Errorf("no out-of-band progress section:\n%s", res.Body)
	}
	// The progress counts the new entry: 1 of 40.
	if !strings.Contains(res.Body, "1 av 40 tillfällen") {
		t.Errorf("progress not updated:\n%s", res.Body)
	}
	for _, want := range []string{
		`id="activity-status-` + id + `" hx-swap-oob="innerHTML"`, "Loggade Må bra-grupp 2026-06-15: 1,5 timmar, 18 deltagare.",
		`id="activity-log-` + id + `"`, `hx-post="/agreements/` + id + `/activities"`, `id="activity-empty-` + id + `" hx-swap-oob="true"`,
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("htmx answer lacks %q", want)
		}
	}
	// The fresh form is reset: no hours, counts 0, today.
	form := res.Body[:strings.Index(res.Body, "</form>")]
	if !strings.Contains(form, `name="hours" type="text" inputmode="decimal" autocomplete="off" value=""`) ||
		!strings.Contains(form, `name="women" type="text" inputmode="numeric" autocomplete="off" value="0"`) ||
		strings.Contains(form, "Tema: sömn") {
		t.Errorf("form not reset:\n%s", form)
	}
	if len(logActivities(t, a, ag.ID)) != 1 || !slices.Contains(agActions(t, a, ag.ID), "activity.create") {
		t.Error("htmx log not stored and audited")
	}

	// Errors: 422 with the form alone, the values kept.
	bad := logForm(types["Må bra-grupp"], "")
	bad.Set("place", "Parken")
	res = c.postHX(logPath(ag.ID), bad)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.Body, "<html") ||
		!strings.Contains(res.Body, `value="Parken"`) || !strings.Contains(res.Body, "Ange ett datum") ||
		!strings.HasPrefix(strings.TrimSpace(res.Body), `<form id="activity-log-`+id+`"`) {
		t.Errorf("htmx 422: %d\n%s", res.StatusCode, res.Body)
	}
}

func TestActivityLogSimilarPrefills(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Liknande", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	if res := c.post(logPath(ag.ID), logForm(types["Samtal"], "2026-05-02")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log: %d", res.StatusCode)
	}
	entry := logActivities(t, a, ag.ID)[0]
	list := c.get(logPath(ag.ID))
	likeURL := html.EscapeString(logPath(ag.ID) + "/new?like=" + itoa(entry.ID))
	if !strings.Contains(list.Body, `href="`+likeURL+`"`) {
		t.Fatalf("no log-a-similar link %s in the list", likeURL)
	}
	for _, res := range []response{c.get(logPath(ag.ID) + "/new?like=" + itoa(entry.ID)), c.getHX(logPath(ag.ID) + "/new?like=" + itoa(entry.ID))} {
		if res.StatusCode != http.StatusOK {
			t.Fatalf("like: %d", res.StatusCode)
		}
		for _, want := range []string{
			`<option value="` + itoa(types["Samtal"].ID) + `" selected>Samtal</option>`, `value="2026-06-15"`, `value="1,5"`,
			`value="2,25"`, `value="Föreningens lokal"`, "Tema: sömn",
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("prefilled form lacks %q", want)
			}
		}
	}
	if res := c.getHX(logPath(ag.ID) + "/new?like=" + itoa(entry.ID)); strings.Contains(res.Body, "<html") || !strings.Contains(res.Body, "hx-post") {
		t.Error("htmx like: not the htmx form fragment")
	}
	if res := c.get(logPath(ag.ID) + "/new?like=999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("like an unknown entry: %d", res.StatusCode)
	}
}

func TestActivityReturnToIsLocal(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Tillbaka", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	for returnTo, want := range map[string]string{
		"/": "/", "": logPath(ag.ID), "//angripare.example/": logPath(ag.ID), "https://angripare.example/": logPath(ag.ID),
		"/\\angripare.example": logPath(ag.ID), "/\t/angripare.example": logPath(ag.ID),
	} {
		form := logForm(types["Må bra-grupp"], "2026-06-15")
		form.Set("return_to", returnTo)
		if res := c.post(logPath(ag.ID), form); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("return_to %q: %d to %q, want %q", returnTo, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
}

// Who may log activities: admins, officers and association staff (of a
// party: the matrix's agreement is IKF's).
var (
	activityLoggers        = want{login, 200, 200, 403, 200, 403}
	activityLoggersInvalid = want{login, 422, 422, 403, 422, 403}
)
