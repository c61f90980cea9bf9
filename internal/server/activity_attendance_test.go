package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// storeAttendee registers a participant of the agreement straight in the table,
// enrolled on enrolled ("" for only referred), and returns its id.
func storeAttendee(t *testing.T, a *app, agreementID int64, code, gender, enrolled, cohort string) int64 {
	t.Helper()
	var on *string
	if enrolled != "" {
		on = &enrolled
	}
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `INSERT INTO participants (agreement_id, code, gender, birth_year,
		    birth_region, education, labour_status, income_source, referred_on, referral_source, enrolled_on, cohort)
		VALUES ($1, $2, $3, 1985, 'asia', 'unknown', 'unknown', 'unknown', DATE '2026-01-02', 'self', $4::date, $5)
		RETURNING id`, agreementID, code, gender, on, cohort).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// attendeeTicked reports whether the form has the participant's checkbox ticked.
func attendeeTicked(body string, id int64) bool {
	return regexp.MustCompile(`name="participants" value="` + itoa(id) + `" checked`).MatchString(body)
}

func TestActivityAttendanceNamedOnTheForm(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Närvaro", "Linköpings kommun", ikfOrganisation)
	other, _ := logAgreement(t, a, "Annan", "Linköpings kommun", ikfOrganisation)
	anna := storeAttendee(t, a, ag.ID, "NAR-2026-001", "woman", "2026-02-01", "Grupp 1 2026")
	dan := storeAttendee(t, a, ag.ID, "NAR-2026-002", "man", "2026-02-01", "")
	late := storeAttendee(t, a, ag.ID, "NAR-2026-003", "non_binary", "2026-06-15", "")
	storeAttendee(t, a, ag.ID, "NAR-2026-004", "woman", "", "") // referred only
	storeAttendee(t, a, other.ID, "ANN-2026-001", "woman", "2026-02-01", "")
	c := loggedIn(a, ikfEmail)

	page := c.get(logPath(ag.ID) + "/new")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Deltagare som var med") ||
		!strings.Contains(page.Body, "NAR-2026-001") || !strings.Contains(page.Body, "(Grupp 1 2026)") ||
		!strings.Contains(page.Body, "NAR-2026-003") {
		t.Fatalf("log form lacks today's enrolled participants: %d\n%s", page.StatusCode, page.Body)
	}
	if strings.Contains(page.Body, "NAR-2026-004") || strings.Contains(page.Body, "ANN-2026-001") {
		t.Errorf("log form lists a participant not enrolled today or of another agreement")
	}
	if strings.Index(page.Body, "NAR-2026-001") > strings.Index(page.Body, "NAR-2026-002") {
		t.Errorf("participants not sorted by code")
	}

	// One not yet enrolled on the date: 422, the ticks and values kept.
	form := logForm(types["Må bra-grupp"], "2026-06-14")
	form["participants"] = []string{itoa(anna), itoa(late)}
	form.Set("notes", "Kvar i formuläret")
	res := c.post(logPath(ag.ID), form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "NAR-2026-003 var inte inskriven 2026-06-14.") ||
		!attendeeTicked(res.Body, anna) || !attendeeTicked(res.Body, late) || !strings.Contains(res.Body, "Kvar i formuläret") ||
		!strings.Contains(res.Body, `data-testid="error-summary"`) {
		t.Fatalf("not enrolled: %d\n%s", res.StatusCode, res.Body)
	}

	// Named: the gender counts come from the participants, children stay typed.
	form["participants"] = []string{itoa(anna), itoa(dan)}
	form.Set("women", "x") // replaced, so not an error
	res = c.post(logPath(ag.ID), form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log with participants: %d\n%s", res.StatusCode, res.Body)
	}
	got := logActivities(t, a, ag.ID)[0]
	if got.Women != 1 || got.Men != 1 || got.NonBinary != 0 || got.Children != 4 {
		t.Errorf("counts %d/%d/%d/%d, want 1/1/0/4", got.Women, got.Men, got.NonBinary, got.Children)
	}
	ids, err := postgres.NewActivities(a.db.Pool).ParticipantIDs(context.Background(), got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, []int64{anna, dan}) {
		t.Errorf("named %v, want [%d %d]", ids, anna, dan)
	}

	// The edit form has them ticked; saving with one unticked replaces the set.
	edit := c.get(logEntryPath(got))
	if !attendeeTicked(edit.Body, anna) || !attendeeTicked(edit.Body, dan) || attendeeTicked(edit.Body, late) {
		t.Errorf("edit form ticks: %s", edit.Body)
	}
	form["participants"] = []string{itoa(dan)}
	form.Set("version", itoa(int64(got.Version)))
	if res := c.post(logEntryPath(got), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d\n%s", res.StatusCode, res.Body)
	}
	if ids, _ := postgres.NewActivities(a.db.Pool).ParticipantIDs(context.Background(), got.ID); !slices.Equal(ids, []int64{dan}) {
		t.Errorf("after update named %v, want [%d]", ids, dan)
	}
}

func TestActivityProgressPerParticipantOnTheAgreementPage(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ctx := context.Background()
	ag, _ := logAgreement(t, a, "Coachning", "Linköpings kommun", ikfOrganisation)
	lo, hi := 2, 3
	coaching, err := postgres.NewActivityTypes(a.db.Pool).CreateType(ctx, partnership.ActivityType{
		AgreementID: ag.ID, Name: "Enskild coachning", Unit: partnership.UnitOccasions,
		PerParticipantMin: &lo, PerParticipantMax: &hi, Position: 3, Active: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	anna := storeAttendee(t, a, ag.ID, "COA-2026-001", "woman", "2026-02-01", "")
	storeAttendee(t, a, ag.ID, "COA-2026-002", "man", "2026-02-01", "")
	store := postgres.NewActivities(a.db.Pool)
	for _, d := range []string{"2026-03-01", "2026-04-01"} {
		act := logStore(t, a, coaching, d, nil)
		if err := store.SetParticipants(ctx, act.ID, []int64{anna}); err != nil {
			t.Fatal(err)
		}
	}
	page := loggedIn(a, officerEmail).get(agPath(ag.ID) + "?year=2026")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="per-participant-table"`) ||
		!strings.Contains(page.Body, "1 av 2 deltagare inom målet 2–3 tillfällen") {
		t.Fatalf("agreement page lacks the per-participant table: %d\n%s", page.StatusCode, page.Body)
	}
	rows := regexp.MustCompile(`(?s)<tr data-testid="per-participant-row">(.*?)</tr>`).FindAllStringSubmatch(page.Body, -1)
	if len(rows) != 2 || !strings.Contains(rows[0][1], "COA-2026-001") || !strings.Contains(rows[0][1], "Inom målet") ||
		!strings.Contains(rows[1][1], "COA-2026-002") || !strings.Contains(rows[1][1], "Under målet") {
		t.Errorf("per-participant rows %q", rows)
	}
}

// TestActivityListQuickFormBoundsAttendees checks that the log form on
// the activity list names today's enrolled participants while they are
// few, and with more than it lists links to the full form instead, which
// still names them all.
func TestActivityListQuickFormBoundsAttendees(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, _ := logAgreement(t, a, "Många deltagare", "Linköpings kommun", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	for i := 1; i <= 40; i++ {
		storeAttendee(t, a, ag.ID, fmt.Sprintf("MAN-2026-%03d", i), "woman", "2026-02-01", "")
	}
	list := c.get(logPath(ag.ID))
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `data-testid="activity-attendees"`) ||
		!strings.Contains(list.Body, "MAN-2026-040") || strings.Contains(list.Body, `data-testid="activity-attendees-link"`) {
		t.Fatalf("40 enrolled: the list's form should name them all: %d\n%s", list.StatusCode, list.Body)
	}
	storeAttendee(t, a, ag.ID, "MAN-2026-041", "man", "2026-02-01", "")
	list = c.get(logPath(ag.ID))
	if list.StatusCode != http.StatusOK || strings.Contains(list.Body, `data-testid="activity-attendees"`) ||
		strings.Contains(list.Body, "MAN-2026-001") ||
		!strings.Contains(list.Body, `data-testid="activity-attendees-link"`) ||
		!strings.Contains(list.Body, `href="`+logPath(ag.ID)+`/new"`) {
		t.Fatalf("41 enrolled: the list's form should link to the full form: %d\n%s", list.StatusCode, list.Body)
	}
	full := c.get(logPath(ag.ID) + "/new")
	if full.StatusCode != http.StatusOK || !strings.Contains(full.Body, "MAN-2026-001") || !strings.Contains(full.Body, "MAN-2026-041") {
		t.Fatalf("the full form should name all 41: %d", full.StatusCode)
	}
}
