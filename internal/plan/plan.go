// Package plan holds the use cases of participants' individual development
// plans (IUP goals, followed up on a date) and of their assessments on the
// agreement's step model (GA-modellen by default). Each takes the acting
// partnership.Actor as a value, decides with partnership's rules what the
// actor may do, and writes the change and its audit event in one
// transaction.
//
// Goal texts and outcome notes are free text about a person: they are
// returned only to those partnership.MaySeeIdentity allows, and never go
// into an audit detail, which holds only ids, dates and counts. Ratings are
// statistics: whoever may see the pseudonymous participant may read them.
package plan

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Service runs the plan and assessment use cases on the database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the plan service on db; now decides "today".
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// Today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) Today() time.Time {
	return partnership.Today(s.now())
}

// access is a participant as the actor reaches it.
type access struct {
	participant partnership.Participant
	identity    bool // may see identity and free text
	manage      bool // may record goals and assessments
}

// reach reads the participant for the actor: one the actor may not see is
// partnership.ErrNotFound, so nobody can tell another association's
// participant from one that does not exist.
func reach(ctx context.Context, tx pgx.Tx, actor partnership.Actor, participantID int64) (access, error) {
	p, parties, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, false)
	if err != nil {
		return access{}, err
	}
	return access{participant: p, identity: partnership.MaySeeIdentity(actor, p, parties),
		manage: partnership.MayManageParticipants(actor, parties)}, nil
}

// managed reaches the participant for a change: only the association staff
// of a party record goals and assessments; others who may see the
// participant get partnership.ErrForbidden.
func managed(ctx context.Context, tx pgx.Tx, actor partnership.Actor, participantID int64, action string) (access, error) {
	a, err := reach(ctx, tx, actor, participantID)
	if err != nil {
		return a, err
	}
	if !a.manage {
		return a, fmt.Errorf("%s for participant %d by role %q: %w", action, participantID, actor.Role, partnership.ErrForbidden)
	}
	return a, nil
}

// record writes the audit event; details hold only ids, dates and counts.
func record(ctx context.Context, tx pgx.Tx, actor partnership.Actor, action, entity string, id int64, p partnership.Participant, details map[string]any) error {
	details["participant_id"] = p.ID
	details["agreement_id"] = p.AgreementID
	details["via"] = actor.Via
	return postgres.NewAudit(tx).Record(ctx, actor.Event(action, entity, strconv.FormatInt(id, 10), details))
}

// AddGoal adds a goal, in progress, to the participant's IUP.
func (s *Service) AddGoal(ctx context.Context, actor partnership.Actor, participantID int64, g partnership.Goal) (partnership.Goal, error) {
	g.ParticipantID, g.Status, g.OutcomeOn, g.OutcomeNote = participantID, partnership.GoalInProgress, nil, ""
	if err := g.Validate(); err != nil {
		return g, err
	}
	var saved partnership.Goal
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		a, err := managed(ctx, tx, actor, participantID, "plan.goal.create")
		if err != nil {
			return err
		}
		if saved, err = postgres.NewPlans(tx).AddGoal(ctx, g, actor.ActorID()); err != nil {
			return err
		}
		return record(ctx, tx, actor, "plan.goal.create", "plan_goal", saved.ID, a.participant, map[string]any{
			"term": string(saved.Term), "follow_up_on": saved.FollowUpOn.Format(time.DateOnly),
		})
	})
	return saved, err
}

// RecordGoalOutcome records the outcome of the participant's goal at its
// follow-up (see partnership.Goal.RecordOutcome); access as for AddGoal.
func (s *Service) RecordGoalOutcome(ctx context.Context, actor partnership.Actor, participantID, goalID int64,
	on time.Time, status partnership.GoalStatus, note string) (partnership.Goal, error) {
	var g partnership.Goal
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		a, err := managed(ctx, tx, actor, participantID, "plan.goal.outcome")
		if err != nil {
			return err
		}
		store := postgres.NewPlans(tx)
		if g, err = store.GoalForUpdate(ctx, goalID); err != nil {
			return err
		}
		if g.ParticipantID != participantID {
			return fmt.Errorf("goal %d of participant %d: %w", goalID, participantID, partnership.ErrNotFound)
		}
		if err := g.RecordOutcome(on, status, note, s.Today()); err != nil {
			return err
		}
		if err := store.SaveOutcome(ctx, g); err != nil {
			return err
		}
		return record(ctx, tx, actor, "plan.goal.outcome", "plan_goal", g.ID, a.participant, map[string]any{
			"status": string(g.Status), "outcome_on": on.Format(time.DateOnly), "has_note": g.OutcomeNote != "",
		})
	})
	return g, err
}

// Goals is a participant's IUP as the actor may see it: the goals with
// their texts for those who may see the participant's identity, and
// otherwise only the count per status (Goals nil).
type Goals struct {
	Goals  []partnership.Goal
	Counts map[partnership.GoalStatus]int
	Texts  bool
}

// Goals returns the participant's goals for the actor.
func (s *Service) Goals(ctx context.Context, actor partnership.Actor, participantID int64) (Goals, error) {
	out := Goals{Counts: map[partnership.GoalStatus]int{}}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		a, err := reach(ctx, tx, actor, participantID)
		if err != nil {
			return err
		}
		store := postgres.NewPlans(tx)
		counts, err := store.GoalCounts(ctx, participantID)
		if err != nil {
			return err
		}
		for _, c := range counts {
			out.Counts[c.Status] = c.Count
		}
		if !a.identity {
			return nil
		}
		out.Texts = true
		out.Goals, err = store.Goals(ctx, participantID)
		return err
	})
	return out, err
}

// OverdueGoals lists the agreement's goals whose follow-up date has passed
// without an outcome, for the association staff of a party (others:
// partnership.ErrNotFound, since the list holds goal texts).
func (s *Service) OverdueGoals(ctx context.Context, actor partnership.Actor, agreementID int64) ([]postgres.OverdueGoal, error) {
	var out []postgres.OverdueGoal
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		ag, err := postgres.NewAgreements(tx).ByID(ctx, agreementID)
		if err != nil {
			return err
		}
		if !partnership.MayManageParticipants(actor, ag.PartyOrganisations()) {
			return fmt.Errorf("overdue goals of agreement %d: %w", agreementID, partnership.ErrNotFound)
		}
		out, err = postgres.NewPlans(tx).OverdueGoals(ctx, agreementID, s.Today())
		return err
	})
	return out, err
}
