package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// storeActivityType creates an activity type for the matrix's and the
// tests' paths and returns its id.
func storeActivityType(t *testing.T, a *app, agreementID int64, name string) string {
	t.Helper()
	typ, err := postgres.NewActivityTypes(a.db.Pool).CreateType(context.Background(), partnership.ActivityType{
		AgreementID: agreementID, Name: name, Unit: partnership.UnitOccasions, Active: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return itoa(typ.ID)
}

// actTypes reads an agreement's types by name.
func actTypes(t *testing.T, a *app, agreementID int64) map[string]partnership.ActivityType {
	t.Helper()
	list, err := postgres.NewActivityTypes(a.db.Pool).Types(context.Background(), agreementID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]partnership.ActivityType{}
	for _, typ := range list {
		out[typ.Name] = typ
	}
	return out
}

func actTypeForm(name, unit, lo, hi string, active bool) url.Values {
	f := url.Values{"name": {name}, "unit": {unit}, "per_participant_min": {lo}, "per_participant_max": {hi}}
	if active {
		f.Set("active", "on")
	}
	return f
}

func wantStatus(t *testing.T, what string, res response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, res.Body)
	}
}

func TestActivityTypeCreateEditTargetsDelete(t *testing.T) {
	a := newApp(t)
	agSetToday(a, "2026-03-05")
	ag := agStore(t, a, "Läxhjälp i Skäggetorp", ikfOrganisation)
	c := loggedIn(a, officerEmail)
	list := agPath(ag.ID) + "/activity-types"

	res := c.get(list)
	wantStatus(t, "empty list", res, http.StatusOK)
	if !strings.Contains(res.Body, `data-testid="no-activity-types"`) || !strings.Contains(res.Body, list+"/new") {
		t.Error("the empty list offers no new type")
	}
	wantStatus(t, "new form", c.get(list+"/new"), http.StatusOK)

	// Invalid: every problem at once, the input kept.
	res = c.post(list, actTypeForm(" ", "weeks", "två", "1", false))
	wantStatus(t, "invalid create", res, http.StatusUnprocessableEntity)
	for _, want := range []string{`data-testid="error-summary"`, "Ange ett namn på aktivitetstypen.",
		"Välj om typen räknas i tillfällen eller timmar.", "Ange ett heltal.", `value="två"`, `aria-invalid="true"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("invalid create lacks %q", want)
		}
	}
	res = c.post(list, actTypeForm("Läxhjälp", "occasions", "3", "2", false))
	wantStatus(t, "reversed range", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Det högsta värdet får inte vara lägre än det lägsta.") || !strings.Contains(res.Body, `value="Läxhjälp"`) {
		t.Error("a reversed per-participant range is not explained with the input kept")
	}

	res = c.post(list, actTypeForm("Läxhjälp", "occasions", "2", "3", false))
	wantStatus(t, "create", res, http.StatusSeeOther)
	if res.Header.Get("Location") != list {
		t.Errorf("create redirects to %q", res.Header.Get("Location"))
	}
	typ, ok := actTypes(t, a, ag.ID)["Läxhjälp"]
	if !ok || !typ.Active || typ.Unit != partnership.UnitOccasions || *typ.PerParticipantMin != 2 || *typ.PerParticipantMax != 3 {
		t.Fatalf("created type: %+v", typ)
	}
	body := c.get(list).Body
	for _, want := range []string{"Aktivitetstypen Läxhjälp skapades.", `<th scope="row">Läxhjälp</th>`, "2–3", "Mål 2026",
		`action="` + list + "/" + itoa(typ.ID) + `/targets"`} {
		if !strings.Contains(body, want) {
			t.Errorf("list after create lacks %q", want)
		}
	}
	// The same name again, in another case, is refused on the name field.
	res = c.post(list, actTypeForm("läxhjälp", "hours", "", "", false))
	wantStatus(t, "duplicate", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Överenskommelsen har redan en aktivitetstyp med det namnet.") || !strings.Contains(res.Body, `value="läxhjälp"`) {
		t.Error("a duplicate name is not explained with the input kept")
	}

	// Targets: a range with a hyphen, then bad input, then removal.
	typePath := list + "/" + itoa(typ.ID)
	res = c.post(typePath+"/targets", url.Values{"year": {"2026"}, "target": {"40 - 60"}})
	wantStatus(t, "set target", res, http.StatusSeeOther)
	targets, err := postgres.NewActivityTypes(a.db.Pool).Targets(context.Background(), ag.ID, 2026)
	if err != nil || len(targets) != 1 || targets[0].Min != 40 || targets[0].Max != 60 {
		t.Fatalf("targets: %+v, %v", targets, err)
	}
	body = c.get(list).Body
	if !strings.Contains(body, "Målet för Läxhjälp 2026 är nu 40–60.") || !strings.Contains(body, `<td class="num">40–60</td>`) {
		t.Error("the set target is not shown")
	}
	res = c.post(typePath+"/targets", url.Values{"year": {"20x6"}, "target": {"60–40"}})
	wantStatus(t, "bad target", res, http.StatusUnprocessableEntity)
	for _, want := range []string{"Målet kunde inte sparas", "Ange året med fyra siffror, till exempel 2026.",
		"I ett intervall kommer det lägsta värdet först", `value="20x6"`, `value="60–40"`,
		`href="#year-` + itoa(typ.ID) + `"`, `id="target-` + itoa(typ.ID) + `-error"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("bad target lacks %q", want)
		}
	}
	res = c.post(typePath+"/targets", url.Values{"year": {"2026"}, "target": {"många"}})
	wantStatus(t, "non-numeric target", res, http.StatusUnprocessableEntity)
	res = c.post(typePath+"/targets", url.Values{"year": {"1999"}, "target": {"5"}})
	wantStatus(t, "year out of range", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Ange ett år mellan 2000 och 2100.") {
		t.Error("a year out of range is not explained")
	}
	wantStatus(t, "remove target", c.post(typePath+"/targets", url.Values{"year": {"2026"}, "target": {" "}}), http.StatusSeeOther)
	if targets, _ := postgres.NewActivityTypes(a.db.Pool).Targets(context.Background(), ag.ID, 2026); len(targets) != 0 {
		t.Errorf("target not removed: %+v", targets)
	}
	wantStatus(t, "remove missing target", c.post(typePath+"/targets", url.Values{"year": {"2026"}, "target": {""}}), http.StatusSeeOther)
	if body := c.get(list).Body; !strings.Contains(body, "Läxhjälp hade inget mål för 2026.") {
		t.Error("removing a missing target is not explained")
	}

	// Edit: invalid keeps the input; valid renames, switches unit and deactivates.
	wantStatus(t, "edit form", c.get(typePath), http.StatusOK)
	res = c.post(typePath, actTypeForm("", "hours", "2", "", true))
	wantStatus(t, "invalid edit", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Ange ett namn på aktivitetstypen.") || !strings.Contains(res.Body, `value="hours" checked`) {
		t.Error("invalid edit does not keep the input")
	}
	wantStatus(t, "edit", c.post(typePath, actTypeForm("Läxhjälp och studier", "hours", "", "", false)), http.StatusSeeOther)
	edited := actTypes(t, a, ag.ID)["Läxhjälp och studier"]
	if edited.ID != typ.ID || edited.Active || edited.Unit != partnership.UnitHours || edited.PerParticipantMin != nil {
		t.Errorf("edited type: %+v", edited)
	}
	if body := c.get(list).Body; !strings.Contains(body, "Aktivitetstypen Läxhjälp och studier är avaktiverad.") || !strings.Contains(body, "Inaktiv") {
		t.Error("deactivation not shown")
	}

	// Delete after confirmation.
	res = c.get(typePath + "/delete")
	wantStatus(t, "confirm delete", res, http.StatusOK)
	if !strings.Contains(res.Body, `data-testid="confirm-delete"`) {
		t.Error("no delete confirmation")
	}
	wantStatus(t, "delete", c.post(typePath+"/delete", nil), http.StatusSeeOther)
	if len(actTypes(t, a, ag.ID)) != 0 {
		t.Error("type not deleted")
	}
	wantStatus(t, "deleted type", c.get(typePath), http.StatusNotFound)

	want := []string{"activity_type.create", "activity_target.set", "activity_target.delete", "activity_type.update", "activity_type.delete"}
	if got := agActions(t, a, ag.ID); !slices.Equal(got[len(got)-len(want):], want) {
		t.Errorf("audit: %v, want it to end with %v", got, want)
	}
	if body := c.get(agPath(ag.ID)).Body; !strings.Contains(body, "Satte mål för aktivitetstyp") || !strings.Contains(body, "Aktivitetstyp: Läxhjälp") {
		t.Error("the agreement's history does not name the target change")
	}
}

func TestActivityTypeWithActivitiesIsDeactivatedInstead(t *testing.T) {
	a := newApp(t)
	ag := agStore(t, a, "Med aktiviteter", ikfOrganisation)
	typeID := storeActivityType(t, a, ag.ID, "Språkcafé")
	id, err := strconv.ParseInt(typeID, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.NewActivities(a.db.Pool).Create(context.Background(), partnership.Activity{
		AgreementID: ag.ID, TypeID: id, Date: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), DurationMinutes: 90, Women: 5,
	}); err != nil {
		t.Fatal(err)
	}
	c := loggedIn(a, adminEmail)
	typePath := agPath(ag.ID) + "/activity-types/" + typeID

	res := c.get(typePath + "/delete")
	wantStatus(t, "confirm", res, http.StatusOK)
	if !strings.Contains(res.Body, "Aktivitetstypen kan inte tas bort") || !strings.Contains(res.Body, `data-testid="deactivate"`) ||
		strings.Contains(res.Body, `data-testid="confirm-delete"`) {
		t.Error("a type with activities is offered for deletion, not deactivation")
	}
	res = c.post(typePath+"/delete", nil)
	wantStatus(t, "delete refused", res, http.StatusConflict)
	if !strings.Contains(res.Body, `data-testid="deactivate"`) {
		t.Error("the refused delete does not offer deactivation")
	}
	// The deactivation form sends the type's values without "active".
	wantStatus(t, "deactivate", c.post(typePath, actTypeForm("Språkcafé", "occasions", "", "", false)), http.StatusSeeOther)
	if typ := actTypes(t, a, ag.ID)["Språkcafé"]; typ.Active {
		t.Error("type still active")
	}
	if got := agActions(t, a, ag.ID); slices.Contains(got, "activity_type.delete") || !slices.Contains(got, "activity_type.update") {
		t.Errorf("audit: %v", got)
	}
}

func TestActivityTypesTenancyAndRoles(t *testing.T) {
	a := newApp(t)
	ikf := actAgreement(t, a, progIKFTitle)
	hopp := actAgreement(t, a, progHoppTitle)
	ikfTypes, hoppTypes := actTypes(t, a, ikf.ID), actTypes(t, a, hopp.ID)
	ikfType, hoppType := itoa(ikfTypes["Må bra-grupp"].ID), itoa(hoppTypes["Workshop"].ID)
	ikfList, hoppList := agPath(ikf.ID)+"/activity-types", agPath(hopp.ID)+"/activity-types"

	staff := loggedIn(a, ikfEmail)
	res := staff.get(ikfList)
	wantStatus(t, "staff on IKF's types", res, http.StatusOK)
	if !strings.Contains(res.Body, "Må bra-grupp") || strings.Contains(res.Body, `data-testid="target-form"`) ||
		strings.Contains(res.Body, `data-testid="new-activity-type"`) {
		t.Error("IKF's staff see no types, or forms they may not use")
	}
	wantStatus(t, "staff on another's types", staff.get(hoppList), http.StatusNotFound)
	for _, w := range []struct{ path, method string }{
		{ikfList + "/new", "GET"}, {ikfList, "POST"}, {ikfList + "/" + ikfType, "GET"}, {ikfList + "/" + ikfType, "POST"},
		{ikfList + "/" + ikfType + "/delete", "GET"}, {ikfList + "/" + ikfType + "/delete", "POST"},
		{ikfList + "/" + ikfType + "/targets", "POST"}, {hoppList + "/" + hoppType + "/targets", "POST"},
	} {
		var res response
		if w.method == "POST" {
			res = staff.post(w.path, url.Values{"year": {"2024"}, "target": {"1"}, "name": {"X"}, "unit": {"occasions"}})
		} else {
			res = staff.get(w.path)
		}
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("staff %s %s: %d, want 403", w.method, w.path, res.StatusCode)
		}
	}
	for _, email := range []string{coordinatorEmail, viewerEmail} {
		c := loggedIn(a, email)
		wantStatus(t, email+" reads", c.get(hoppList), http.StatusOK)
		wantStatus(t, email+" sets a target", c.post(hoppList+"/"+hoppType+"/targets", url.Values{"year": {"2019"}, "target": {"1"}}), http.StatusForbidden)
	}

	// A type is only found through its own agreement.
	officer := loggedIn(a, officerEmail)
	wantStatus(t, "type of another agreement", officer.get(ikfList+"/"+hoppType), http.StatusNotFound)
	wantStatus(t, "target for another agreement's type",
		officer.post(ikfList+"/"+hoppType+"/targets", url.Values{"year": {"2024"}, "target": {"1"}}), http.StatusNotFound)
	wantStatus(t, "malformed type id", officer.get(ikfList+"/x1"), http.StatusNotFound)
	if got := agActions(t, a, hopp.ID); slices.Contains(got, "activity_target.set") {
		t.Errorf("Hoppfull framtid's targets changed: %v", got)
	}
}

// activityFixture names the activity type paths of the route × role matrix.
type activityFixture struct {
	typ    string // an activity type of the agreement
	victim string // another, which the delete row removes
}

func newActivityFixture(t *testing.T, a *app, agreementID int64) activityFixture {
	t.Helper()
	base := agPath(agreementID) + "/activity-types/"
	return activityFixture{
		typ:    base + storeActivityType(t, a, agreementID, "Matrisens typ"),
		victim: base + storeActivityType(t, a, agreementID, "Tas bort"),
	}
}
