package postgres

import (
	"context"
	"fmt"
	"time"

	"iop/internal/partnership"
)

// Retention stores the retention policy and erases what it says has
// expired. It decides nothing about who may do so; the retention service
// does.
type Retention struct{ db DBTX }

// NewRetention returns a retention store on db (a pool or a transaction).
func NewRetention(db DBTX) *Retention { return &Retention{db: db} }

// RetentionLockKey is the advisory lock key of a purge: one runs at a time,
// across app instances and the command line.
const RetentionLockKey int64 = 0x494f50_4741 // "IOP" "GA"

// Policy returns the stored retention policy.
func (s *Retention) Policy(ctx context.Context) (partnership.RetentionPolicy, error) {
	var p partnership.RetentionPolicy
	err := s.db.QueryRow(ctx, `SELECT identity_months, notes_months, assessment_months, updated_by, updated_at
		FROM retention_settings WHERE id = 1`).Scan(&p.IdentityMonths, &p.NotesMonths, &p.AssessmentMonths, &p.UpdatedBy, &p.UpdatedAt)
	if err != nil {
		return p, fmt.Errorf("retention policy: %w", mapError(err))
	}
	return p, nil
}

// SavePolicy stores the retention policy, set by the user by.
func (s *Retention) SavePolicy(ctx context.Context, p partnership.RetentionPolicy, by *int64) error {
	_, err := s.db.Exec(ctx, `INSERT INTO retention_settings (id, identity_months, notes_months, assessment_months, updated_by, updated_at)
		VALUES (1, $1, $2, $3, $4, now())
		ON CONFLICT (id) DO UPDATE SET identity_months = EXCLUDED.identity_months, notes_months = EXCLUDED.notes_months,
			assessment_months = EXCLUDED.assessment_months, updated_by = EXCLUDED.updated_by, updated_at = now()`,
		p.IdentityMonths, p.NotesMonths, p.AssessmentMonths, by)
	if err != nil {
		return fmt.Errorf("save retention policy: %w", err)
	}
	return nil
}

// expiredParticipants selects the ids of the participants whose data kept
// for $2 months after the retention anchor has expired on $1 (a date).
// The anchor is the decline date for a declined participant; after an
// exit, the last follow-up's due date, or, with no follow-ups stored (exits
// before follow-ups existed), the exit plus the agreement's last scheduled
// follow-up month ($3 when the agreement has no schedule of its own).
// Referred and enrolled participants have no anchor: nothing of theirs
// expires while they take part.
const expiredParticipants = `SELECT a.id FROM (
	SELECT p.id, CASE
		WHEN p.declined_on IS NOT NULL THEN p.declined_on
		WHEN p.exited_on IS NOT NULL THEN COALESCE(
			(SELECT max(f.due_on) FROM followups f WHERE f.participant_id = p.id),
			(p.exited_on + make_interval(months => COALESCE(
				(SELECT max(m) FROM followup_schedules fs, unnest(fs.months) m WHERE fs.agreement_id = p.agreement_id),
				$3::int)))::date)
		END AS anchor
	FROM participants p) a
	WHERE a.anchor IS NOT NULL AND (a.anchor + make_interval(months => $2::int))::date <= $1::date`

// Purge erases, as of today, what policy says has expired, and returns
// the counts per kind: sealed identities and blind indexes (the consents
// still in force end that day, marked as ended by the purge), decline
// notes, goal texts and outcome notes, follow-up notes, and assessments
// with their ratings. The participant rows and their statistical fields,
// dates, exit destinations and follow-up outcomes stay. What is already
// erased is not counted again, so a second purge returns zero counts.
func (s *Retention) Purge(ctx context.Context, today time.Time, policy partnership.RetentionPolicy) (partnership.PurgeCounts, error) {
	var c partnership.PurgeCounts
	lastDefault := 0
	for _, m := range partnership.DefaultFollowUpMonths {
		lastDefault = max(lastDefault, m)
	}
	steps := []struct {
		what   string
		months int
		sql    string
		n      *int
	}{
		{"consents", policy.IdentityMonths, `UPDATE participant_consents SET withdrawn_on = GREATEST(given_on, $1::date),
			ended_by_purge = true
			WHERE withdrawn_on IS NULL AND participant_id IN (` + expiredParticipants + `)
			AND participant_id IN (SELECT id FROM participants WHERE identity_ciphertext IS NOT NULL)`, &c.Consents},
		{"identities", policy.IdentityMonths, `UPDATE participants SET identity_key_id = NULL, identity_ciphertext = NULL,
			pnr_index = NULL, identity_purged_on = $1::date, updated_at = now()
			WHERE identity_ciphertext IS NOT NULL AND id IN (` + expiredParticipants + `)`, &c.Identities},
		{"decline notes", policy.NotesMonths, `UPDATE participants SET decline_note = '', updated_at = now()
			WHERE decline_note <> '' AND id IN (` + expiredParticipants + `)`, &c.DeclineNotes},
		{"goal notes", policy.NotesMonths, `UPDATE plan_goals SET text = '` + partnership.PurgedGoalText + `', outcome_note = ''
			WHERE (text <> '` + partnership.PurgedGoalText + `' OR outcome_note <> '')
			AND participant_id IN (` + expiredParticipants + `)`, &c.GoalNotes},
		{"follow-up notes", policy.NotesMonths, `UPDATE followups SET note = ''
			WHERE note <> '' AND participant_id IN (` + expiredParticipants + `)`, &c.FollowUpNotes},
		{"assessments", policy.AssessmentMonths, `DELETE FROM assessments WHERE participant_id IN (` + expiredParticipants + `)`,
			&c.Assessments},
	}
	for _, st := range steps {
		tag, err := s.db.Exec(ctx, st.sql, today, st.months, lastDefault)
		if err != nil {
			return partnership.PurgeCounts{}, fmt.Errorf("purge %s: %w", st.what, err)
		}
		*st.n = int(tag.RowsAffected())
	}
	return c, nil
}
