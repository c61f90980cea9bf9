package participant_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"iop/internal/participant"
	"iop/internal/partnership"
)

func importRows(t *testing.T, ids ...partnership.Identity) []partnership.ParticipantImportRow {
	t.Helper()
	var rows []partnership.ParticipantImportRow
	for i, id := range ids {
		row := partnership.ParticipantImportRow{Row: i + 2, Participant: stats("2024-03-01"), Identity: id}
		if !id.IsZero() {
			row.ConsentGivenOn = dayp("2024-03-01")
		}
		rows = append(rows, row)
	}
	return rows
}

func TestImportRegistersEveryRowWithCodesAndAudit(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.register(t, w.staff, w.ikf2, "2024-01-10", identity(t, "Eva Ek", "19811218-9876")) // makes the import's person a duplicate
	rows := importRows(t, partnership.Identity{}, identity(t, "Anna Andersson", "811218-9876"), partnership.Identity{})
	rows[2].Participant.EnrolledOn = dayp("2024-03-05")
	got, err := w.svc.Import(ctx, w.staff, w.ikf, rows)
	if err != nil {
		t.Fatal(err)
	}
	if got != (participant.Imported{Count: 3, WithIdentity: 1, Duplicates: 1}) {
		t.Errorf("imported %+v", got)
	}
	if n := w.count(t, `SELECT count(*) FROM participants WHERE agreement_id = $1`, w.ikf); n != 3 {
		t.Errorf("%d participants", n)
	}
	if n := w.count(t, `SELECT count(DISTINCT code) FROM participants WHERE agreement_id = $1 AND code LIKE '%-2024-00_'`, w.ikf); n != 3 {
		t.Errorf("%d distinct codes of 2024", n)
	}
	if n := w.count(t, `SELECT count(*) FROM participants WHERE agreement_id = $1 AND enrolled_on IS NOT NULL`, w.ikf); n != 1 {
		t.Errorf("%d enrolled", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.create' AND details->>'agreement_id' = $1::bigint::text`, w.ikf); n != 3 {
		t.Errorf("%d create events", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'participant.import' AND entity_id = $1::bigint::text
		AND (details->>'count')::int = 3 AND (details->>'duplicates')::int = 1`, w.ikf); n != 1 {
		t.Errorf("%d import events", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE details::text ~ '(Anna|Andersson|811218|9876)'`); n != 0 {
		t.Errorf("%d audit events hold the identity", n)
	}
	if n := w.count(t, `SELECT count(*) FROM participant_consents`); n != 2 {
		t.Errorf("%d consents", n)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	rows := importRows(t, partnership.Identity{}, partnership.Identity{}, identity(t, "Anna Andersson", "811218-9876"))
	rows[1].Participant.BirthYear = 1800
	rows[2].ConsentGivenOn = nil
	_, err := w.svc.Import(ctx, w.staff, w.ikf, rows)
	var problems partnership.ImportErrors
	if !errors.As(err, &problems) {
		t.Fatalf("err = %v, want ImportErrors", err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, strings.Join([]string{string(rune('0' + p.Row)), p.Column}, " "))
	}
	if strings.Join(got, "|") != "3 Födelseår|4 Samtycke datum" {
		t.Errorf("problems %v", got)
	}
	if n := w.count(t, `SELECT count(*) FROM participants`); n != 0 {
		t.Errorf("%d participants stored", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action LIKE 'participant.%'`); n != 0 {
		t.Errorf("%d events", n)
	}
}

func TestImportRefusedToOthersAndDrafts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	rows := importRows(t, partnership.Identity{})
	for _, a := range []partnership.Actor{w.coordinator, w.officer, w.viewer, w.admin} {
		_, err := w.svc.Import(ctx, a, w.ikf, rows)
		wantErr(t, string(a.Role), err, partnership.ErrForbidden)
	}
	_, err := w.svc.Import(ctx, w.otherStaff, w.ikf, rows)
	wantErr(t, "another association's staff", err, partnership.ErrNotFound)
	if _, err := w.db.Pool.Exec(ctx, `UPDATE agreements SET status = 'draft' WHERE id = $1`, w.ikf); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Import(ctx, w.staff, w.ikf, rows)
	var problems partnership.ImportErrors
	if !errors.As(err, &problems) || len(problems) != 1 || problems[0].Message != participant.MsgAgreementClosed {
		t.Errorf("draft: %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM participants`); n != 0 {
		t.Errorf("%d participants stored", n)
	}
}

func TestCoordinatorOnlyRefers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	p := stats("2024-03-01")
	p.EnrolledOn = dayp("2024-03-05")
	_, err := w.svc.Register(ctx, w.coordinator, w.ikf, participant.Registration{Participant: p})
	var v partnership.ValidationError
	if !errors.As(err, &v) || v["enrolled_on"] != participant.MsgCoordinatorRefersOnly {
		t.Errorf("coordinator enrolling: %v", err)
	}
	p = stats("2024-03-01")
	p.DeclinedOn, p.DeclineReason = dayp("2024-03-05"), partnership.DeclineNoShow
	_, err = w.svc.Register(ctx, w.coordinator, w.ikf, participant.Registration{Participant: p})
	if !errors.As(err, &v) || v["declined_on"] != participant.MsgCoordinatorRefersOnly {
		t.Errorf("coordinator declining: %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM participants`); n != 0 {
		t.Errorf("%d participants stored", n)
	}
	// Staff may register someone already enrolled.
	p = stats("2024-03-01")
	p.EnrolledOn = dayp("2024-03-05")
	r, err := w.svc.Register(ctx, w.staff, w.ikf, participant.Registration{Participant: p})
	if err != nil || r.Participant.Status() != partnership.StatusEnrolled {
		t.Errorf("staff enrolling on registration: %v %+v", err, r.Participant)
	}
}
