package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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

// Import writes its COPY itself, in the binary format: every column must
// arrive as given, and the rows are stored in date order.
func TestActivityImportStoresEveryColumn(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	agreement := insertAgreement(t, db.Pool, "KISAM")
	typ := mustType(t, postgres.NewActivityTypes(db.Pool), partnership.ActivityType{AgreementID: agreement, Name: "Läxhjälp", Unit: partnership.UnitOccasions, Active: true})
	_, assoc := newOrgs(t, db)
	list := []partnership.Activity{
		{AgreementID: agreement, TypeID: typ.ID, Date: activityDay("2026-11-20"), DurationMinutes: 1440, Women: 10000,
			Men: 2, NonBinary: 3, Children: 4, VolunteerMinutes: 60000, StaffPresent: 1000,
			Place: "Föreningens lokal", Notes: "Rad ett\nRad två\t\"citat\" \\ å"},
		{AgreementID: agreement, TypeID: typ.ID, Date: activityDay("2000-01-01"), DurationMinutes: 1},
	}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewActivities(tx).Import(ctx, agreement, nil, &assoc.ID, list)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := db.Pool.Query(ctx, `SELECT agreement_id, type_id, activity_date::text, duration_minutes, women, men, non_binary,
		children, volunteer_minutes, staff_present, place, notes, created_by IS NULL, organisation_id
		FROM activities ORDER BY id`)
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var v [14]any
		ptrs := make([]any, len(v))
		for i := range v {
			ptrs[i] = &v[i]
		}
		err := r.Scan(ptrs...)
		return fmt.Sprint(v[:]...), err
	})
	want := []string{
		fmt.Sprint(agreement, typ.ID, "2000-01-01", int32(1), int32(0), int32(0), int32(0), int32(0), int32(0), int32(0), "", "", true, assoc.ID),
		fmt.Sprint(agreement, typ.ID, "2026-11-20", int32(1440), int32(10000), int32(2), int32(3), int32(4), int32(60000), int32(1000),
			"Föreningens lokal", "Rad ett\nRad två\t\"citat\" \\ å", true, assoc.ID),
	}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("stored\n%q\nwant\n%q\n%v", got, want, err)
	}
}

// activities has no foreign key of its own to agreements (migration
// 000024): activities_type_fkey keeps every activity's agreement. An
// agreement cannot be deleted under an open import into it, and deleting
// one deletes its activities.
func TestActivityAgreementKeptByTypeKey(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	agreement, other := insertAgreement(t, db.Pool, "KISAM"), insertAgreement(t, db.Pool, "Annan")
	typ := mustType(t, postgres.NewActivityTypes(db.Pool), partnership.ActivityType{AgreementID: agreement, Name: "Läxhjälp", Unit: partnership.UnitOccasions, Active: true})
	count := func(query string) int {
		var n int
		if err := db.Pool.QueryRow(ctx, query, agreement).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	for _, id := range []int64{other, agreement + other + 1} {
		_, err := db.Pool.Exec(ctx, `INSERT INTO activities (agreement_id, type_id, activity_date, duration_minutes)
			VALUES ($1, $2, '2026-03-02', 60)`, id, typ.ID)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "23503" {
			t.Errorf("activity of type %d stored for agreement %d: %v", typ.ID, id, err)
		}
	}

	// The import holds the agreement's type (key share); the delete waits
	// for it and then finds the imported activity.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // committed below
	list := []partnership.Activity{{AgreementID: agreement, TypeID: typ.ID, Date: activityDay("2026-03-02"), DurationMinutes: 60}}
	if _, err := postgres.NewActivities(tx).Import(ctx, agreement, nil, nil, list); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var pid int
	if err := conn.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() {
		_, err := conn.Exec(ctx, `DELETE FROM agreements WHERE id = $1`, agreement)
		deleted <- err
	}()
	for waiting := false; !waiting; {
		if err := db.Pool.QueryRow(ctx, `SELECT coalesce(bool_or(wait_event_type = 'Lock'), false)
			FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-deleted:
			t.Fatalf("the delete did not wait for the import: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var pgErr *pgconn.PgError
	if err := <-deleted; !errors.As(err, &pgErr) || pgErr.ConstraintName != "activities_type_fkey" {
		t.Errorf("delete under an import: %v", err)
	}
	if n := count(`SELECT count(*) FROM activities a JOIN agreements g ON g.id = a.agreement_id WHERE g.id = $1`); n != 1 {
		t.Errorf("%d imported activities with their agreement, want 1", n)
	}

	if _, err := db.Pool.Exec(ctx, `DELETE FROM agreements WHERE id = $1`, agreement); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM activities WHERE agreement_id = $1`); n != 0 {
		t.Errorf("%d activities left of a deleted agreement", n)
	}
}
