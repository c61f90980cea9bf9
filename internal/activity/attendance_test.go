package activity_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// participant registers a participant of the agreement straight in the
// table, enrolled on enrolled ("" for only referred) and exited on exited
// ("" for not), and returns its id.
func (w *world) participant(t *testing.T, agreementID int64, code string, gender partnership.Gender, enrolled, exited string) int64 {
	t.Helper()
	null := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	var dest *string
	if exited != "" {
		dest = null("work")
	}
	var id int64
	err := w.db.Pool.QueryRow(context.Background(), `INSERT INTO participants (agreement_id, code, gender, birth_year,
		    birth_region, education, labour_status, income_source, referred_on, referral_source, enrolled_on,
		    exited_on, exit_destination)
		VALUES ($1, $2, $3, 1985, 'asia', 'unknown', 'unknown', 'unknown', DATE '2026-01-02', 'self', $4::date, $5::date, $6)
		RETURNING id`, agreementID, code, string(gender), null(enrolled), null(exited), dest).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// named is the participants stored as attending the activity.
func (w *world) named(t *testing.T, activityID int64) []int64 {
	t.Helper()
	ids, err := postgres.NewActivities(w.db.Pool).ParticipantIDs(context.Background(), activityID)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestNamedAttendanceComputesTheCountsAndAuditsOnlyHowMany(t *testing.T) {
	w := newWorld(t)
	anna := w.participant(t, w.shared, "DEL-2026-001", partnership.GenderWoman, "2026-02-01", "")
	bea := w.participant(t, w.shared, "DEL-2026-002", partnership.GenderWoman, "2026-02-01", "2026-03-10") // exits that day
	cim := w.participant(t, w.shared, "DEL-2026-003", partnership.GenderNotStated, "2026-03-10", "")
	dan := w.participant(t, w.shared, "DEL-2026-004", partnership.GenderMan, "2026-01-15", "")

	in := input(w.sharedType, "2026-03-10") // typed: 12 women, 1 man, 4 children
	in.ParticipantIDs = []int64{cim, anna, bea, dan, anna}
	a := w.log(t, w.ikf, w.shared, in)
	if a.Women != 2 || a.Men != 1 || a.NonBinary != 1 || a.Children != 4 {
		t.Errorf("counts women %d, men %d, other %d, children %d; want 2, 1, 1 and the typed 4", a.Women, a.Men, a.NonBinary, a.Children)
	}
	stored, err := postgres.NewActivities(w.db.Pool).ByID(context.Background(), w.shared, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Women != 2 || stored.Men != 1 || stored.NonBinary != 1 {
		t.Errorf("stored counts %d/%d/%d, want 2/1/1", stored.Women, stored.Men, stored.NonBinary)
	}
	if got, want := w.named(t, a.ID), []int64{anna, bea, cim, dan}; !slices.Equal(got, want) {
		t.Errorf("named %v, want %v", got, want)
	}
	events := w.events(t, w.shared)
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	checkEvent(t, events[0], "activity.create", w.ikf, stored)
	if n := events[0].Details["named_participants"]; n != float64(4) {
		t.Errorf("named_participants = %v, want 4", n)
	}
	raw, _ := json.Marshal(events[0].Details)
	if strings.Contains(string(raw), "DEL-") || strings.Contains(string(raw), "participant_ids") {
		t.Errorf("audit details name participants: %s", raw)
	}
}

func TestNamedAttendanceRefusesOtherAgreementsAndThoseNotEnrolled(t *testing.T) {
	w := newWorld(t)
	other := w.participant(t, w.smOwn, "SM-2026-001", partnership.GenderWoman, "2026-02-01", "")
	later := w.participant(t, w.shared, "DEL-2026-001", partnership.GenderWoman, "2026-03-11", "")
	gone := w.participant(t, w.shared, "DEL-2026-002", partnership.GenderMan, "2026-02-01", "2026-03-09")
	referred := w.participant(t, w.shared, "DEL-2026-003", partnership.GenderMan, "", "")
	ok := w.participant(t, w.shared, "DEL-2026-004", partnership.GenderMan, "2026-02-01", "")
	for name, c := range map[string]struct {
		id   int64
		want string
	}{
		"another agreement's":    {other, partnership.MsgAttendeeAgreement},
		"unknown":                {other + 1000, partnership.MsgAttendeeAgreement},
		"enrolled after the day": {later, "DEL-2026-001 var inte inskriven 2026-03-10."},
		"exited before the day":  {gone, "DEL-2026-002 var inte inskriven 2026-03-10."},
		"only referred":          {referred, "DEL-2026-003 var inte inskriven 2026-03-10."},
	} {
		before := w.counts(t)
		in := input(w.sharedType, "2026-03-10")
		in.ParticipantIDs = []int64{ok, c.id}
		_, err := w.svc.Log(context.Background(), w.ikf, w.shared, in)
		var verr partnership.ValidationError
		if !errors.As(err, &verr) || verr["participants"] != c.want {
			t.Errorf("%s: err %v, want %q on participants", name, err, c.want)
		}
		if after := w.counts(t); after != before {
			t.Errorf("%s: refused log wrote %v → %v", name, before, after)
		}
	}
}

func TestUpdateReplacesTheNamedParticipantsAndDeleteCascades(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	anna := w.participant(t, w.shared, "DEL-2026-001", partnership.GenderWoman, "2026-02-01", "")
	dan := w.participant(t, w.shared, "DEL-2026-002", partnership.GenderMan, "2026-02-01", "")
	in := input(w.sharedType, "2026-03-10")
	in.ParticipantIDs = []int64{anna}
	a := w.log(t, w.ikf, w.shared, in)

	in.ID, in.Version, in.ParticipantIDs = a.ID, a.Version, []int64{dan}
	u, err := w.svc.Update(ctx, w.ikf, w.shared, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.named(t, a.ID); !slices.Equal(got, []int64{dan}) || u.Women != 0 || u.Men != 1 {
		t.Errorf("after update: named %v, women %d, men %d; want [%d], 0, 1", got, u.Women, u.Men, dan)
	}

	// An update naming nobody clears the names and keeps the typed counts.
	in.Version, in.ParticipantIDs = u.Version, nil
	u, err = w.svc.Update(ctx, w.ikf, w.shared, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.named(t, a.ID); len(got) != 0 || u.Women != 12 || u.Men != 1 {
		t.Errorf("after clearing: named %v, women %d, men %d; want none, 12, 1", got, u.Women, u.Men)
	}

	in.Version, in.ParticipantIDs = u.Version, []int64{anna, dan}
	if _, err := w.svc.Update(ctx, w.ikf, w.shared, in); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Delete(ctx, w.ikf, w.shared, a.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := w.db.Pool.QueryRow(ctx, `SELECT count(*) FROM activity_participants`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d attendance rows left after the delete", left)
	}
	events := w.events(t, w.shared)
	if events[0].Action != "activity.delete" || events[0].Details["named_participants"] != float64(2) {
		t.Errorf("delete event %+v, want activity.delete with named_participants 2", events[0])
	}
}

func TestSessionsPerParticipantCountsNamedAttendanceOfTheYear(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	lo, hi := 2, 3
	coaching, err := postgres.NewActivityTypes(w.db.Pool).CreateType(ctx, partnership.ActivityType{
		AgreementID: w.shared, Name: "Coachning", Unit: partnership.UnitOccasions,
		PerParticipantMin: &lo, PerParticipantMax: &hi, Position: 2, Active: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	anna := w.participant(t, w.shared, "DEL-2026-001", partnership.GenderWoman, "2026-02-01", "")
	dan := w.participant(t, w.shared, "DEL-2026-002", partnership.GenderMan, "2026-02-01", "")
	w.participant(t, w.shared, "DEL-2026-003", partnership.GenderMan, "", "") // never enrolled: not listed
	for _, d := range []string{"2026-03-01", "2026-03-08", "2026-03-15"} {
		in := input(coaching, d)
		in.ParticipantIDs = []int64{anna}
		w.log(t, w.ikf, w.shared, in)
	}
	in := input(coaching, "2026-03-01")
	in.ParticipantIDs = []int64{dan}
	w.log(t, w.ikf, w.shared, in)
	in = input(w.sharedType, "2026-03-01") // another type, without a target per participant
	in.ParticipantIDs = []int64{dan}
	w.log(t, w.ikf, w.shared, in)

	got, err := postgres.NewActivities(w.db.Pool).SessionsPerParticipant(ctx, w.shared, 2026)
	if err != nil {
		t.Fatal(err)
	}
	want := []partnership.ParticipantSessions{
		{TypeID: coaching.ID, ParticipantID: anna, Code: "DEL-2026-001", Done: 3},
		{TypeID: coaching.ID, ParticipantID: dan, Code: "DEL-2026-002", Done: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("sessions %+v, want %+v", got, want)
	}
	if s, _ := partnership.PerParticipantStatus(coaching, 1); s != partnership.ParticipantBelow {
		t.Errorf("1 of 2–3: %s", s)
	}
	if s, _ := partnership.PerParticipantStatus(coaching, 3); s != partnership.ParticipantWithin {
		t.Errorf("3 of 2–3: %s", s)
	}
}
