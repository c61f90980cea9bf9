package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reports reads the aggregates of the annual report: every query takes a
// set of agreements and a calendar year and returns one row per agreement
// and group, counted in SQL, so that one agreement's report and the
// portfolio of all agreements are the same queries.
type Reports struct{ db DBTX }

// NewReports returns the report store on db (a pool or a transaction).
func NewReports(db DBTX) *Reports { return &Reports{db: db} }

// yearBounds is the SQL for "$2 is the year": [y0, y1).
const (
	reportY0 = `make_date($2::int, 1, 1)`
	reportY1 = `make_date($2::int + 1, 1, 1)`
)

// ReportAgreementIDs lists the agreements the portfolio of year holds:
// those that are not drafts and whose period (start to current end after
// extensions, or the termination date) touches the year, in title order.
// orgID limits them to one organisation's agreements (association staff);
// nil means all.
func (s *Reports) ReportAgreementIDs(ctx context.Context, year int, orgID *int64) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT a.id FROM agreements a
		WHERE a.id IN (`+coveringAgreements+`) AND a.status <> 'draft'
		  AND ($2::bigint IS NULL OR EXISTS (
			SELECT 1 FROM agreement_parties p WHERE p.agreement_id = a.id AND p.organisation_id = $2))
		ORDER BY a.title COLLATE "sv-SE-x-icu", a.id`, year, orgID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("agreements of the %d report: %w", year, err)
	}
	return ids, nil
}

// ReportActivityRow is one activity type of an agreement in the year: its
// target, what was performed and in how many hours.
type ReportActivityRow struct {
	AgreementID      int64
	TypeID           int64
	Name             string
	Unit             string // "occasions" or "hours"
	TargetMin        *int64 // in the type's unit; nil when the year has no target
	TargetMax        *int64
	Activities       int64
	Minutes          int64
	VolunteerMinutes int64
	Attendance       int64 // women + men + non-binary (children not counted)
}

// ReportActivities returns, per agreement and activity type that has a
// target for the year or activities in it, the target and the sums of the
// year's activities (from their per-day sums), in the types' order.
func (s *Reports) ReportActivities(ctx context.Context, ids []int64, year int) ([]ReportActivityRow, error) {
	return reportRows[ReportActivityRow](ctx, s.db, "activities", year, `
		WITH done AS (
			SELECT agreement_id, type_id, sum(occasions)::bigint AS activities, sum(minutes)::bigint AS minutes,
			       sum(volunteer_minutes)::bigint AS volunteer_minutes, sum(women + men + non_binary)::bigint AS attendance
			FROM activity_day_totals
			WHERE agreement_id = ANY($1) AND activity_date >= `+reportY0+` AND activity_date < `+reportY1+`
			GROUP BY agreement_id, type_id)
		SELECT t.agreement_id, t.id AS type_id, t.name, t.unit,
		       g.target_min::bigint AS target_min, g.target_max::bigint AS target_max,
		       coalesce(d.activities, 0) AS activities, coalesce(d.minutes, 0) AS minutes,
		       coalesce(d.volunteer_minutes, 0) AS volunteer_minutes, coalesce(d.attendance, 0) AS attendance
		FROM activity_types t
		LEFT JOIN activity_targets g ON g.agreement_id = t.agreement_id AND g.type_id = t.id AND g.year = $2
		LEFT JOIN done d ON d.agreement_id = t.agreement_id AND d.type_id = t.id
		WHERE t.agreement_id = ANY($1) AND (g.type_id IS NOT NULL OR d.type_id IS NOT NULL)
		ORDER BY t.agreement_id, t.position, t.id`, ids, year)
}

// ReportPerParticipantRow is, for an activity type with a target per
// participant, how the participants enrolled some time in the year stand
// against it by named attendance (as Activities.SessionsPerParticipant
// and partnership.PerParticipantStatus define it).
type ReportPerParticipantRow struct {
	AgreementID int64
	TypeID      int64
	Name        string
	Unit        string
	Min         int64
	Max         int64
	Below       int64
	Within      int64
	Above       int64
}

// ReportPerParticipant counts, per type with a target per participant,
// the participants below, within and above it in the year.
func (s *Reports) ReportPerParticipant(ctx context.Context, ids []int64, year int) ([]ReportPerParticipantRow, error) {
	return reportRows[ReportPerParticipantRow](ctx, s.db, "per-participant targets", year, `
		WITH sessions AS (
			SELECT t.agreement_id, t.id AS type_id, p.id AS participant_id,
			       CASE WHEN t.unit = 'hours' THEN coalesce(sum(a.duration_minutes), 0) ELSE count(a.id) END AS done
			FROM activity_types t
			JOIN participants p ON p.agreement_id = t.agreement_id
			 AND p.enrolled_on < `+reportY1+` AND (p.exited_on IS NULL OR p.exited_on >= `+reportY0+`)
			LEFT JOIN (activity_participants ap
			           JOIN activities a ON a.id = ap.activity_id
			            AND a.activity_date >= `+reportY0+` AND a.activity_date < `+reportY1+`)
			  ON ap.participant_id = p.id AND a.agreement_id = t.agreement_id AND a.type_id = t.id
			WHERE t.agreement_id = ANY($1) AND t.per_participant_min IS NOT NULL
			GROUP BY t.agreement_id, t.id, p.id)
		SELECT t.agreement_id, t.id AS type_id, t.name, t.unit,
		       t.per_participant_min::bigint AS min, coalesce(t.per_participant_max, t.per_participant_min)::bigint AS max,
		       count(s.participant_id) FILTER (WHERE s.done < t.per_participant_min * u.unit) AS below,
		       count(s.participant_id) FILTER (WHERE s.done >= t.per_participant_min * u.unit
		             AND s.done <= coalesce(t.per_participant_max, t.per_participant_min) * u.unit) AS within,
		       count(s.participant_id) FILTER (WHERE s.done > coalesce(t.per_participant_max, t.per_participant_min) * u.unit) AS above
		FROM activity_types t
		CROSS JOIN LATERAL (SELECT CASE WHEN t.unit = 'hours' THEN 60 ELSE 1 END AS unit) u
		LEFT JOIN sessions s ON s.type_id = t.id
		WHERE t.agreement_id = ANY($1) AND t.per_participant_min IS NOT NULL
		GROUP BY t.agreement_id, t.id, u.unit
		ORDER BY t.agreement_id, t.position, t.id`, ids, year)
}

// reportRows runs one of the report's queries of the year and collects
// its rows into T by column name.
func reportRows[T any](ctx context.Context, db DBTX, what string, year int, sql string, args ...any) ([]T, error) {
	rows, _ := db.Query(ctx, sql, args...)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[T])
	if err != nil {
		return nil, fmt.Errorf("report %s of %d: %w", what, year, err)
	}
	return list, nil
}

// ReportBudgetRow is what one party of an agreement contributes in the
// year by kind, summed from the materialised year amounts (indexed and
// pro-rated by the yearly indexation). Materialised is false when some
// line of the agreement has no amount for the year: the caller then
// computes the year from the rules instead.
type ReportBudgetRow struct {
	AgreementID  int64
	PartyID      int64
	Cash         int64
	InKind       int64
	Volunteer    int64 // the in-kind lines of category "Ideellt arbete"
	Materialised bool
}

// ReportBudgets sums the year's materialised amounts per agreement and
// party.
func (s *Reports) ReportBudgets(ctx context.Context, ids []int64, year int) ([]ReportBudgetRow, error) {
	return reportRows[ReportBudgetRow](ctx, s.db, "budgets", year, `
		SELECT l.agreement_id, l.party_id,
		       coalesce(sum(y.amount) FILTER (WHERE l.kind = 'cash'), 0)::bigint AS cash,
		       coalesce(sum(y.amount) FILTER (WHERE l.kind = 'in_kind'), 0)::bigint AS in_kind,
		       coalesce(sum(y.amount) FILTER (WHERE l.kind = 'in_kind' AND lower(btrim(l.category)) = 'ideellt arbete'), 0)::bigint AS volunteer,
		       bool_and(bool_and(y.line_id IS NOT NULL)) OVER (PARTITION BY l.agreement_id) AS materialised
		FROM budget_lines l
		LEFT JOIN budget_year_amounts y ON y.line_id = l.id AND y.year = $2
		WHERE l.agreement_id = ANY($1)
		GROUP BY l.agreement_id, l.party_id
		ORDER BY l.agreement_id, l.party_id`, ids, year)
}

// ReportInvoiceRow is an agreement's invoices for the year: how many were
// received (all), approved (approved or paid) and paid, and their sums.
type ReportInvoiceRow struct {
	AgreementID    int64
	Received       int64
	ReceivedAmount int64
	Approved       int64
	ApprovedAmount int64
	Paid           int64
	PaidAmount     int64
}

// ReportInvoices sums the invoices of the year per agreement (agreements
// without invoices are left out).
func (s *Reports) ReportInvoices(ctx context.Context, ids []int64, year int) ([]ReportInvoiceRow, error) {
	return reportRows[ReportInvoiceRow](ctx, s.db, "invoices", year, `
		SELECT agreement_id, count(*) AS received, sum(amount)::bigint AS received_amount,
		       count(*) FILTER (WHERE status IN ('approved', 'paid')) AS approved,
		       coalesce(sum(amount) FILTER (WHERE status IN ('approved', 'paid')), 0)::bigint AS approved_amount,
		       count(*) FILTER (WHERE status = 'paid') AS paid,
		       coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0)::bigint AS paid_amount
		FROM invoices WHERE agreement_id = ANY($1) AND year = $2
		GROUP BY agreement_id ORDER BY agreement_id`, ids, year)
}

// ReportMeetingRow counts an agreement's meetings of one kind in the year:
// held (dated up to today) and planned (later).
type ReportMeetingRow struct {
	AgreementID int64
	Kind        string
	Held        int64
	Planned     int64
}

// ReportMeetings counts the year's meetings per agreement and kind.
func (s *Reports) ReportMeetings(ctx context.Context, ids []int64, year int, today time.Time) ([]ReportMeetingRow, error) {
	return reportRows[ReportMeetingRow](ctx, s.db, "meetings", year, `
		SELECT agreement_id, kind, count(*) FILTER (WHERE held_on <= $3) AS held,
		       count(*) FILTER (WHERE held_on > $3) AS planned
		FROM meetings WHERE agreement_id = ANY($1) AND held_on >= `+reportY0+` AND held_on < `+reportY1+`
		GROUP BY 1, 2 ORDER BY 1, 2`, ids, year, today)
}

// ReportRecorded says, per agreement, which kinds of data the product
// holds for it at all: a section whose data was never recorded is shown
// as not recorded rather than as zeros.
type ReportRecorded struct {
	AgreementID   int64
	Participants  bool
	ActivityTypes bool
	Assessments   bool
	FollowUps     bool
	BudgetLines   bool
}

// ReportRecordedFor returns what is recorded for each of the agreements.
func (s *Reports) ReportRecordedFor(ctx context.Context, ids []int64) (map[int64]ReportRecorded, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT a.id AS agreement_id,
		       EXISTS (SELECT 1 FROM participants p WHERE p.agreement_id = a.id) AS participants,
		       EXISTS (SELECT 1 FROM activity_types t WHERE t.agreement_id = a.id) AS activity_types,
		       EXISTS (SELECT 1 FROM assessments x JOIN participants p ON p.id = x.participant_id
		               WHERE p.agreement_id = a.id) AS assessments,
		       EXISTS (SELECT 1 FROM followups f WHERE f.agreement_id = a.id) AS follow_ups,
		       EXISTS (SELECT 1 FROM budget_lines l WHERE l.agreement_id = a.id) AS budget_lines
		FROM agreements a WHERE a.id = ANY($1)`, ids)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[ReportRecorded])
	if err != nil {
		return nil, fmt.Errorf("report: what is recorded: %w", err)
	}
	out := make(map[int64]ReportRecorded, len(list))
	for _, r := range list {
		out[r.AgreementID] = r
	}
	return out, nil
}

// ReportUnsubmitted returns the agreements among ids whose annual report
// of year has not been submitted (none, a draft or returned), and false
// when the product has no annual reports table.
func (s *Reports) ReportUnsubmitted(ctx context.Context, ids []int64, year int) (map[int64]bool, bool, error) {
	var exists bool
	if err := s.db.QueryRow(ctx, `SELECT to_regclass('annual_reports') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, false, fmt.Errorf("report: annual reports table: %w", err)
	}
	if !exists {
		return nil, false, nil
	}
	rows, _ := s.db.Query(ctx, `
		SELECT a.id FROM unnest($1::bigint[]) AS a(id)
		WHERE NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.agreement_id = a.id AND r.year = $2
		                  AND r.state IN ('submitted', 'approved'))`, ids, year)
	list, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, false, fmt.Errorf("report: unsubmitted reports of %d: %w", year, err)
	}
	out := map[int64]bool{}
	for _, id := range list {
		out[id] = true
	}
	return out, true, nil
}
