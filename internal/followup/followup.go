// Package followup holds the use cases of the follow-ups after a
// participant's exit (seed 004: six and twelve months after, to see what
// the participant does and whether they support themselves): the schedule
// per agreement, the follow-ups created with the exit, the recording of
// their outcome, the overdue list and the share self-supporting.
//
// Each use case takes the acting partnership.Actor by value, decides with
// partnership's rules what the actor may do and writes the change and its
// audit event in one transaction. A follow-up's note is free text about
// the participant: it is returned only to those partnership.MaySeeIdentity
// allows and never goes into an audit detail.
package followup

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Service runs the follow-up use cases on the database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the follow-up service on db; now is the clock that
// decides what is overdue.
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// Today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) Today() time.Time {
	return partnership.Today(s.now())
}

// AfterExitChange keeps the participant's follow-ups in step with its
// exit, inside the transaction tx that changed the exit: the open ones are
// recreated from the agreement's schedule and the exit date (none when the
// exit was undone); recorded ones stay. The participant service calls it
// whenever exited_on changes, so the follow-ups exist exactly when the exit
// is committed. The audit event names the months created, nothing more.
func AfterExitChange(ctx context.Context, tx pgx.Tx, actor partnership.Actor, p partnership.Participant) error {
	created, err := postgres.NewFollowUps(tx).Reschedule(ctx, p)
	if err != nil {
		return err
	}
	if created == nil {
		created = []int{}
	}
	return postgres.NewAudit(tx).Record(ctx, actor.Event("followup.schedule", "participant", strconv.FormatInt(p.ID, 10),
		map[string]any{"agreement_id": p.AgreementID, "code": p.Code, "months": created, "exited": p.ExitedOn != nil, "via": actor.Via}))
}

// Schedule returns the agreement's follow-up months to whoever may see the
// agreement.
func (s *Service) Schedule(ctx context.Context, actor partnership.Actor, agreementID int64) ([]int, error) {
	var months []int
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		months, err = postgres.NewFollowUps(tx).Schedule(ctx, agreementID)
		return err
	})
	return months, err
}

// ConfigureSchedule sets the months after the exit at which the
// agreement's follow-ups are due. Officers and admins only; it applies to
// exits recorded from now on, the follow-ups already created keep their
// dates.
func (s *Service) ConfigureSchedule(ctx context.Context, actor partnership.Actor, agreementID int64, months []int) error {
	if actor.Role != partnership.RoleOfficer && actor.Role != partnership.RoleAdmin {
		return fmt.Errorf("role %q configuring follow-ups: %w", actor.Role, partnership.ErrForbidden)
	}
	if err := partnership.ValidateFollowUpMonths(months); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewAgreements(tx).ByID(ctx, agreementID); err != nil {
			return err
		}
		store := postgres.NewFollowUps(tx)
		before, err := store.Schedule(ctx, agreementID)
		if err != nil {
			return err
		}
		if err := store.SetSchedule(ctx, agreementID, months); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("followup_schedule.update", "agreement",
			strconv.FormatInt(agreementID, 10), map[string]any{"before": before, "after": months, "via": actor.Via}))
	})
}

// ForParticipant lists the participant's follow-ups to whoever may see the
// participant; the notes only to those who may see the identity.
func (s *Service) ForParticipant(ctx context.Context, actor partnership.Actor, participantID int64) ([]partnership.FollowUp, error) {
	var list []partnership.FollowUp
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, parties, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, false)
		if err != nil {
			return err
		}
		if list, err = postgres.NewFollowUps(tx).ForParticipant(ctx, participantID); err != nil {
			return err
		}
		if !partnership.MaySeeIdentity(actor, p, parties) {
			for i := range list {
				list[i].Note = ""
			}
		}
		return nil
	})
	return list, err
}

// Record stores the outcome of the participant's follow-up (recorded
// again, it is corrected). Only the association staff of a party may;
// others who may see the participant get partnership.ErrForbidden, the
// rest partnership.ErrNotFound, as does a follow-up of another
// participant.
func (s *Service) Record(ctx context.Context, actor partnership.Actor, participantID, followUpID int64, o partnership.FollowUpOutcome) (partnership.FollowUp, error) {
	var saved partnership.FollowUp
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, parties, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, true)
		if err != nil {
			return err
		}
		store := postgres.NewFollowUps(tx)
		f, err := store.ByID(ctx, followUpID, true)
		if err != nil {
			return err
		}
		if f.ParticipantID != p.ID {
			return fmt.Errorf("follow-up %d of participant %d: %w", followUpID, participantID, partnership.ErrNotFound)
		}
		if !partnership.MayManageParticipants(actor, parties) {
			return fmt.Errorf("record follow-up %d by role %q: %w", followUpID, actor.Role, partnership.ErrForbidden)
		}
		if p.ExitedOn == nil {
			return partnership.ValidationError{"done_on": partnership.MsgFollowUpDoneOn}
		}
		if err := o.Validate(*p.ExitedOn, s.Today()); err != nil {
			return err
		}
		action := "followup.record"
		if f.Recorded() {
			action = "followup.correct"
		}
		if saved, err = store.Record(ctx, f.ID, o, actor.ActorID()); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event(action, "followup", strconv.FormatInt(f.ID, 10), map[string]any{
			"agreement_id": p.AgreementID, "participant_id": p.ID, "code": p.Code, "months": f.Months,
			"destination": string(o.Destination), "self_supporting": string(o.SelfSupporting),
			"note_given": o.Note != "", "via": actor.Via,
		}))
	})
	return saved, err
}

// Overdue lists the agreement's follow-ups due before today and not
// recorded, to whoever may see the agreement (pseudonymous: codes only).
func (s *Service) Overdue(ctx context.Context, actor partnership.Actor, agreementID int64) ([]partnership.OverdueFollowUp, error) {
	var list []partnership.OverdueFollowUp
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		list, err = postgres.NewFollowUps(tx).Overdue(ctx, agreementID, s.Today())
		return err
	})
	return list, err
}

// CountOverdue counts the overdue follow-ups per agreement the actor may
// see, for a start page.
func (s *Service) CountOverdue(ctx context.Context, actor partnership.Actor) (map[int64]int, error) {
	if !actor.Role.Valid() || actor.Role == partnership.RoleCoordinator {
		return map[int64]int{}, nil
	}
	var scope *int64
	if actor.Role == partnership.RoleAssociationStaff {
		zero := int64(0)
		scope = &zero
		if actor.OrganisationID != nil {
			scope = actor.OrganisationID
		}
	}
	return postgres.NewFollowUps(s.db.Pool).CountOverdue(ctx, scope, s.Today())
}

// SelfSupportingShare returns, per exit year and follow-up month, the
// share of the agreement's recorded follow-ups that found the participant
// self-supporting: statistics, so every role that may see the agreement
// may see them.
func (s *Service) SelfSupportingShare(ctx context.Context, actor partnership.Actor, agreementID int64) ([]partnership.SelfSupportingShare, error) {
	var list []partnership.SelfSupportingShare
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		list, err = postgres.NewFollowUps(tx).SelfSupportingShares(ctx, agreementID)
		return err
	})
	return list, err
}

// readAgreement runs read on an agreement the actor may see: every
// signed-in role, association staff only their organisation's.
func (s *Service) readAgreement(ctx context.Context, actor partnership.Actor, agreementID int64, read func(tx pgx.Tx) error) error {
	if !actor.Role.Valid() {
		return fmt.Errorf("follow-ups of agreement %d without a role: %w", agreementID, partnership.ErrForbidden)
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		u := partnership.User{ID: actor.UserID, Role: actor.Role, OrganisationID: actor.OrganisationID}
		if err := postgres.AgreementVisible(ctx, tx, agreementID, u); err != nil {
			return fmt.Errorf("follow-ups of agreement %d: %w", agreementID, err)
		}
		return read(tx)
	})
}
