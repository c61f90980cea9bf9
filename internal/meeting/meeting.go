// Package meeting holds the use cases of the meetings of an agreement's
// parties: dialogue meetings, steering-group meetings and follow-up
// meetings, with their agenda, minutes, numbered decisions and action
// items. Each use case takes the acting partnership.Actor as a value,
// decides with it what the actor may do, and writes the change and its
// audit event in one transaction.
package meeting

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Service records and reads meetings on the database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the meeting service on db; now is the clock that
// decides which meetings have been held.
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// MayManage reports whether a role may create, change and delete meetings
// and record their decisions and action items: the municipality's
// administrators and officers, who call the meetings.
func MayManage(role partnership.Role) bool {
	return role == partnership.RoleAdmin || role == partnership.RoleOfficer
}

// MayAddAgendaPoint reports whether a role may add points to a meeting's
// agenda: those who manage meetings, and association staff of a party.
func MayAddAgendaPoint(role partnership.Role) bool {
	return MayManage(role) || role == partnership.RoleAssociationStaff
}

// Create stores in as a new meeting of the agreement, with its attendees;
// in's ID and AgreementID are ignored. It returns partnership.ErrForbidden
// for a role that may not manage meetings, partnership.ErrNotFound for an
// agreement the actor may not see and a partnership.ValidationError for
// invalid input.
func (s *Service) Create(ctx context.Context, actor partnership.Actor, agreementID int64, in partnership.Meeting) (partnership.Meeting, error) {
	if err := mayManage(actor); err != nil {
		return partnership.Meeting{}, err
	}
	in = in.Normalize()
	in.ID, in.AgreementID = 0, agreementID
	var saved partnership.Meeting
	err := s.inAgreement(ctx, actor, agreementID, func(tx pgx.Tx, a partnership.Agreement) error {
		if err := in.Validate(a.Parties); err != nil {
			return err
		}
		var err error
		if saved, err = postgres.NewMeetings(tx).Create(ctx, in, actor.ActorID()); err != nil {
			return err
		}
		return record(ctx, tx, actor, "meeting.create", saved, nil)
	})
	return saved, err
}

// Update saves in over the agreement's meeting in.ID, provided it is still
// at in.Version; the attendees are replaced by in's. Besides Create's
// errors it returns partnership.ErrNotFound for a meeting not of the
// agreement and one wrapping partnership.ErrConflict when someone changed
// it meanwhile.
func (s *Service) Update(ctx context.Context, actor partnership.Actor, agreementID int64, in partnership.Meeting) (partnership.Meeting, error) {
	if err := mayManage(actor); err != nil {
		return partnership.Meeting{}, err
	}
	in = in.Normalize()
	in.AgreementID = agreementID
	var saved partnership.Meeting
	err := s.inAgreement(ctx, actor, agreementID, func(tx pgx.Tx, a partnership.Agreement) error {
		if err := in.Validate(a.Parties); err != nil {
			return err
		}
		var err error
		if saved, err = postgres.NewMeetings(tx).Update(ctx, in); err != nil {
			return err
		}
		return record(ctx, tx, actor, "meeting.update", saved, nil)
	})
	return saved, err
}

// Delete removes the agreement's meeting id with everything recorded at
// it and returns what it was.
func (s *Service) Delete(ctx context.Context, actor partnership.Actor, agreementID, id int64) (partnership.Meeting, error) {
	if err := mayManage(actor); err != nil {
		return partnership.Meeting{}, err
	}
	var deleted partnership.Meeting
	err := s.inAgreement(ctx, actor, agreementID, func(tx pgx.Tx, _ partnership.Agreement) error {
		var err error
		if deleted, err = postgres.NewMeetings(tx).Delete(ctx, agreementID, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, "meeting.delete", deleted, nil)
	})
	return deleted, err
}

// inAgreement runs change in a transaction on the agreement, provided the
// actor may see it.
func (s *Service) inAgreement(ctx context.Context, actor partnership.Actor, agreementID int64,
	change func(tx pgx.Tx, a partnership.Agreement) error) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		a, err := visibleAgreement(ctx, tx, actor, agreementID)
		if err != nil {
			return err
		}
		return change(tx, a)
	})
}

// visibleAgreement reads the agreement for the actor: not found when the
// actor may not see it, so that association staff cannot tell another
// organisation's agreements from missing ones.
func visibleAgreement(ctx context.Context, db postgres.DBTX, actor partnership.Actor, agreementID int64) (partnership.Agreement, error) {
	u := partnership.User{ID: actor.UserID, Role: actor.Role, OrganisationID: actor.OrganisationID}
	if err := postgres.AgreementVisible(ctx, db, agreementID, u); err != nil {
		return partnership.Agreement{}, fmt.Errorf("meetings of agreement %d: %w", agreementID, err)
	}
	return postgres.NewAgreements(db).ByID(ctx, agreementID)
}

// record writes the audit event of action on the meeting, on the
// agreement so that it shows in its history. Ids, kinds and dates only:
// minutes, agenda and decision texts stay out of the audit log.
func record(ctx context.Context, tx pgx.Tx, actor partnership.Actor, action string, m partnership.Meeting, extra map[string]any) error {
	details := map[string]any{
		"meeting_id": m.ID, "meeting_kind": string(m.Kind), "held_on": m.HeldOn.Format(time.DateOnly),
	}
	for k, v := range extra {
		details[k] = v
	}
	return postgres.NewAudit(tx).Record(ctx, actor.Event(action, "agreement", strconv.FormatInt(m.AgreementID, 10), details))
}

// today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) today() time.Time {
	return partnership.Today(s.now())
}

func mayManage(actor partnership.Actor) error {
	if !MayManage(actor.Role) {
		return fmt.Errorf("role %q managing meetings: %w", actor.Role, partnership.ErrForbidden)
	}
	return nil
}
