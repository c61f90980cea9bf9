package participant

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// RecordConsent records the participant's consent c (its scope and the day
// it was given), recorded by the actor. Whoever may see the participant's
// identity may record it, as the identity may need it; others who may see
// the participant get partnership.ErrForbidden, the rest
// partnership.ErrNotFound.
func (s *Service) RecordConsent(ctx context.Context, actor partnership.Actor, participantID int64, c partnership.Consent) (partnership.Consent, error) {
	c.GivenOn = c.GivenOn.UTC()
	if err := c.Validate(s.today()); err != nil {
		return partnership.Consent{}, err
	}
	var saved partnership.Consent
	err := s.consentChange(ctx, actor, participantID, func(tx pgx.Tx, p partnership.Participant) error {
		c.ID, c.ParticipantID, c.RecordedBy, c.WithdrawnOn, c.WithdrawnBy = 0, participantID, actor.ActorID(), nil, nil
		var err error
		if saved, err = postgres.NewParticipants(tx).AddConsent(ctx, c); err != nil {
			return err
		}
		return record(ctx, tx, actor, "participant.consent.record", p, map[string]any{
			"consent_id": saved.ID, "scope": string(saved.Scope), "given_on": saved.GivenOn.Format(time.DateOnly),
		})
	})
	return saved, err
}

// WithdrawConsent records that the participant withdrew consent
// consentID on the date; access as for RecordConsent. When no consent to
// identity storage is left in force today, the stored identity is erased
// in the same transaction: it may no longer be kept.
func (s *Service) WithdrawConsent(ctx context.Context, actor partnership.Actor, participantID, consentID int64, on time.Time) (partnership.Consent, error) {
	var saved partnership.Consent
	err := s.consentChange(ctx, actor, participantID, func(tx pgx.Tx, p partnership.Participant) error {
		store := postgres.NewParticipants(tx)
		consents, err := store.Consents(ctx, participantID)
		if err != nil {
			return err
		}
		i := -1
		for j, c := range consents {
			if c.ID == consentID {
				i = j
			}
		}
		if i < 0 {
			return fmt.Errorf("consent %d of participant %d: %w", consentID, participantID, partnership.ErrNotFound)
		}
		if err := consents[i].Withdraw(on, actor.ActorID(), s.today()); err != nil {
			return err
		}
		if saved, err = store.SaveWithdrawal(ctx, consents[i]); err != nil {
			return err
		}
		erased := p.HasIdentity && !partnership.ConsentInForce(consents, partnership.ConsentIdentity, s.today())
		if erased {
			if err := store.SetSealed(ctx, participantID, nil); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, "participant.consent.withdraw", p, map[string]any{
			"consent_id": saved.ID, "scope": string(saved.Scope), "withdrawn_on": on.Format(time.DateOnly),
			"identity_erased": erased,
		})
	})
	return saved, err
}

// consentChange runs change on the locked participant, for an actor who may
// see its identity.
func (s *Service) consentChange(ctx context.Context, actor partnership.Actor, participantID int64,
	change func(tx pgx.Tx, p partnership.Participant) error) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		p, parties, err := postgres.ReachableParticipant(ctx, tx, actor, participantID, true)
		if err != nil {
			return err
		}
		if !partnership.MaySeeIdentity(actor, p, parties) {
			return fmt.Errorf("consent of participant %d by role %q: %w", participantID, actor.Role, partnership.ErrForbidden)
		}
		return change(tx, p)
	})
}
