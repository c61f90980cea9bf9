package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/plan"
)

// planFixture is an overdue IUP goal of the matrix's participant.
type planFixture struct {
	goal      string // the goal's address under the participant's page
	agreement string // the participant's agreement
}

// planGoalText is the fixture goal's text: free text about a person.
const planGoalText = "Matrismålet: söka tre praktikplatser"

func newPlanFixture(t *testing.T, a *app, p participantFixture) planFixture {
	t.Helper()
	follow := a.clock.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -3)
	g, err := plan.NewService(a.db, a.clock.Now).AddGoal(context.Background(), p.actor, p.id,
		partnership.Goal{Term: partnership.GoalShortTerm, Text: planGoalText, FollowUpOn: follow})
	if err != nil {
		t.Fatal(err)
	}
	return planFixture{goal: p.page + "/goals/" + itoa(g.ID), agreement: strings.TrimSuffix(p.list, "/participants")}
}

// TestPlanGoalForms: a refused goal is shown again with 422 and the values
// kept; a saved one is listed for the staff, and officers see only counts.
func TestPlanGoalForms(t *testing.T) {
	a := newApp(t)
	p := newParticipantFixture(t, a)
	f := newPlanFixture(t, a, p)
	staff := loggedIn(a, ikfEmail)
	res := staff.post(p.page+"/goals", url.Values{"term": {"long"}, "text": {""}, "follow_up_on": {"2031-02-03"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, partnership.MsgGoalText) ||
		!strings.Contains(res.Body, `value="2031-02-03"`) || !strings.Contains(res.Body, `<option value="long" selected>`) {
		t.Fatalf("invalid goal: %d, values not kept", res.StatusCode)
	}
	res = staff.post(p.page+"/goals", url.Values{"term": {"long"}, "text": {"Arbete inom vården"}, "follow_up_on": {"2031-02-03"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("goal: %d", res.StatusCode)
	}
	page := staff.get(p.page)
	if !strings.Contains(page.Body, "Arbete inom vården") || !strings.Contains(page.Body, planGoalText) ||
		!strings.Contains(page.Body, `data-testid="goal-overdue"`) {
		t.Error("the staff's page lacks the goals or the overdue mark")
	}
	res = staff.post(f.goal+"/outcome", url.Values{"outcome_on": {"2020-01-01x"}, "status": {""}, "outcome_note": {"Hon sökte två"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Hon sökte två") {
		t.Errorf("invalid outcome: %d, note not kept", res.StatusCode)
	}
	if overdue := staff.get(f.agreement + "/goals/overdue"); overdue.StatusCode != http.StatusOK || !strings.Contains(overdue.Body, planGoalText) {
		t.Errorf("overdue list: %d", overdue.StatusCode)
	}
	for _, email := range []string{officerEmail, adminEmail} {
		page := loggedIn(a, email).get(p.page)
		if page.StatusCode != http.StatusOK || strings.Contains(page.Body, planGoalText) || strings.Contains(page.Body, "Arbete inom vården") ||
			!strings.Contains(page.Body, `data-testid="goal-counts"`) {
			t.Errorf("%s: %d, goal text shown or counts missing", email, page.StatusCode)
		}
	}
	if page := loggedIn(a, viewerEmail).get(p.page); page.StatusCode != http.StatusForbidden || strings.Contains(page.Body, planGoalText) {
		t.Errorf("viewer on the participant's page: %d", page.StatusCode)
	}
}

// TestPlanAssessmentForm: a refused assessment keeps its values; two saved
// ones draw the chart, which the officer sees too.
func TestPlanAssessmentForm(t *testing.T) {
	a := newApp(t)
	p := newParticipantFixture(t, a)
	staff := loggedIn(a, ikfEmail)
	page := staff.get(p.page)
	fields := ratingFields(page.Body)
	if len(fields) == 0 {
		t.Fatal("no rating fields on the page")
	}
	form := url.Values{"assessed_on": {"2020-03-04"}}
	for _, f := range fields[1:] {
		form.Set(f, "2")
	}
	res := staff.post(p.page+"/assessments", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="2020-03-04"`) ||
		!strings.Contains(res.Body, `<option value="2" selected>`) {
		t.Fatalf("invalid assessment: %d, values not kept", res.StatusCode)
	}
	for i, on := range []string{"2020-03-04", "2020-09-04"} {
		for _, f := range fields {
			form.Set(f, itoa(int64(2+i)))
		}
		form.Set("assessed_on", on)
		if res := staff.post(p.page+"/assessments", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assessment %s: %d", on, res.StatusCode)
		}
	}
	list := loggedIn(a, officerEmail).get(p.list)
	if !strings.Contains(list.Body, `data-testid="step-shares"`) || !strings.Contains(list.Body, `data-testid="step-model-link"`) ||
		strings.Contains(list.Body, `data-testid="overdue-goals-link"`) {
		t.Error("the officer's participant list lacks the step shares or the model link, or links the overdue goals")
	}
	for _, email := range []string{ikfEmail, officerEmail} {
		page := loggedIn(a, email).get(p.page)
		if !strings.Contains(page.Body, `data-testid="progress-chart"`) || !strings.Contains(page.Body, "+1") {
			t.Errorf("%s: no chart or change on the page", email)
		}
	}
}

// ratingFields are the names of the assessment form's rating fields.
func ratingFields(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `name="rating_`)[1:] {
		out = append(out, "rating_"+part[:strings.IndexByte(part, '"')])
	}
	return out
}

// TestPlanStepModelForm: a refused model keeps its values (422); a valid
// one saves, and once assessed the scale can no longer change.
func TestPlanStepModelForm(t *testing.T) {
	a := newApp(t)
	p := newParticipantFixture(t, a)
	f := newPlanFixture(t, a, p)
	officer := loggedIn(a, officerEmail)
	path := f.agreement + "/step-model"
	page := officer.get(path)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "GA-modellen") {
		t.Fatalf("model page: %d", page.StatusCode)
	}
	res := officer.post(path, url.Values{"name": {"Egen modell"}, "scale_min": {"1"}, "scale_max": {"x"}, "new_dimensions": {"Motivation"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="Egen modell"`) || !strings.Contains(res.Body, partnership.MsgStepScale) {
		t.Fatalf("invalid model: %d, values or message missing", res.StatusCode)
	}
	// The demo agreement is assessed: changing the scale is refused.
	form := url.Values{"name": {"GA-modellen"}, "scale_min": {"1"}, "scale_max": {"7"}}
	for _, field := range dimFields(page.Body) {
		form.Set(field, "Dimension "+field)
	}
	if res := officer.post(path, form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, partnership.MsgStepModelInUse) {
		t.Errorf("scale change with assessments: %d", res.StatusCode)
	}
	form.Set("scale_max", "5")
	form.Set("new_dimensions", "Digital förmåga")
	if res := officer.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Errorf("rename and add: %d", res.StatusCode)
	}
	if page := officer.get(path); !strings.Contains(page.Body, "Digital förmåga") {
		t.Error("the added dimension is not shown")
	}
}

// dimFields are the names of the step model form's stored dimensions.
func dimFields(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `name="dim_`)[1:] {
		out = append(out, "dim_"+part[:strings.IndexByte(part, '"')])
	}
	return out
}
