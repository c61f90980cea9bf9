package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// MaxActivityPage bounds the page size of List.
const MaxActivityPage = 500

// activityWhere is the WHERE clause of an agreement's activities that
// match f, with its arguments. Only the conditions f needs are written,
// so that every query shape gets a plan that fits it (a catch-all
// "$2 = 0 OR type_id = $2" would keep PostgreSQL's generic plans from
// using the type index).
func activityWhere(agreementID int64, f partnership.ActivityFilter) (string, []any) {
	args := []any{agreementID}
	conds := []string{"a.agreement_id = $1"}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.TypeID != 0 {
		add("a.type_id = ?", f.TypeID)
	}
	if f.From != nil {
		add("a.activity_date >= ?", *f.From)
	}
	if f.To != nil {
		add("a.activity_date <= ?", *f.To)
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// List returns a page of the agreement's activities that match f, newest
// first (by date, then by id), starting after the cursor (nil: the first
// page), at most limit (1–MaxActivityPage) of them. Pages are found by
// keyset on (activity_date, id), so a deep page costs the same as the first
// one; Next is set when more follow.
func (s *Activities) List(ctx context.Context, agreementID int64, f partnership.ActivityFilter,
	after *partnership.ActivityCursor, limit int) (partnership.ActivityPage, error) {
	limit = min(max(limit, 1), MaxActivityPage)
	where, args := activityWhere(agreementID, f)
	if after != nil {
		args = append(args, after.Date, after.ID)
		where += fmt.Sprintf(" AND (a.activity_date, a.id) < ($%d, $%d)", len(args)-1, len(args))
	}
	args = append(args, limit+1)
	rows, _ := s.db.Query(ctx, `SELECT `+activityColumns+` FROM activities a`+activityJoins+where+`
		ORDER BY a.activity_date DESC, a.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	list, err := pgx.CollectRows(rows, rowTo(activityRow.activity))
	if err != nil {
		return partnership.ActivityPage{}, fmt.Errorf("list activities of agreement %d: %w", agreementID, err)
	}
	page := partnership.ActivityPage{Activities: list}
	if len(list) > limit { // the one row more than asked for says that more follow
		page.Activities = list[:limit:limit]
		last := list[limit-1]
		page.Next = &partnership.ActivityCursor{Date: last.Date, ID: last.ID}
	}
	return page, nil
}

// Totals sums the agreement's activities that match f in one query:
// the number of occasions, the summed duration, attendance and volunteer
// time. It reads the per-day sums (activity_day_totals, kept by triggers
// on activities), at most one row per day and type, so a year of a large
// agreement costs a few hundred rows however many activities it holds.
func (s *Activities) Totals(ctx context.Context, agreementID int64, f partnership.ActivityFilter) (partnership.ActivityTotals, error) {
	where, args := activityWhere(agreementID, f)
	rows, _ := s.db.Query(ctx, `
		SELECT coalesce(sum(a.occasions), 0)::bigint AS occasions, coalesce(sum(a.minutes), 0)::bigint AS minutes,
		       coalesce(sum(a.women), 0)::bigint AS women, coalesce(sum(a.men), 0)::bigint AS men,
		       coalesce(sum(a.non_binary), 0)::bigint AS non_binary, coalesce(sum(a.children), 0)::bigint AS children,
		       coalesce(sum(a.volunteer_minutes), 0)::bigint AS volunteer_minutes
		FROM activity_day_totals a`+where, args...)
	totals, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[partnership.ActivityTotals])
	if err != nil {
		return partnership.ActivityTotals{}, fmt.Errorf("activity totals of agreement %d: %w", agreementID, err)
	}
	return totals, nil
}

// Done returns, per activity type and calendar year from fromYear to
// toYear, what was done in the type's base unit: the number of activities
// for occasion-typed types, the summed minutes for hour-typed ones
// (partnership.ComputeProgress takes it from here).
func (s *Activities) Done(ctx context.Context, agreementID int64, fromYear, toYear int) ([]partnership.ActivityDone, error) {
	// Aggregating the per-day sums before the join reads at most one row
	// per day and type into a handful of groups.
	rows, _ := s.db.Query(ctx, `
		SELECT d.type_id, d.year, CASE WHEN t.unit = 'hours' THEN d.minutes ELSE d.occasions END AS done
		FROM (SELECT type_id, extract(year FROM activity_date)::int AS year,
		             sum(occasions)::bigint AS occasions, sum(minutes)::bigint AS minutes
		      FROM activity_day_totals
		      WHERE agreement_id = $1 AND activity_date >= make_date($2, 1, 1) AND activity_date < make_date($3 + 1, 1, 1)
		      GROUP BY 1, 2) d
		JOIN activity_types t ON t.id = d.type_id
		ORDER BY d.year, d.type_id`, agreementID, fromYear, toYear)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.ActivityDone])
	if err != nil {
		return nil, fmt.Errorf("activities done for agreement %d in %d–%d: %w", agreementID, fromYear, toYear, err)
	}
	return list, nil
}

// VolunteerByYear returns the volunteer time logged for the agreement per
// calendar year, for every year that has activities, oldest first.
func (s *Activities) VolunteerByYear(ctx context.Context, agreementID int64) ([]partnership.VolunteerYear, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT extract(year FROM activity_date)::int AS year, sum(volunteer_minutes)::bigint AS minutes
		FROM activity_day_totals WHERE agreement_id = $1
		GROUP BY 1 ORDER BY 1`, agreementID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.VolunteerYear])
	if err != nil {
		return nil, fmt.Errorf("volunteer time of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// Each calls fn with each of the agreement's activities that match f,
// newest first (as List orders them), as they are read: one query, no
// paging and nothing held but the row at hand, for exports of any size.
// Only what an export writes is read: the type's name, the date, the
// duration, the attendance, the volunteer time, the staff, the place and
// the notes. An error from fn stops it and is returned.
func (s *Activities) Each(ctx context.Context, agreementID int64, f partnership.ActivityFilter,
	fn func(partnership.Activity) error) error {
	where, args := activityWhere(agreementID, f)
	rows, err := s.db.Query(ctx, `SELECT t.name, a.activity_date, a.duration_minutes, a.women, a.men, a.non_binary,
		       a.children, a.volunteer_minutes, a.staff_present, a.place, a.notes
		FROM activities a JOIN activity_types t ON t.id = a.type_id`+where+`
		ORDER BY a.activity_date DESC, a.id DESC`, args...)
	if err != nil {
		return fmt.Errorf("export activities of agreement %d: %w", agreementID, err)
	}
	defer rows.Close()
	a := partnership.Activity{AgreementID: agreementID}
	for rows.Next() {
		if err := rows.Scan(&a.TypeName, &a.Date, &a.DurationMinutes, &a.Women, &a.Men, &a.NonBinary,
			&a.Children, &a.VolunteerMinutes, &a.StaffPresent, &a.Place, &a.Notes); err != nil {
			return fmt.Errorf("export activities of agreement %d: %w", agreementID, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export activities of agreement %d: %w", agreementID, err)
	}
	return nil
}
