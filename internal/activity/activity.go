// Package activity holds the use cases that change an agreement's logged
// activities: log, update and delete. Each takes the acting
// partnership.Actor as a value, decides with it what the actor may do,
// checks partnership's rules, and writes the change and its audit event in
// one transaction. Handlers parse, call and render; they hold no
// transaction.
package activity

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Service changes activities on the database. The stores are used
// directly, built on each use case's transaction, as indexation does: the
// tests run them on real PostgreSQL, so an interface would only add a
// factory per store.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the activity service on db; now is the clock that
// decides which dates lie in the future.
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// MayLog reports whether a role may log, change and delete activities:
// administrators and officers on every agreement, association staff on
// their organisation's agreements.
func MayLog(role partnership.Role) bool {
	return role == partnership.RoleAdmin || role == partnership.RoleOfficer || role == partnership.RoleAssociationStaff
}

// Log stores in as a new activity of the agreement, logged by the actor
// and, for association staff, on behalf of their organisation; in's ID,
// AgreementID, CreatedBy and OrganisationID are ignored. When in names
// participants (ParticipantIDs), its gender counts are computed from them
// (partnership.Activity.NameAttendees) and the names are stored with it. It returns the
// stored activity, or partnership.ErrForbidden for a role that may not
// log, partnership.ErrNotFound for an agreement the actor may not see, and
// a partnership.ValidationError for invalid input, a type that is not one
// of the agreement's active types, or a date in a locked year.
func (s *Service) Log(ctx context.Context, actor partnership.Actor, agreementID int64, in partnership.Activity) (partnership.Activity, error) {
	if err := mayLog(actor); err != nil {
		return partnership.Activity{}, err
	}
	in = in.Normalize()
	if err := in.Validate(s.today()); err != nil {
		return partnership.Activity{}, err
	}
	in.ID, in.AgreementID, in.CreatedBy, in.OrganisationID = 0, agreementID, actor.ActorID(), nil
	if actor.Role == partnership.RoleAssociationStaff {
		in.OrganisationID = actor.OrganisationID
	}
	return s.write(ctx, actor, agreementID, "activity.create", func(tx pgx.Tx) (partnership.Activity, error) {
		if err := yearOpen(ctx, tx, agreementID, in.Date); err != nil {
			return partnership.Activity{}, err
		}
		if err := nameAttendees(ctx, tx, &in); err != nil {
			return partnership.Activity{}, err
		}
		// Create itself refuses a type that is not an active one of the agreement.
		created, err := postgres.NewActivities(tx).Create(ctx, in)
		if err != nil {
			return partnership.Activity{}, err
		}
		return created, setAttendees(ctx, tx, &created, in.ParticipantIDs)
	})
}

// Update saves in over the agreement's activity in.ID, provided it is
// still at in.Version; who logged it does not change. The named
// participants are replaced by in's (none clears them). Besides Log's
// errors it returns partnership.ErrNotFound for an activity the actor may
// not change (another organisation's), an error wrapping
// partnership.ErrYearLocked when the activity's stored year is locked, and
// one wrapping partnership.ErrConflict when someone changed it meanwhile.
// ErrYearLocked is a conflict too: test for it first.
func (s *Service) Update(ctx context.Context, actor partnership.Actor, agreementID int64, in partnership.Activity) (partnership.Activity, error) {
	if err := mayLog(actor); err != nil {
		return partnership.Activity{}, err
	}
	in = in.Normalize()
	if err := in.Validate(s.today()); err != nil {
		return partnership.Activity{}, err
	}
	in.AgreementID = agreementID
	return s.write(ctx, actor, agreementID, "activity.update", func(tx pgx.Tx) (partnership.Activity, error) {
		current, err := editable(ctx, tx, actor, agreementID, in.ID)
		if err != nil {
			return partnership.Activity{}, err
		}
		if err := typeAllowed(ctx, tx, agreementID, in.TypeID, current.TypeID); err != nil {
			return partnership.Activity{}, err
		}
		if err := yearOpen(ctx, tx, agreementID, in.Date); err != nil {
			return partnership.Activity{}, err
		}
		if err := nameAttendees(ctx, tx, &in); err != nil {
			return partnership.Activity{}, err
		}
		updated, err := postgres.NewActivities(tx).Update(ctx, in)
		if err != nil {
			return partnership.Activity{}, err
		}
		return updated, setAttendees(ctx, tx, &updated, in.ParticipantIDs)
	})
}

// Delete removes the agreement's activity id, with its named participants,
// and returns what it was. It
// returns the errors of Update but for the version conflict.
func (s *Service) Delete(ctx context.Context, actor partnership.Actor, agreementID, id int64) (partnership.Activity, error) {
	if err := mayLog(actor); err != nil {
		return partnership.Activity{}, err
	}
	return s.write(ctx, actor, agreementID, "activity.delete", func(tx pgx.Tx) (partnership.Activity, error) {
		if _, err := editable(ctx, tx, actor, agreementID, id); err != nil {
			return partnership.Activity{}, err
		}
		store := postgres.NewActivities(tx)
		// Read before the cascade removes them, for the audit event's count.
		named, err := store.ParticipantIDs(ctx, id)
		if err != nil {
			return partnership.Activity{}, err
		}
		deleted, err := store.Delete(ctx, agreementID, id)
		deleted.ParticipantIDs = named
		return deleted, err
	})
}

// write runs change in a transaction, on an agreement the actor may see,
// and records action on the activity change returns in the same
// transaction, on the agreement so that it shows in its history.
func (s *Service) write(ctx context.Context, actor partnership.Actor, agreementID int64, action string,
	change func(tx pgx.Tx) (partnership.Activity, error)) (partnership.Activity, error) {
	var saved partnership.Activity
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := postgres.AgreementVisible(ctx, tx, agreementID, asUser(actor)); err != nil {
			return fmt.Errorf("%s on agreement %d: %w", action, agreementID, err)
		}
		var err error
		if saved, err = change(tx); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event(action, "agreement", strconv.FormatInt(agreementID, 10),
			map[string]any{
				"activity_id": saved.ID, "activity_type": saved.TypeName,
				"activity_date": saved.Date.Format(time.DateOnly),
				// How many, never who: the event is read by everyone who
				// reads the agreement's history.
				"named_participants": len(saved.ParticipantIDs),
			}))
	})
	if err != nil {
		return partnership.Activity{}, err
	}
	return saved, nil
}

// today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) today() time.Time {
	return partnership.Today(s.now())
}

func mayLog(actor partnership.Actor) error {
	if !MayLog(actor.Role) {
		return fmt.Errorf("role %q changing activities: %w", actor.Role, partnership.ErrForbidden)
	}
	return nil
}

// asUser is the actor as partnership's access rules, which are phrased on
// users, see it.
func asUser(actor partnership.Actor) partnership.User {
	return partnership.User{ID: actor.UserID, Role: actor.Role, OrganisationID: actor.OrganisationID}
}

// editable reads the activity for a change by the actor. One the actor may
// not change is not found, so that association staff cannot tell another
// organisation's entries from missing ones; one whose year is locked is
// partnership.ErrYearLocked, as no form input can change that.
func editable(ctx context.Context, tx pgx.Tx, actor partnership.Actor, agreementID, id int64) (partnership.Activity, error) {
	a, err := postgres.NewActivities(tx).ByID(ctx, agreementID, id)
	if err != nil {
		return partnership.Activity{}, err
	}
	if !a.EditableBy(asUser(actor)) {
		return partnership.Activity{}, fmt.Errorf("activity %d: %w", id, partnership.ErrNotFound)
	}
	locked, err := postgres.NewYearAmounts(tx).YearLocked(ctx, agreementID, a.Date.Year())
	if err != nil {
		return partnership.Activity{}, err
	}
	if locked {
		return partnership.Activity{}, fmt.Errorf("activity %d of %d: %w", id, a.Date.Year(), partnership.ErrYearLocked)
	}
	return a, nil
}

// yearOpen refuses, on the date field, a date in a year that is locked for
// the agreement: the user can pick another date.
func yearOpen(ctx context.Context, tx pgx.Tx, agreementID int64, date time.Time) error {
	locked, err := postgres.NewYearAmounts(tx).YearLocked(ctx, agreementID, date.Year())
	if err != nil {
		return err
	}
	if locked {
		return partnership.ValidationError{"date": partnership.MsgActivityYearLocked(date.Year())}
	}
	return nil
}

// typeAllowed refuses a type that is not one of the agreement's, or is no
// longer active, unless the activity already had it (kept): an old entry
// keeps its type when the type is retired.
func typeAllowed(ctx context.Context, tx pgx.Tx, agreementID, typeID, kept int64) error {
	if typeID == kept {
		return nil
	}
	t, err := postgres.NewActivityTypes(tx).Type(ctx, agreementID, typeID)
	if errors.Is(err, partnership.ErrNotFound) || err == nil && !t.Active {
		return partnership.ValidationError{"type_id": partnership.MsgActivityType}
	}
	return err
}

// nameAttendees checks the participants in names against its agreement and
// date and computes its gender counts from them.
func nameAttendees(ctx context.Context, tx pgx.Tx, in *partnership.Activity) error {
	if len(in.ParticipantIDs) == 0 {
		return nil
	}
	attendees, err := postgres.NewActivities(tx).Attendees(ctx, in.ParticipantIDs)
	if err != nil {
		return err
	}
	return in.NameAttendees(attendees)
}

// setAttendees stores ids as the participants of the saved activity.
func setAttendees(ctx context.Context, tx pgx.Tx, saved *partnership.Activity, ids []int64) error {
	if err := postgres.NewActivities(tx).SetParticipants(ctx, saved.ID, ids); err != nil {
		return err
	}
	saved.ParticipantIDs = ids
	return nil
}
