package participant

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Get returns the pseudonymous participant (code and statistical fields,
// never the identity) to whoever partnership.MaySeeParticipant allows, and
// partnership.ErrNotFound to the rest.
func (s *Service) Get(ctx context.Context, actor partnership.Actor, id int64) (partnership.Participant, error) {
	var p partnership.Participant
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		var parties []int64
		p, parties, err = postgres.ReachableParticipant(ctx, tx, actor, id, false)
		if err == nil && !partnership.MaySeeIdentity(actor, p, parties) {
			// Free text about a person goes only to those who may see who
			// it is about, as goal texts and follow-up notes do.
			p.DeclineNote = ""
		}
		return err
	})
	return p, err
}

// List returns a page of the agreement's participants that f selects. A
// coordinator's list holds only their own referrals; association staff
// see only their organisation's agreements (partnership.ErrNotFound for
// another's); officers and admins see every agreement's pseudonymous
// participants, viewers none (see partnership.MaySeeParticipant).
func (s *Service) List(ctx context.Context, actor partnership.Actor, agreementID int64, f partnership.ParticipantFilter) (partnership.ParticipantPage, error) {
	if actor.Role == partnership.RoleViewer {
		return partnership.ParticipantPage{}, partnership.ErrForbidden
	}
	if actor.Role == partnership.RoleCoordinator {
		f.ReferredBy = &actor.UserID
	}
	var page partnership.ParticipantPage
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		page, err = postgres.NewParticipants(tx).List(ctx, agreementID, f)
		return err
	})
	return page, err
}

// Cohorts lists the agreement's cohorts in use, for the list's filter.
func (s *Service) Cohorts(ctx context.Context, actor partnership.Actor, agreementID int64) ([]string, error) {
	var list []string
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		list, err = postgres.NewParticipants(tx).Cohorts(ctx, agreementID)
		return err
	})
	return list, err
}

// Counts returns the agreement's participants per year from..to (new,
// active, exited), aggregated in the database; statistics, so every role
// that may see the agreement may see them.
func (s *Service) Counts(ctx context.Context, actor partnership.Actor, agreementID int64, from, to int) ([]partnership.ParticipantYearCounts, error) {
	if from < partnership.MinParticipantYear || to > 2100 || to < from {
		return nil, partnership.ValidationError{"year": "Ange år mellan 2000 och 2100, det första inte efter det sista."}
	}
	var list []partnership.ParticipantYearCounts
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		list, err = postgres.NewParticipants(tx).Counts(ctx, agreementID, from, to)
		return err
	})
	return list, err
}

// Funnel returns the intake funnel of the agreement's referrals in year
// (see partnership.IntakeFunnel); access as for Counts.
func (s *Service) Funnel(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (partnership.IntakeFunnel, error) {
	var f partnership.IntakeFunnel
	err := s.readAgreement(ctx, actor, agreementID, func(tx pgx.Tx) error {
		var err error
		f, err = postgres.NewParticipants(tx).Funnel(ctx, agreementID, year)
		return err
	})
	return f, err
}

// readAgreement runs read on an agreement the actor may see: every
// signed-in role, association staff only their organisation's.
func (s *Service) readAgreement(ctx context.Context, actor partnership.Actor, agreementID int64, read func(tx pgx.Tx) error) error {
	if !actor.Role.Valid() {
		return fmt.Errorf("participants of agreement %d without a role: %w", agreementID, partnership.ErrForbidden)
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		u := partnership.User{ID: actor.UserID, Role: actor.Role, OrganisationID: actor.OrganisationID}
		if err := postgres.AgreementVisible(ctx, tx, agreementID, u); err != nil {
			return fmt.Errorf("participants of agreement %d: %w", agreementID, err)
		}
		return read(tx)
	})
}

// Consents returns the participant's consents, oldest first, to whoever
// may see the participant.
func (s *Service) Consents(ctx context.Context, actor partnership.Actor, participantID int64) ([]partnership.Consent, error) {
	var list []partnership.Consent
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, _, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, false); err != nil {
			return err
		}
		var err error
		list, err = postgres.NewParticipants(tx).Consents(ctx, participantID)
		return err
	})
	return list, err
}
