package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iop/internal/followup"
	"iop/internal/participant"
	"iop/internal/partnership"
)

// followUpFixture is an exited participant of IKF's demo agreement with
// its follow-ups, the first of which is overdue.
type followUpFixture struct {
	agreement string // /agreements/{id}
	page      string // the participant's page
	record    string // the record route of its first follow-up
	code      string
	id        int64
}

func newFollowUpFixture(t *testing.T, a *app) followUpFixture {
	t.Helper()
	ctx := context.Background()
	ag := budAgreement(t, a, budIKF)
	actor := staffActor(t, a, ikfEmail)
	today := a.clock.Now().UTC().Truncate(24 * time.Hour)
	enrolled, exited := today.AddDate(0, -8, 0), today.AddDate(0, -7, 0)
	reg, err := participantService(a).Register(ctx, actor, ag.ID, participant.Registration{Participant: partnership.Participant{
		Gender: partnership.GenderMan, BirthYear: 1990, BirthRegion: partnership.RegionUnknown,
		Education: partnership.EducationUnknown, LabourStatus: partnership.LabourUnknown, IncomeSource: partnership.IncomeUnknown,
		ReferredOn: today.AddDate(0, -9, 0), ReferralSource: partnership.ReferralEmploymentService,
		EnrolledOn: &enrolled, ExitedOn: &exited, ExitDestination: partnership.ExitOtherMeasure,
	}})
	if err != nil {
		t.Fatal(err)
	}
	list, err := followup.NewService(a.db, a.clock.Now).ForParticipant(ctx, actor, reg.Participant.ID)
	if err != nil || len(list) == 0 {
		t.Fatalf("follow-ups of the fixture: %v, %v", list, err)
	}
	page := "/agreements/" + itoa(ag.ID) + "/participants/" + itoa(reg.Participant.ID)
	return followUpFixture{agreement: "/agreements/" + itoa(ag.ID), page: page,
		record: page + "/followups/" + itoa(list[0].ID), code: reg.Participant.Code, id: reg.Participant.ID}
}

// TestFollowUpRecordFlow: staff see the overdue follow-up, a bad form is
// 422 with the values kept, a good one redirects and shows the outcome;
// officers see the outcome but never the note.
func TestFollowUpRecordFlow(t *testing.T) {
	a := newApp(t)
	f := newFollowUpFixture(t, a)
	staff := loggedIn(a, ikfEmail)
	if res := staff.get("/"); !strings.Contains(res.Body, `data-testid="home-followups-overdue"`) {
		t.Errorf("staff start page lacks the overdue follow-ups")
	}
	if res := staff.get(f.agreement + "/followups/overdue"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, f.code) {
		t.Fatalf("overdue list: %d, code shown %v", res.StatusCode, strings.Contains(res.Body, f.code))
	}
	if res := staff.get(f.page); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="followup-form-6"`) {
		t.Fatalf("participant page: %d without the record form", res.StatusCode)
	}
	today := a.clock.Now().UTC().Format(time.DateOnly)
	bad := url.Values{"done_on": {"2999-01-01"}, "destination": {"work"}, "self_supporting": {""}, "note": {"Sekretessanteckning"}}
	res := staff.post(f.record, bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, partnership.MsgFollowUpSelfSupporting) ||
		!strings.Contains(res.Body, "Sekretessanteckning") {
		t.Fatalf("invalid follow-up: %d", res.StatusCode)
	}
	good := url.Values{"done_on": {today}, "destination": {"work"}, "self_supporting": {"yes"}, "note": {"Sekretessanteckning"}}
	if res := staff.post(f.record, good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d %s", res.StatusCode, res.Body)
	}
	if res := staff.get(f.page); !strings.Contains(res.Body, "Sekretessanteckning") || !strings.Contains(res.Body, "Ändra uppföljning 6 månader") {
		t.Errorf("staff's page after recording lacks the outcome")
	}
	officer := loggedIn(a, officerEmail)
	res = officer.get(f.page)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Sekretessanteckning") || strings.Contains(res.Body, "followup-form") ||
		!strings.Contains(res.Body, today) {
		t.Errorf("officer's page: %d, note shown %v", res.StatusCode, strings.Contains(res.Body, "Sekretessanteckning"))
	}
	if res := officer.get(f.agreement + "/participants"); !strings.Contains(res.Body, `data-testid="followup-share-table"`) {
		t.Errorf("participant list lacks the self-supporting share")
	}
	if res := officer.post(f.record, good); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer recording: %d, want 403", res.StatusCode)
	}
	if res := loggedIn(a, stadsmissionenEmail).get(f.page); res.StatusCode != http.StatusNotFound {
		t.Errorf("another association's staff: %d, want 404", res.StatusCode)
	}
}

// TestFollowUpScheduleForm: officers change the schedule; a bad one is 422
// with the value kept.
func TestFollowUpScheduleForm(t *testing.T) {
	a := newApp(t)
	f := newFollowUpFixture(t, a)
	officer := loggedIn(a, officerEmail)
	path := f.agreement + "/followups/schedule"
	if res := officer.get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `value="6, 12"`) {
		t.Fatalf("schedule form: %d", res.StatusCode)
	}
	if res := officer.post(path, url.Values{"months": {"6, 6, 99"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "6, 6, 99") {
		t.Errorf("bad schedule: %d", res.StatusCode)
	}
	if res := officer.post(path, url.Values{"months": {"12 2 4 6"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d", res.StatusCode)
	}
	if res := officer.get(path); !strings.Contains(res.Body, `value="2, 4, 6, 12"`) {
		t.Errorf("schedule not saved")
	}
	if res := loggedIn(a, ikfEmail).post(path, url.Values{"months": {"2"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("staff changing the schedule: %d, want 403", res.StatusCode)
	}
}
