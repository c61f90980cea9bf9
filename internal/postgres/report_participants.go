package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The annual report's figures about people: participants, the intake,
// exits, ESF+ indicators, follow-ups and step progression.

// ReportParticipantRow counts an agreement's participants of one gender
// and age band in the year, as partnership.ParticipantYearCounts defines
// new, active and exited. Age is the year minus the birth year (the
// register holds birth years only), banded by report.AgeBandSQL.
type ReportParticipantRow struct {
	AgreementID int64
	Gender      string
	Band        string
	New         int64
	Active      int64
	Exited      int64
}

// AgeBandSQL bands the age a participant turns in year $2 (the register
// holds birth years only): "u30" (under 30), "30_54", "o54" (55 and
// older). The product had no age bands before the annual report; these
// are the ESF+ indicators' bands, so that the participant tables and the
// indicators agree.
const AgeBandSQL = `CASE WHEN $2::int - p.birth_year < 30 THEN 'u30'
	WHEN $2::int - p.birth_year > 54 THEN 'o54' ELSE '30_54' END`

// ReportParticipants returns the year's participants per agreement,
// gender and age band.
func (s *Reports) ReportParticipants(ctx context.Context, ids []int64, year int) ([]ReportParticipantRow, error) {
	return reportRows[ReportParticipantRow](ctx, s.db, "participants", year, `
		SELECT p.agreement_id, p.gender, `+AgeBandSQL+` AS band,
		       count(*) FILTER (WHERE p.enrolled_on >= `+reportY0+`) AS new,
		       count(*) AS active,
		       count(*) FILTER (WHERE p.exited_on >= `+reportY0+` AND p.exited_on < `+reportY1+`) AS exited
		FROM participants p
		WHERE p.agreement_id = ANY($1) AND p.enrolled_on < `+reportY1+`
		  AND (p.exited_on IS NULL OR p.exited_on >= `+reportY0+`)
		GROUP BY 1, 2, 3`, ids, year)
}

// ReportFunnelRow is the intake of an agreement's referrals of the year,
// as Participants.Funnel counts it, with the declines by reason.
type ReportFunnelRow struct {
	AgreementID int64
	Referred    int64
	Came        int64
	Enrolled    int64
	Pending     int64 // neither enrolled nor declined
	Declined    map[string]int64
}

type reportFunnelSQLRow struct {
	AgreementID int64
	Referred    int64
	Came        int64
	Enrolled    int64
	Pending     int64
	Reason      *string
	Declined    int64
}

// ReportFunnel returns the intake funnel per agreement (agreements with
// no referrals in the year are left out).
func (s *Reports) ReportFunnel(ctx context.Context, ids []int64, year int) ([]ReportFunnelRow, error) {
	rows, _ := s.db.Query(ctx, `
		WITH r AS (
			SELECT * FROM participants
			WHERE agreement_id = ANY($1) AND referred_on >= `+reportY0+` AND referred_on < `+reportY1+`),
		totals AS (
			SELECT agreement_id, count(*) AS referred,
			       count(*) FILTER (WHERE enrolled_on IS NOT NULL
			             OR decline_reason IN ('participant_after_interview', 'association_after_interview')) AS came,
			       count(*) FILTER (WHERE enrolled_on IS NOT NULL) AS enrolled,
			       count(*) FILTER (WHERE enrolled_on IS NULL AND declined_on IS NULL) AS pending
			FROM r GROUP BY agreement_id),
		reasons AS (
			SELECT agreement_id, decline_reason AS reason, count(*) AS declined
			FROM r WHERE declined_on IS NOT NULL GROUP BY 1, 2)
		SELECT t.agreement_id, t.referred, t.came, t.enrolled, t.pending, x.reason, coalesce(x.declined, 0) AS declined
		FROM totals t LEFT JOIN reasons x ON x.agreement_id = t.agreement_id
		ORDER BY t.agreement_id`, ids, year)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[reportFunnelSQLRow])
	if err != nil {
		return nil, fmt.Errorf("report funnel of %d: %w", year, err)
	}
	var out []ReportFunnelRow
	for _, r := range list {
		if len(out) == 0 || out[len(out)-1].AgreementID != r.AgreementID {
			out = append(out, ReportFunnelRow{AgreementID: r.AgreementID, Referred: r.Referred, Came: r.Came,
				Enrolled: r.Enrolled, Pending: r.Pending, Declined: map[string]int64{}})
		}
		if r.Reason != nil {
			out[len(out)-1].Declined[*r.Reason] = r.Declined
		}
	}
	return out, nil
}

// ReportGroupRow is a count of people of an agreement in a group (Key) by
// a second key (Sub), e.g. exits by destination and gender.
type ReportGroupRow struct {
	AgreementID int64
	Key         string
	Sub         string
	N           int64
}

func (s *Reports) groups(ctx context.Context, what, sql string, ids []int64, year int) ([]ReportGroupRow, error) {
	return reportRows[ReportGroupRow](ctx, s.db, what, year, sql, ids, year)
}

// ReportExits counts the participants who exited in the year per
// agreement, destination (Key) and gender (Sub).
func (s *Reports) ReportExits(ctx context.Context, ids []int64, year int) ([]ReportGroupRow, error) {
	return s.groups(ctx, "exits", `
		SELECT agreement_id, exit_destination AS key, gender AS sub, count(*) AS n
		FROM participants
		WHERE agreement_id = ANY($1) AND exited_on >= `+reportY0+` AND exited_on < `+reportY1+`
		GROUP BY 1, 2, 3`, ids, year)
}

// ReportIndicators counts the participants who entered (were enrolled) in
// the year per agreement by the ESF+ common output indicators: Key is the
// field ("gender", "age", "labour", "education") and Sub its value; for
// "age" the values are "u30", "30_54" and "o54".
func (s *Reports) ReportIndicators(ctx context.Context, ids []int64, year int) ([]ReportGroupRow, error) {
	return s.groups(ctx, "indicators", `
		WITH e AS (
			SELECT p.agreement_id, p.gender, p.labour_status, p.education, `+AgeBandSQL+` AS age
			FROM participants p
			WHERE p.agreement_id = ANY($1) AND p.enrolled_on >= `+reportY0+` AND p.enrolled_on < `+reportY1+`)
		SELECT agreement_id, 'gender' AS key, gender AS sub, count(*) AS n FROM e GROUP BY 1, 3
		UNION ALL SELECT agreement_id, 'age', age, count(*) FROM e GROUP BY 1, 3
		UNION ALL SELECT agreement_id, 'labour', labour_status, count(*) FROM e GROUP BY 1, 3
		UNION ALL SELECT agreement_id, 'education', education, count(*) FROM e GROUP BY 1, 3`, ids, year)
}

// ReportFollowUps counts the follow-ups due in the year per agreement,
// months (Key, as text) and outcome (Sub): the destination found, or
// "open" when not recorded; and, with Key "self:<months>", Sub the
// self-supporting answer of the recorded ones.
func (s *Reports) ReportFollowUps(ctx context.Context, ids []int64, year int) ([]ReportGroupRow, error) {
	return s.groups(ctx, "follow-ups", `
		WITH f AS (
			SELECT agreement_id, months, destination, self_supporting FROM followups
			WHERE agreement_id = ANY($1) AND due_on >= `+reportY0+` AND due_on < `+reportY1+`)
		SELECT agreement_id, months::text AS key, coalesce(destination, 'open') AS sub, count(*) AS n FROM f GROUP BY 1, 2, 3
		UNION ALL
		SELECT agreement_id, 'self:' || months, self_supporting, count(*) FROM f
		WHERE self_supporting IS NOT NULL GROUP BY 1, 2, 3`, ids, year)
}

// ReportStepRow is one dimension of an agreement's step model in the
// year: the participants assessed in the year on it, and how many of them
// moved at least one step up between their first and their latest
// assessment up to the year's end (as Plans.ShareMoved, per dimension).
type ReportStepRow struct {
	AgreementID int64
	DimensionID int64
	Name        string
	Assessed    int64
	Moved       int64
}

// reportStepChanges is, as CTE "change", each participant's change of
// rating per dimension from their first to their last assessment up to
// the end of year $2, for the participants of agreements $1 assessed in
// that year.
const reportStepChanges = `WITH rated AS (
			SELECT p.agreement_id, a.participant_id, r.dimension_id, r.rating,
				row_number() OVER (PARTITION BY a.participant_id, r.dimension_id ORDER BY a.assessed_on, a.id) AS first_rank,
				row_number() OVER (PARTITION BY a.participant_id, r.dimension_id ORDER BY a.assessed_on DESC, a.id DESC) AS last_rank
			FROM assessments a
			JOIN participants p ON p.id = a.participant_id
			JOIN assessment_ratings r ON r.assessment_id = a.id
			WHERE p.agreement_id = ANY($1) AND a.assessed_on < ` + reportY1 + `
				AND a.participant_id IN (SELECT participant_id FROM assessments
					WHERE assessed_on >= ` + reportY0 + ` AND assessed_on < ` + reportY1 + `)
		), change AS (
			SELECT agreement_id, participant_id, dimension_id,
				max(rating) FILTER (WHERE last_rank = 1) - max(rating) FILTER (WHERE first_rank = 1) AS steps
			FROM rated GROUP BY agreement_id, participant_id, dimension_id
		)`

// ReportSteps returns the step progression per agreement and dimension,
// in the model's order; dimensions nobody was rated on are left out.
func (s *Reports) ReportSteps(ctx context.Context, ids []int64, year int) ([]ReportStepRow, error) {
	return reportRows[ReportStepRow](ctx, s.db, "steps", year, `
		`+reportStepChanges+`
		SELECT c.agreement_id, c.dimension_id, d.name, count(*) AS assessed, count(*) FILTER (WHERE c.steps >= 1) AS moved
		FROM change c JOIN step_dimensions d ON d.id = c.dimension_id
		GROUP BY c.agreement_id, c.dimension_id, d.name, d.position
		ORDER BY c.agreement_id, d.position, c.dimension_id`, ids, year)
}

// ReportStepsAny counts, per agreement, the participants assessed in the
// year who moved at least one step on at least one dimension: Plans.ShareMoved
// of every agreement in one query (a participant belongs to one agreement).
func (s *Reports) ReportStepsAny(ctx context.Context, ids []int64, year int) (map[int64][2]int64, error) {
	rows, _ := s.db.Query(ctx, `
		`+reportStepChanges+`
		SELECT agreement_id, count(DISTINCT participant_id)::bigint,
		       (count(DISTINCT participant_id) FILTER (WHERE steps >= 1))::bigint
		FROM change GROUP BY agreement_id`, ids, year)
	out := map[int64][2]int64{}
	var id, assessed, moved int64
	_, err := pgx.ForEachRow(rows, []any{&id, &assessed, &moved}, func() error {
		if assessed > 0 {
			out[id] = [2]int64{assessed, moved}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report share moved of %d: %w", year, err)
	}
	return out, nil
}
