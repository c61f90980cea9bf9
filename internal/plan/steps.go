package plan

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// visibleAgreement reads the agreement for the actor: association staff
// reach only the agreements their organisation is a party to.
func visibleAgreement(ctx context.Context, tx pgx.Tx, actor partnership.Actor, agreementID int64) (partnership.Agreement, error) {
	ag, err := postgres.NewAgreements(tx).ByID(ctx, agreementID)
	if err != nil {
		return ag, err
	}
	if actor.Role == partnership.RoleAssociationStaff && !partnership.MayManageParticipants(actor, ag.PartyOrganisations()) {
		return ag, fmt.Errorf("agreement %d: %w", agreementID, partnership.ErrNotFound)
	}
	return ag, nil
}

// model is the agreement's stored step model, or the default when none is stored.
func model(ctx context.Context, tx pgx.Tx, agreementID int64) (partnership.StepModel, error) {
	m, err := postgres.NewPlans(tx).StepModel(ctx, agreementID)
	if errors.Is(err, partnership.ErrNotFound) {
		m = partnership.DefaultStepModel()
		m.AgreementID = agreementID
		return m, nil
	}
	return m, err
}

// ensureModel stores the default model on first use and locks the model.
func ensureModel(ctx context.Context, tx pgx.Tx, agreementID int64, exclusive bool) (partnership.StepModel, error) {
	m := partnership.DefaultStepModel()
	m.AgreementID = agreementID
	return postgres.NewPlans(tx).EnsureStepModel(ctx, m, exclusive)
}

// Model is the agreement's step model and whether it has assessments.
type Model struct {
	partnership.StepModel
	Assessed bool
}

// Model returns the agreement's step model for anyone who may see the agreement.
func (s *Service) Model(ctx context.Context, actor partnership.Actor, agreementID int64) (Model, error) {
	var out Model
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := visibleAgreement(ctx, tx, actor, agreementID); err != nil {
			return err
		}
		var err error
		if out.StepModel, err = model(ctx, tx, agreementID); err != nil {
			return err
		}
		out.Assessed, err = postgres.NewPlans(tx).HasAssessments(ctx, agreementID)
		return err
	})
	return out, err
}

// ConfigureModel saves next as the agreement's step model: officers and
// admins only (others partnership.ErrForbidden). Dimensions with an ID are
// the stored ones, renamed; without, new. Once the agreement has
// assessments only renaming and adding are allowed (see
// partnership.StepModel.CheckChange).
func (s *Service) ConfigureModel(ctx context.Context, actor partnership.Actor, agreementID int64, next partnership.StepModel) (partnership.StepModel, error) {
	if actor.Role != partnership.RoleOfficer && actor.Role != partnership.RoleAdmin {
		return next, fmt.Errorf("role %q configuring the step model: %w", actor.Role, partnership.ErrForbidden)
	}
	next.AgreementID, next.Name = agreementID, strings.TrimSpace(next.Name)
	for i := range next.Dimensions {
		next.Dimensions[i].Name = strings.TrimSpace(next.Dimensions[i].Name)
	}
	var saved partnership.StepModel
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewAgreements(tx).ByID(ctx, agreementID); err != nil {
			return err
		}
		current, err := ensureModel(ctx, tx, agreementID, true)
		if err != nil {
			return err
		}
		store := postgres.NewPlans(tx)
		assessed, err := store.HasAssessments(ctx, agreementID)
		if err != nil {
			return err
		}
		if err := current.CheckChange(next, assessed); err != nil {
			return err
		}
		if saved, err = store.SaveStepModel(ctx, next); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("plan.step_model.update", "agreement", fmt.Sprint(agreementID), map[string]any{
			"scale_min": saved.ScaleMin, "scale_max": saved.ScaleMax, "dimensions": len(saved.Dimensions),
			"dimensions_before": len(current.Dimensions), "assessed": assessed, "via": actor.Via,
		}))
	})
	return saved, err
}

// Assess records the participant's assessment on the agreement's model:
// association staff of a party only (see managed); one rating within the
// scale per dimension, dated no later than today.
func (s *Service) Assess(ctx context.Context, actor partnership.Actor, participantID int64, a partnership.Assessment) (partnership.Assessment, error) {
	var saved partnership.Assessment
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		acc, err := managed(ctx, tx, actor, participantID, "plan.assessment.create")
		if err != nil {
			return err
		}
		m, err := ensureModel(ctx, tx, acc.participant.AgreementID, false)
		if err != nil {
			return err
		}
		a.ParticipantID, a.Ratings = participantID, m.StoredRatings(a.Ratings)
		if err := a.Validate(m, s.Today()); err != nil {
			return err
		}
		if saved, err = postgres.NewPlans(tx).AddAssessment(ctx, a, actor.ActorID()); err != nil {
			return err
		}
		return record(ctx, tx, actor, "plan.assessment.create", "assessment", saved.ID, acc.participant, map[string]any{
			"assessed_on": a.AssessedOn.Format(time.DateOnly), "ratings": len(a.Ratings),
		})
	})
	return saved, err
}

// Assessments is a participant's assessments with the model they are
// read on and the progression per dimension.
type Assessments struct {
	Model       partnership.StepModel
	Assessments []partnership.Assessment
	Progression []partnership.DimensionProgress
	MayAssess   bool
}

// Assessments returns the participant's assessments and progression for
// anyone who may see the pseudonymous participant: ratings are statistics.
func (s *Service) Assessments(ctx context.Context, actor partnership.Actor, participantID int64) (Assessments, error) {
	var out Assessments
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		acc, err := reach(ctx, tx, actor, participantID)
		if err != nil {
			return err
		}
		out.MayAssess = acc.manage
		if out.Model, err = model(ctx, tx, acc.participant.AgreementID); err != nil {
			return err
		}
		if out.Assessments, err = postgres.NewPlans(tx).Assessments(ctx, participantID); err != nil {
			return err
		}
		out.Progression = partnership.Progression(out.Model, out.Assessments)
		return nil
	})
	return out, err
}

// Progression returns the participant's progression per dimension (see Assessments).
func (s *Service) Progression(ctx context.Context, actor partnership.Actor, participantID int64) ([]partnership.DimensionProgress, error) {
	a, err := s.Assessments(ctx, actor, participantID)
	return a.Progression, err
}

// ShareMoved returns, for the agreement and year, how many participants
// were assessed and how many moved at least one step, for anyone who may
// see the agreement: an aggregate, not identity.
func (s *Service) ShareMoved(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (postgres.ShareMoved, error) {
	var out postgres.ShareMoved
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := visibleAgreement(ctx, tx, actor, agreementID); err != nil {
			return err
		}
		var err error
		out, err = postgres.NewPlans(tx).ShareMoved(ctx, agreementID, year)
		return err
	})
	return out, err
}

// YearShare is ShareMoved for one year.
type YearShare struct {
	Year int
	postgres.ShareMoved
}

// SharesMoved returns ShareMoved for every year with assessments, latest
// first, for anyone who may see the agreement.
func (s *Service) SharesMoved(ctx context.Context, actor partnership.Actor, agreementID int64) ([]YearShare, error) {
	var out []YearShare
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := visibleAgreement(ctx, tx, actor, agreementID); err != nil {
			return err
		}
		store := postgres.NewPlans(tx)
		years, err := store.AssessedYears(ctx, agreementID)
		if err != nil {
			return err
		}
		for _, y := range years {
			share, err := store.ShareMoved(ctx, agreementID, y)
			if err != nil {
				return err
			}
			out = append(out, YearShare{Year: y, ShareMoved: share})
		}
		return nil
	})
	return out, err
}
