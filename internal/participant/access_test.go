package participant_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"iop/internal/participant"
	"iop/internal/partnership"
)

func TestAccessRequestHoldsEverythingAboutThePersonAndNothingElse(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	eva := identity(t, "Eva Ek", "811218-9876")
	// Eva in IKF's agreement (exited, with a plan, an assessment, a follow-up
	// note and an activity) and in Hela Människan's (declined, with a note);
	// Frida, someone else, in IKF's with the same kind of data.
	exit := func(p *partnership.Participant) {
		p.EnrolledOn, p.ExitedOn, p.ExitDestination = dayp("2024-01-10"), dayp("2024-02-01"), partnership.ExitWork
	}
	reg := func(actor partnership.Actor, ag int64, id partnership.Identity, mod func(*partnership.Participant)) partnership.Participant {
		p := stats("2024-01-05")
		mod(&p)
		r, err := w.svc.Register(ctx, actor, ag, participant.Registration{Participant: p, Identity: id, ConsentGivenOn: dayp("2024-01-05")})
		if err != nil {
			t.Fatal(err)
		}
		return r.Participant
	}
	evaIKF := reg(w.staff, w.ikf, eva, exit)
	evaHM := reg(w.otherStaff, w.other, eva, func(p *partnership.Participant) {
		p.DeclinedOn, p.DeclineReason, p.DeclineNote = dayp("2024-01-20"), partnership.DeclineOtherReason, "Valde en annan insats"
	})
	frida := reg(w.staff, w.ikf, identity(t, "Frida Falk", "191212121212"), exit)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := w.db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO step_models (agreement_id, name, scale_min, scale_max) VALUES ($1, 'GA-modellen', 1, 5)`, w.ikf)
	exec(`INSERT INTO step_dimensions (agreement_id, position, name) VALUES ($1, 1, 'Motivation')`, w.ikf)
	exec(`INSERT INTO activity_types (agreement_id, name, unit) VALUES ($1, 'Skapandeträff', 'occasions')`, w.ikf)
	for pid, secret := range map[int64]string{evaIKF.ID: "Eva", frida.ID: "Frida"} {
		exec(`INSERT INTO plan_goals (participant_id, term, text, follow_up_on, status, outcome_on, outcome_note)
			VALUES ($1, 'short', $2, '2024-01-31', 'achieved', '2024-01-31', $3)`, pid, secret+"s mål", secret+"s utfall")
		exec(`WITH a AS (INSERT INTO assessments (participant_id, assessed_on) VALUES ($1, '2024-01-15') RETURNING id)
			INSERT INTO assessment_ratings (assessment_id, dimension_id, rating)
			SELECT a.id, d.id, $2 FROM a, step_dimensions d WHERE d.agreement_id = $3`, pid, map[string]int{"Eva": 2, "Frida": 4}[secret], w.ikf)
		exec(`UPDATE followups SET done_on = due_on, destination = 'work', self_supporting = 'yes', note = $2
			WHERE participant_id = $1 AND months = 6`, pid, secret+"s uppföljning")
		date := map[string]string{"Eva": "2024-01-11", "Frida": "2024-01-12"}[secret]
		exec(`WITH a AS (INSERT INTO activities (agreement_id, type_id, activity_date, duration_minutes, place)
			SELECT $1, id, $2::date, 60, 'Frida-lokalen' FROM activity_types WHERE agreement_id = $1 RETURNING id)
			INSERT INTO activity_participants (activity_id, participant_id) SELECT id, $3 FROM a`, w.ikf, date, pid)
	}

	pnr, err := partnership.ParsePersonnummer("19811218-9876", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []partnership.Actor{w.staff, w.otherStaff, w.coordinator, w.viewer} {
		if _, err := w.svc.AccessRequest(ctx, a, pnr); !errors.Is(err, partnership.ErrForbidden) {
			t.Errorf("AccessRequest by %s: %v, want forbidden", a.Role, err)
		}
	}
	rep, err := w.svc.AccessRequest(ctx, w.officer, pnr)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	if len(rep.Records) != 2 || rep.Records[0].Code != evaIKF.Code || rep.Records[1].Code != evaHM.Code {
		t.Fatalf("records %+v, want Eva's two", rep.Records)
	}
	for _, want := range []string{`"name":"Eva Ek"`, `"personnummer":"19811218-9876"`, `"phone":"070-123 45 67"`,
		`"email":"deltagare@exempel.se"`, `"agreement":"Inkludering på lika villkor"`, `"agreement":"Hoppfull framtid"`,
		`"birth_year":1985`, `"cohort":"Grupp 1"`, `"referred_on":"2024-01-05"`, `"enrolled_on":"2024-01-10"`,
		`"exited_on":"2024-02-01"`, `"exit_destination":"Arbete"`, `"declined_on":"2024-01-20"`,
		`"decline_note":"Valde en annan insats"`, `"given_on":"2024-01-05"`, `"date":"2024-01-11"`, `"type":"Skapandeträff"`,
		`"text":"Evas mål"`, `"outcome_note":"Evas utfall"`, `{"dimension":"Motivation","rating":2}`,
		`"note":"Evas uppföljning"`, `"due_on":"2024-08-01"`, `"months":12`} {
		if !strings.Contains(doc, want) {
			t.Errorf("the export lacks %s:\n%s", want, doc)
		}
	}
	for _, other := range []string{"Frida", frida.Code, "191212121212", "1212121212", "2024-01-12", `"rating":4`} {
		if strings.Contains(doc, other) {
			t.Errorf("the export holds %q about someone else:\n%s", other, doc)
		}
	}
	var details string
	if err := w.db.Pool.QueryRow(ctx, `SELECT details::text FROM audit_events WHERE action = 'participant.access_request'
		AND actor_id = $1`, w.officer.UserID).Scan(&details); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(details, `"records": 2`) || strings.Contains(details, "9876") || strings.Contains(details, evaIKF.Code) {
		t.Errorf("audit details %s: want the count only", details)
	}
	// Nobody found: an empty document, still audited.
	nobody, _ := partnership.ParsePersonnummer("850101-1236", now)
	if rep, err := w.svc.AccessRequest(ctx, w.admin, nobody); err != nil || len(rep.Records) != 0 {
		t.Errorf("AccessRequest for nobody = %+v, %v", rep, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.access_request'`); n != 2 {
		t.Errorf("%d access request events, want 2", n)
	}
}
