package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// The benchmark data set: a million activities over five agreements and
// three years (2023–2025), logged in date order as they are in use, with
// five types per agreement.
const (
	benchActivities = 1_000_000
	benchAgreements = 5
	benchTypes      = 5
	benchDays       = 1096 // 2023-01-01 … 2025-12-31
)

// activityBench is a database holding the benchmark data set.
type activityBench struct {
	db        *postgres.DB
	agreement int64   // the agreement the benchmarks read
	types     []int64 // its types
}

// newActivityBench fills a fresh database with one INSERT … SELECT FROM
// generate_series and analyses it. It takes a while, so it runs in the
// benchmark function that holds the sub-benchmarks, once.
func newActivityBench(b *testing.B) activityBench {
	b.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.NewDatabase(b), 15*time.Minute, 4)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(db.Close)
	start := time.Now()
	var typeIDs []int64 // benchTypes per agreement, agreement by agreement
	var agreements []int64
	for i := 0; i < benchAgreements; i++ {
		var id int64
		if err := db.Pool.QueryRow(ctx, `INSERT INTO agreements (title) VALUES ($1) RETURNING id`,
			"Benchmark "+string(rune('A'+i))).Scan(&id); err != nil {
			b.Fatal(err)
		}
		agreements = append(agreements, id)
		for j := 0; j < benchTypes; j++ {
			unit := partnership.UnitOccasions
			if j == benchTypes-1 {
				unit = partnership.UnitHours
			}
			typ, err := postgres.NewActivityTypes(db.Pool).CreateType(ctx, partnership.ActivityType{
				AgreementID: id, Name: "Typ " + string(rune('1'+j)), Unit: unit, Active: true})
			if err != nil {
				b.Fatal(err)
			}
			typeIDs = append(typeIDs, typ.ID)
		}
	}
	// Row g belongs to agreement g % 5 and, within it, to type (g / 5) % 5;
	// dates advance with g, so each agreement has ~67 000 activities a year.
	_, err = db.Pool.Exec(ctx, `
		INSERT INTO activities (agreement_id, type_id, activity_date, duration_minutes, women, men, non_binary,
		                        children, volunteer_minutes, staff_present, place, notes)
		SELECT ($1::bigint[])[g % $3 + 1],
		       ($2::bigint[])[(g % $3) * $4 + (g / $3) % $4 + 1],
		       DATE '2023-01-01' + ((g::bigint * $5) / $6)::int,
		       30 + (g * 7) % 180, (g * 3) % 15, g % 3, (g / 7) % 2, (g * 5) % 9, (g * 11) % 240, 1 + g % 3,
		       'Föreningens lokal', ''
		FROM generate_series(0, $6 - 1) AS g`,
		agreements, typeIDs, benchAgreements, benchTypes, benchDays, benchActivities)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `VACUUM ANALYZE activities, activity_day_totals`); err != nil {
		b.Fatal(err)
	}
	b.Logf("inserted %d activities and analysed them in %s", benchActivities, time.Since(start).Round(time.Millisecond))
	return activityBench{db: db, agreement: agreements[0], types: typeIDs[:benchTypes]}
}

// explain logs the plan of a query, to see which index it uses.
func (e activityBench) explain(b *testing.B, sql string, args ...any) {
	b.Helper()
	rows, err := e.db.Pool.Query(context.Background(), "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "+sql, args...)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			b.Fatal(err)
		}
		lines = append(lines, line)
	}
	b.Logf("plan:\n%s", strings.Join(lines, "\n"))
}

func BenchmarkActivityList(b *testing.B) {
	e := newActivityBench(b)
	ctx := context.Background()
	store := postgres.NewActivities(e.db.Pool)

	// The cursor 150 000 rows deep: the 3 001st page of 50.
	var deep partnership.ActivityCursor
	if err := e.db.Pool.QueryRow(ctx, `SELECT activity_date, id FROM activities WHERE agreement_id = $1
		ORDER BY activity_date DESC, id DESC OFFSET 150000 LIMIT 1`, e.agreement).Scan(&deep.Date, &deep.ID); err != nil {
		b.Fatal(err)
	}
	e.explain(b, `SELECT id FROM activities a WHERE a.agreement_id = $1 AND (a.activity_date, a.id) < ($2, $3)
		ORDER BY a.activity_date DESC, a.id DESC LIMIT 51`, e.agreement, deep.Date, deep.ID)
	year := partnership.YearFilter(2024)
	typeYear := year
	typeYear.TypeID = e.types[2]

	cases := []struct {
		name   string
		filter partnership.ActivityFilter
		after  *partnership.ActivityCursor
	}{
		{"first page", partnership.ActivityFilter{}, nil},
		{"deep page", partnership.ActivityFilter{}, &deep},
		{"first page of a type in a year", typeYear, nil},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				page, err := store.List(ctx, e.agreement, c.filter, c.after, 50)
				if err != nil || len(page.Activities) != 50 || page.Next == nil {
					b.Fatalf("page of %d, next %v: %v", len(page.Activities), page.Next, err)
				}
			}
		})
	}
}

func BenchmarkActivityTotals(b *testing.B) {
	e := newActivityBench(b)
	ctx := context.Background()
	store := postgres.NewActivities(e.db.Pool)
	// The totals read the per-day sums (activity_day_totals), not the activities.
	e.explain(b, `SELECT sum(occasions), sum(minutes), sum(women), sum(men), sum(non_binary), sum(children),
		sum(volunteer_minutes) FROM activity_day_totals a
		WHERE a.agreement_id = $1 AND a.activity_date >= $2 AND a.activity_date <= $3`,
		e.agreement, *partnership.YearFilter(2024).From, *partnership.YearFilter(2024).To)
	year := partnership.YearFilter(2024)
	typeYear := year
	typeYear.TypeID = e.types[2]

	cases := []struct {
		name   string
		filter partnership.ActivityFilter
	}{
		{"year", year},
		{"type in a year", typeYear},
		{"every year", partnership.ActivityFilter{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				totals, err := store.Totals(ctx, e.agreement, c.filter)
				if err != nil || totals.Occasions == 0 {
					b.Fatalf("totals %+v: %v", totals, err)
				}
			}
		})
	}
	b.Run("progress of a year", func(b *testing.B) {
		for b.Loop() {
			done, err := store.Done(ctx, e.agreement, 2024, 2024)
			if err != nil || len(done) != benchTypes {
				b.Fatalf("done %+v: %v", done, err)
			}
		}
	})
}
