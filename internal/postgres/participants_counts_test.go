package postgres_test

import (
	"context"
	"testing"
	"time"

	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// TestParticipantCountsEqualTheirDefinition recounts, from every
// participant's enrolment and exit, the new, active and exited of each
// year that Counts computes in one pass, over generated agreements and
// years before, within and after their data.
func TestParticipantCountsEqualTheirDefinition(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	last := time.Now().Year()
	if _, err := demo.Generate(ctx, db, demo.Sizes{Agreements: 4, Participants: 600, Activities: 100, Years: 6,
		LastYear: last, Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT agreement_id, enrolled_on, exited_on FROM participants WHERE enrolled_on IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	type period struct{ enrolled, exited *time.Time }
	byAgreement := map[int64][]period{}
	for rows.Next() {
		var id int64
		var p period
		if err := rows.Scan(&id, &p.enrolled, &p.exited); err != nil {
			t.Fatal(err)
		}
		byAgreement[id] = append(byAgreement[id], p)
	}
	if err := rows.Err(); err != nil || len(byAgreement) == 0 {
		t.Fatalf("participants: %d agreements, %v", len(byAgreement), err)
	}
	from, to := last-8, last+1
	exits := 0
	for id, list := range byAgreement {
		got, err := postgres.NewParticipants(db.Pool).Counts(ctx, id, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != to-from+1 {
			t.Fatalf("agreement %d: %d years, want %d", id, len(got), to-from+1)
		}
		for i, c := range got {
			y := from + i
			want := partnership.ParticipantYearCounts{Year: y}
			start, end := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
			for _, p := range list {
				if !p.enrolled.Before(start) && p.enrolled.Before(end) {
					want.New++
				}
				if p.enrolled.Before(end) && (p.exited == nil || !p.exited.Before(start)) {
					want.Active++
				}
				if p.exited != nil && !p.exited.Before(start) && p.exited.Before(end) {
					want.Exited++
					exits++
				}
			}
			if c != want {
				t.Errorf("agreement %d, %d: %+v, want %+v", id, y, c, want)
			}
		}
	}
	if exits == 0 {
		t.Error("the generated participants never exited: the test compares nothing of exits")
	}
}
