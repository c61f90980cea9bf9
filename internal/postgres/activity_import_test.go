package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestActivityImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	agreement, other := insertAgreement(t, db.Pool, "KISAM"), insertAgreement(t, db.Pool, "Annan")
	types := postgres.NewActivityTypes(db.Pool)
	skap := mustType(t, types, partnership.ActivityType{AgreementID: agreement, Name: "Skapandeträff", Unit: partnership.UnitOccasions, Active: true})
	foreign := mustType(t, types, partnership.ActivityType{AgreementID: other, Name: "X", Unit: partnership.UnitOccasions, Active: true})
	_, assoc := newOrgs(t, db)

	file := "Typ;Datum;Timmar;Kvinnor\nSkapandeträff;2026-03-02;2,5;12\nskapandeträff;2026-03-03;3;9\n"
	list, err := partnership.ParseActivityImport([]byte(file), []partnership.ActivityType{skap}, activityDay("2026-11-22"))
	if err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activities`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// A type of another agreement, refused by the database half-way
	// through the COPY: nothing is stored.
	bad := append([]partnership.Activity{}, list...)
	bad = append(bad, partnership.Activity{AgreementID: agreement, TypeID: foreign.ID, Date: activityDay("2026-03-04"), DurationMinutes: 60})
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewActivities(tx).Import(ctx, agreement, nil, &assoc.ID, bad)
		return err
	})
	wantValidation(t, err, "type_id")
	if n := count(); n != 0 {
		t.Fatalf("%d activities stored by a failed import", n)
	}
	if _, err := postgres.NewActivities(db.Pool).Import(ctx, other, nil, nil, list); err == nil || count() != 0 {
		t.Errorf("import into another agreement: %v", err)
	}

	err = db.InTx(ctx, func(tx pgx.Tx) error {
		n, err := postgres.NewActivities(tx).Import(ctx, agreement, nil, &assoc.ID, list)
		if err == nil && n != 2 {
			t.Errorf("imported %d", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := postgres.NewActivities(db.Pool).List(ctx, agreement, partnership.ActivityFilter{}, nil, 10)
	if err != nil || len(page.Activities) != 2 || page.Activities[0].DurationMinutes != 180 ||
		page.Activities[1].Women != 12 || *page.Activities[1].OrganisationID != assoc.ID || page.Activities[0].Version != 1 {
		t.Errorf("imported %+v %v", page.Activities, err)
	}
}
