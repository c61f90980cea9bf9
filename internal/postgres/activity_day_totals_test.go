package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"iop/internal/postgres/pgtest"
)

// TestActivityDayTotalsFollowActivities checks that the per-day sums the
// totals and progress read (activity_day_totals, kept by statement
// triggers) equal the activities after every kind of write: single and
// multi-row inserts, COPY, updates that move an activity to another day
// or type, deletes, and the cascade when an agreement is deleted.
func TestActivityDayTotalsFollowActivities(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	first, other := insertAgreement(t, db.Pool, "Summor"), insertAgreement(t, db.Pool, "Andra summor")
	typeOf := func(agreement int64, name string) int64 {
		var id int64
		if err := db.Pool.QueryRow(ctx, `INSERT INTO activity_types (agreement_id, name, unit, position)
			VALUES ($1, $2, 'occasions', 1) RETURNING id`, agreement, name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b, c := typeOf(first, "Grupp"), typeOf(first, "Samtal"), typeOf(other, "Grupp")
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// mismatches are the keys where the sums differ from the activities.
	check := func(step string) {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, `
			WITH truth AS (
				SELECT agreement_id, activity_date, type_id, count(*) AS occasions, sum(duration_minutes) AS minutes,
				       sum(women) AS women, sum(men) AS men, sum(non_binary) AS non_binary, sum(children) AS children,
				       sum(volunteer_minutes) AS volunteer_minutes
				FROM activities GROUP BY 1, 2, 3),
			kept AS (SELECT agreement_id, activity_date, type_id, occasions, minutes, women, men, non_binary,
				       children, volunteer_minutes FROM activity_day_totals)
			SELECT count(*) FROM ((TABLE truth EXCEPT TABLE kept) UNION ALL (TABLE kept EXCEPT TABLE truth)) d`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: %d keys differ between activity_day_totals and activities", step, n)
		}
	}
	insert := `INSERT INTO activities (agreement_id, type_id, activity_date, duration_minutes, women, men, non_binary,
		children, volunteer_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	exec(insert, first, a, "2026-03-01", 90, 3, 2, 1, 4, 30)
	exec(insert, first, a, "2026-03-01", 60, 1, 0, 0, 0, 0)
	exec(insert, other, c, "2026-03-01", 45, 0, 5, 0, 0, 15)
	check("single inserts")
	exec(`INSERT INTO activities (agreement_id, type_id, activity_date, duration_minutes, women)
		SELECT $1, CASE WHEN g % 2 = 0 THEN $2::bigint ELSE $3::bigint END, DATE '2026-01-01' + g % 40, 30 + g % 60, g % 7
		FROM generate_series(1, 500) g`, first, a, b)
	check("multi-row insert")
	rows := [][]any{}
	for i := range 300 {
		rows = append(rows, []any{other, c, activityDay("2025-12-20").AddDate(0, 0, i%30), int32(15 + i%100), int32(i % 3)})
	}
	if _, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"activities"},
		[]string{"agreement_id", "type_id", "activity_date", "duration_minutes", "men"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	check("COPY")
	exec(`UPDATE activities SET activity_date = activity_date + 3, type_id = $2 WHERE agreement_id = $1 AND women = 2`, first, b)
	exec(`UPDATE activities SET women = women + 1, version = version + 1 WHERE agreement_id = $1`, other)
	exec(`UPDATE activities SET notes = 'bara text' WHERE agreement_id = $1`, first)
	check("updates")
	exec(`DELETE FROM activities WHERE agreement_id = $1 AND activity_date < '2026-01-20'`, first)
	check("delete")
	exec(`DELETE FROM agreements WHERE id = $1`, other)
	check("agreement deleted")
	var left int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activity_day_totals WHERE agreement_id = $1 OR occasions <= 0`, other).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d rows of a deleted agreement or of no activities left", left)
	}
}
