package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// List returns one page of the agreement's participants that f selects,
// newest referral first, and how many it selects in all.
func (s *Participants) List(ctx context.Context, agreementID int64, f partnership.ParticipantFilter) (partnership.ParticipantPage, error) {
	f = f.Normalize()
	where := `agreement_id = $1
		AND ($2 = '' OR status = $2)
		AND ($3 = '' OR lower(cohort) = lower($3))
		AND ($4 = 0 OR (referred_on >= make_date($4, 1, 1) AND referred_on < make_date($4 + 1, 1, 1)))
		AND ($5::bigint IS NULL OR referred_by = $5)`
	args := []any{agreementID, string(f.Status), f.Cohort, f.Year, f.ReferredBy}
	var page partnership.ParticipantPage
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM participants WHERE `+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count participants of agreement %d: %w", agreementID, err)
	}
	rows, _ := s.db.Query(ctx, `SELECT `+participantColumns+` FROM participants WHERE `+where+`
		ORDER BY referred_on DESC, id DESC OFFSET $6 LIMIT $7`, append(args, f.Offset, f.Limit)...)
	list, err := pgx.CollectRows(rows, rowTo(participantRow.participant))
	if err != nil {
		return page, fmt.Errorf("list participants of agreement %d: %w", agreementID, err)
	}
	page.Participants = list
	return page, nil
}

// Cohorts lists the agreement's cohorts in use, for the list's filter.
func (s *Participants) Cohorts(ctx context.Context, agreementID int64) ([]string, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT cohort FROM participants WHERE agreement_id = $1 AND cohort <> ''
		ORDER BY cohort`, agreementID)
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("cohorts of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// Counts returns the agreement's participants per calendar year from..to
// (both included), one entry per year, counted in SQL as
// partnership.ParticipantYearCounts defines them.
func (s *Participants) Counts(ctx context.Context, agreementID int64, from, to int) ([]partnership.ParticipantYearCounts, error) {
	// One pass over the participants, counted per year of enrolment and
	// of exit; active in a year are those enrolled by its end less those
	// who exited before it (an exit is never before its enrolment).
	rows, _ := s.db.Query(ctx, `
		WITH per_year AS (
			SELECT y, sum(enrolled)::bigint AS enrolled, sum(exited)::bigint AS exited
			FROM (SELECT extract(year FROM enrolled_on)::int AS y, 1 AS enrolled, 0 AS exited
			      FROM participants WHERE agreement_id = $1 AND enrolled_on IS NOT NULL
			      UNION ALL
			      SELECT extract(year FROM exited_on)::int, 0, 1
			      FROM participants WHERE agreement_id = $1 AND enrolled_on IS NOT NULL AND exited_on IS NOT NULL) e
			GROUP BY y)
		SELECT g.y AS year, coalesce(p.enrolled, 0) AS new,
		       ((SELECT coalesce(sum(enrolled), 0) FROM per_year WHERE y <= g.y)
		        - (SELECT coalesce(sum(exited), 0) FROM per_year WHERE y < g.y))::bigint AS active,
		       coalesce(p.exited, 0) AS exited
		FROM generate_series($2::int, $3::int) AS g(y)
		LEFT JOIN per_year p ON p.y = g.y
		ORDER BY g.y`, agreementID, from, to)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.ParticipantYearCounts])
	if err != nil {
		return nil, fmt.Errorf("participant counts of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// Funnel returns the intake funnel of the agreement's referrals in year, as
// partnership.IntakeFunnel defines it, counted in SQL.
func (s *Participants) Funnel(ctx context.Context, agreementID int64, year int) (partnership.IntakeFunnel, error) {
	var f partnership.IntakeFunnel
	rows, _ := s.db.Query(ctx, `SELECT $2::int AS year, count(*) AS referred,
		  count(*) FILTER (WHERE enrolled_on IS NOT NULL
		                      OR decline_reason IN ('participant_after_interview', 'association_after_interview')) AS came,
		  count(*) FILTER (WHERE enrolled_on IS NOT NULL) AS enrolled,
		  count(*) FILTER (WHERE declined_on IS NOT NULL) AS declined,
		  count(*) FILTER (WHERE status = 'enrolled') AS active,
		  count(*) FILTER (WHERE status = 'exited') AS exited
		FROM participants
		WHERE agreement_id = $1 AND referred_on >= make_date($2, 1, 1) AND referred_on < make_date($2 + 1, 1, 1)`,
		agreementID, year)
	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[partnership.IntakeFunnel])
	if err != nil {
		return f, fmt.Errorf("intake funnel of agreement %d in %d: %w", agreementID, year, err)
	}
	return f, nil
}

const consentColumns = `id, participant_id, scope, given_on, withdrawn_on, recorded_by, withdrawn_by, created_at`

type consentRow struct {
	ID            int64
	ParticipantID int64
	Scope         string
	GivenOn       time.Time
	WithdrawnOn   *time.Time
	RecordedBy    *int64
	WithdrawnBy   *int64
	CreatedAt     time.Time
}

func (r consentRow) consent() partnership.Consent {
	return partnership.Consent{ID: r.ID, ParticipantID: r.ParticipantID, Scope: partnership.ConsentScope(r.Scope),
		GivenOn: r.GivenOn, WithdrawnOn: r.WithdrawnOn, RecordedBy: r.RecordedBy, WithdrawnBy: r.WithdrawnBy,
		CreatedAt: r.CreatedAt}
}

// Consents returns the participant's consents, oldest first.
func (s *Participants) Consents(ctx context.Context, participantID int64) ([]partnership.Consent, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+consentColumns+` FROM participant_consents
		WHERE participant_id = $1 ORDER BY given_on, id`, participantID)
	list, err := pgx.CollectRows(rows, rowTo(consentRow.consent))
	if err != nil {
		return nil, fmt.Errorf("consents of participant %d: %w", participantID, err)
	}
	return list, nil
}

// AddConsent records c for its participant.
func (s *Participants) AddConsent(ctx context.Context, c partnership.Consent) (partnership.Consent, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO participant_consents (participant_id, scope, given_on, recorded_by)
		VALUES ($1, $2, $3, $4) RETURNING `+consentColumns, c.ParticipantID, string(c.Scope), c.GivenOn, c.RecordedBy)
	saved, err := pgx.CollectExactlyOneRow(rows, rowTo(consentRow.consent))
	if err != nil {
		return partnership.Consent{}, fmt.Errorf("record consent of participant %d: %w", c.ParticipantID, mapError(err))
	}
	return saved, nil
}

// SaveWithdrawal stores the withdrawal of consent c of its participant, once.
func (s *Participants) SaveWithdrawal(ctx context.Context, c partnership.Consent) (partnership.Consent, error) {
	rows, _ := s.db.Query(ctx, `UPDATE participant_consents SET withdrawn_on = $3, withdrawn_by = $4
		WHERE id = $1 AND participant_id = $2 AND withdrawn_on IS NULL RETURNING `+consentColumns,
		c.ID, c.ParticipantID, c.WithdrawnOn, c.WithdrawnBy)
	saved, err := pgx.CollectExactlyOneRow(rows, rowTo(consentRow.consent))
	if err != nil {
		return partnership.Consent{}, fmt.Errorf("withdraw consent %d of participant %d: %w", c.ID, c.ParticipantID, mapError(err))
	}
	return saved, nil
}

// IdentityReadAction is the audit action of a read of a participant's identity.
const IdentityReadAction = "participant.identity.read"

// IdentityReads returns the recorded reads of the participant's identity,
// newest first, at most limit, with the reader's name.
func (s *Participants) IdentityReads(ctx context.Context, participantID int64, limit int) ([]partnership.IdentityRead, error) {
	rows, _ := s.db.Query(ctx, `SELECT e.occurred_at AS at, e.actor_id AS user_id, coalesce(u.name, '') AS user_name,
		       coalesce(host(e.client_ip), '') AS client_ip, coalesce(e.details->>'via', '') AS via
		FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.entity = 'participant' AND e.entity_id = $1 AND e.action = $2
		ORDER BY e.occurred_at DESC, e.id DESC LIMIT $3`, fmt.Sprint(participantID), IdentityReadAction, limit)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.IdentityRead])
	if err != nil {
		return nil, fmt.Errorf("identity reads of participant %d: %w", participantID, err)
	}
	return list, nil
}
