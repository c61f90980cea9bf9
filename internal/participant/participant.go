// Package participant holds the use cases of the participant register:
// referral, enrolment, decline, exit, edits, consent, the reading of
// identities, the lists and counts, and the rotation of the identity key.
// Each takes the acting partnership.Actor as a value, decides with
// partnership's rules what the actor may do, and writes the change and its
// audit event in one transaction. Identities are sealed here, with the
// privacy.Keyring, before they reach the store, and opened here only for
// those partnership.MaySeeIdentity allows, each read audited.
//
// Nothing identifying goes into an error, a log line or an audit detail:
// audit details name which identity fields changed, never their values.
package participant

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/followup"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/privacy"
)

// Service runs the participant use cases on the database. As in the
// activity and indexation services, the stores are built on each use
// case's transaction; tests run them on real PostgreSQL.
type Service struct {
	db   *postgres.DB
	keys *privacy.Keyring
	now  func() time.Time
}

// NewService returns the participant service on db, sealing identities with
// keys; now is the clock that decides which dates lie in the future.
func NewService(db *postgres.DB, keys *privacy.Keyring, now func() time.Time) *Service {
	return &Service{db: db, keys: keys, now: now}
}

// today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) today() time.Time {
	return partnership.Today(s.now())
}

// Registration is a new participant as referred or registered: the
// statistical and lifecycle fields, and optionally an identity, which can
// only be stored with a consent to identity storage given on ConsentGivenOn.
type Registration struct {
	Participant    partnership.Participant
	Identity       partnership.Identity
	ConsentGivenOn *time.Time
}

// Registered is the participant as stored and what its personnummer
// matched among the other participants.
type Registered struct {
	Participant partnership.Participant
	Duplicate   Duplicate
}

// Duplicate warns that the personnummer just stored is also another
// participant's, found through the blind index. It never blocks: a person
// may take part in two agreements, or be referred again. Count says how
// many other participants matched; Visible holds only those the actor may
// see the identity of (their own agreement's, or their own referrals), so
// the warning tells nobody which other agreement or participant it is.
type Duplicate struct {
	Count   int
	Visible []partnership.Participant
}

// Found reports whether the personnummer matched another participant.
func (d Duplicate) Found() bool { return d.Count > 0 }

// MsgAgreementClosed is the message when participants are registered to an
// agreement that is a draft (staff) or not active today (coordinators).
const MsgAgreementClosed = "Deltagare kan bara anvisas till en aktiv överenskommelse."

// MsgCoordinatorRefersOnly is the message when a coordinator registers a
// participant with a lifecycle step after the referral.
const MsgCoordinatorRefersOnly = "En koordinator anvisar deltagare. Inskrivning, avböjande och avslut registreras av föreningen."

// Register refers a participant to the agreement: association staff of a
// party to any agreement that is not a draft, a coordinator to any active
// agreement, and only as referred (enrolment, decline and exit are the
// association's). The system gives the code (see
// partnership.ParticipantCode); in's ID, AgreementID, Code and ReferredBy
// are ignored, the actor becomes the referrer. It returns
// partnership.ErrForbidden for other roles, partnership.ErrNotFound for an
// agreement the actor may not see, and a partnership.ValidationError for
// invalid fields or an identity without consent.
func (s *Service) Register(ctx context.Context, actor partnership.Actor, agreementID int64, in Registration) (Registered, error) {
	if actor.Role != partnership.RoleAssociationStaff && actor.Role != partnership.RoleCoordinator {
		return Registered{}, fmt.Errorf("role %q registering participants: %w", actor.Role, partnership.ErrForbidden)
	}
	today := s.today()
	in, err := checkRegistration(actor, agreementID, in, today)
	if err != nil {
		return Registered{}, err
	}
	var out Registered
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		ag, err := registrable(ctx, tx, actor, agreementID, today)
		if err != nil {
			return err
		}
		out, err = s.register(ctx, tx, actor, ag, in)
		return err
	})
	if err != nil {
		return Registered{}, err
	}
	return out, nil
}

// checkRegistration normalises the registration for the agreement and the
// actor and checks it: the fields, the consent an identity needs, and that
// a coordinator only refers.
func checkRegistration(actor partnership.Actor, agreementID int64, in Registration, today time.Time) (Registration, error) {
	p := in.Participant.Normalize()
	p.ID, p.AgreementID, p.Code, p.ReferredBy, p.HasIdentity = 0, agreementID, "", actor.ActorID(), false
	in.Participant = p
	v := partnership.ValidationError{}
	if err := p.Validate(today); err != nil {
		v = err.(partnership.ValidationError)
	}
	if actor.Role == partnership.RoleCoordinator && p.Status() != partnership.StatusReferred {
		for field, d := range map[string]*time.Time{"enrolled_on": p.EnrolledOn, "declined_on": p.DeclinedOn, "exited_on": p.ExitedOn} {
			if d != nil {
				v[field] = MsgCoordinatorRefersOnly
			}
		}
	}
	if !in.Identity.IsZero() && (in.ConsentGivenOn == nil ||
		(partnership.Consent{Scope: partnership.ConsentIdentity, GivenOn: *in.ConsentGivenOn}).Validate(today) != nil) {
		v.Add("consent_given_on", partnership.MsgIdentityNoConsent)
	}
	return in, v.Err()
}

// registrable reads the agreement participants are being registered to,
// for an actor who may register: another association's agreement is
// partnership.ErrNotFound, a draft (or, for a coordinator, an agreement not
// active today) a partnership.ValidationError.
func registrable(ctx context.Context, tx pgx.Tx, actor partnership.Actor, agreementID int64, today time.Time) (partnership.Agreement, error) {
	ag, err := postgres.NewAgreements(tx).ByID(ctx, agreementID)
	if err != nil {
		return ag, err
	}
	switch {
	case actor.Role == partnership.RoleAssociationStaff && !partnership.MayManageParticipants(actor, ag.PartyOrganisations()):
		return ag, fmt.Errorf("agreement %d: %w", agreementID, partnership.ErrNotFound)
	case ag.Status == partnership.StatusDraft,
		actor.Role == partnership.RoleCoordinator && ag.StatusOn(today) != partnership.StatusActive:
		return ag, partnership.ValidationError{"agreement_id": MsgAgreementClosed}
	}
	return ag, nil
}

// register stores a checked registration to the agreement in tx: the
// participant with the next code, the consent and sealed identity, and
// the audit event.
func (s *Service) register(ctx context.Context, tx pgx.Tx, actor partnership.Actor, ag partnership.Agreement, in Registration) (Registered, error) {
	p := in.Participant
	store := postgres.NewParticipants(tx)
	base := partnership.DefaultParticipantPrefix
	if name, ok := ag.CodePrefixSource(); ok {
		base = partnership.ParticipantCodePrefix(name)
	}
	prefix, err := store.CodePrefix(ctx, ag.ID, base)
	if err != nil {
		return Registered{}, err
	}
	n, err := store.NextNumber(ctx, ag.ID, p.ReferralYear())
	if err != nil {
		return Registered{}, err
	}
	p.Code = partnership.ParticipantCode(prefix, p.ReferralYear(), n)
	saved, err := store.Create(ctx, p)
	if err != nil {
		return Registered{}, err
	}
	var out Registered
	if !in.Identity.IsZero() {
		if _, err := store.AddConsent(ctx, partnership.Consent{ParticipantID: saved.ID,
			Scope: partnership.ConsentIdentity, GivenOn: *in.ConsentGivenOn, RecordedBy: actor.ActorID()}); err != nil {
			return Registered{}, err
		}
		if out.Duplicate, err = s.storeIdentity(ctx, tx, actor, saved.ID, in.Identity); err != nil {
			return Registered{}, err
		}
		saved.HasIdentity = true
	}
	out.Participant = saved
	if saved.ExitedOn != nil {
		if err := followup.AfterExitChange(ctx, tx, actor, saved); err != nil {
			return Registered{}, err
		}
	}
	return out, record(ctx, tx, actor, "participant.create", saved, map[string]any{
		"status": string(saved.Status()), "identity_fields": in.Identity.Fields(), "duplicates": out.Duplicate.Count,
	})
}

// Update saves the statistical and lifecycle fields of in over the
// participant in.ID, provided it is still at in.Version (else an error
// wrapping partnership.ErrConflict). The code, agreement, referrer and
// identity do not change here. Only the association staff of a party may:
// others who may see the participant get partnership.ErrForbidden, the
// rest partnership.ErrNotFound.
func (s *Service) Update(ctx context.Context, actor partnership.Actor, in partnership.Participant) (partnership.Participant, error) {
	in = in.Normalize()
	if err := in.Validate(s.today()); err != nil {
		return partnership.Participant{}, err
	}
	return s.change(ctx, actor, in.ID, "participant.update", func(current partnership.Participant) (partnership.Participant, error) {
		if current.Version != in.Version {
			return partnership.Participant{}, fmt.Errorf("participant %d changed since version %d: %w", in.ID, in.Version, partnership.ErrConflict)
		}
		in.AgreementID, in.Code, in.ReferredBy, in.HasIdentity = current.AgreementID, current.Code, current.ReferredBy, current.HasIdentity
		return in, nil
	})
}

// Enrol records the participant's enrolment on the date (see
// partnership.Participant.Enrol); access as for Update.
func (s *Service) Enrol(ctx context.Context, actor partnership.Actor, id int64, on time.Time) (partnership.Participant, error) {
	return s.change(ctx, actor, id, "participant.enrol", func(p partnership.Participant) (partnership.Participant, error) {
		return p, p.Enrol(on, s.today())
	})
}

// Decline records that the participant was not enrolled (see
// partnership.Participant.Decline); access as for Update.
func (s *Service) Decline(ctx context.Context, actor partnership.Actor, id int64, on time.Time, reason partnership.DeclineReason, note string) (partnership.Participant, error) {
	return s.change(ctx, actor, id, "participant.decline", func(p partnership.Participant) (partnership.Participant, error) {
		return p, p.Decline(on, reason, note, s.today())
	})
}

// Exit records the participant's exit on the date to the destination (see
// partnership.Participant.Exit); access as for Update.
func (s *Service) Exit(ctx context.Context, actor partnership.Actor, id int64, on time.Time, to partnership.ExitDestination) (partnership.Participant, error) {
	return s.change(ctx, actor, id, "participant.exit", func(p partnership.Participant) (partnership.Participant, error) {
		return p, p.Exit(on, to, s.today())
	})
}

// change locks the participant, checks that the actor may manage it,
// applies apply and stores and audits the result in one transaction.
func (s *Service) change(ctx context.Context, actor partnership.Actor, id int64, action string,
	apply func(partnership.Participant) (partnership.Participant, error)) (partnership.Participant, error) {
	var saved partnership.Participant
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		current, parties, err := postgres.ReachableParticipant(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if !partnership.MayManageParticipants(actor, parties) {
			return fmt.Errorf("%s of participant %d by role %q: %w", action, id, actor.Role, partnership.ErrForbidden)
		}
		next, err := apply(current)
		if err != nil {
			return err
		}
		next.ID, next.Version = current.ID, current.Version
		if saved, err = postgres.NewParticipants(tx).Update(ctx, next); err != nil {
			return err
		}
		// The follow-ups are due from the exit date: they come, move and go
		// with it in this transaction.
		if !sameDay(current.ExitedOn, saved.ExitedOn) {
			if err := followup.AfterExitChange(ctx, tx, actor, saved); err != nil {
				return err
			}
		}
		return record(ctx, tx, actor, action, saved, map[string]any{
			"status": string(saved.Status()), "changed": changedFields(current, saved),
		})
	})
	if err != nil {
		return partnership.Participant{}, err
	}
	return saved, nil
}

// record writes the audit event of action on the participant. details
// must hold nothing identifying; the code is a pseudonym.
func record(ctx context.Context, tx pgx.Tx, actor partnership.Actor, action string, p partnership.Participant, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["agreement_id"] = p.AgreementID
	details["code"] = p.Code
	details["via"] = actor.Via
	return postgres.NewAudit(tx).Record(ctx, actor.Event(action, "participant", strconv.FormatInt(p.ID, 10), details))
}

// sameDay reports whether two optional dates are both unset or equal.
func sameDay(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }

// changedFields names, by form field, what differs between a and b.
func changedFields(a, b partnership.Participant) []string {
	eqInt := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eqDay := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	var out []string
	for _, f := range []struct {
		name string
		same bool
	}{
		{"gender", a.Gender == b.Gender}, {"birth_year", a.BirthYear == b.BirthYear},
		{"birth_region", a.BirthRegion == b.BirthRegion}, {"years_in_sweden", eqInt(a.YearsInSweden, b.YearsInSweden)},
		{"education", a.Education == b.Education}, {"labour_status", a.LabourStatus == b.LabourStatus},
		{"income_source", a.IncomeSource == b.IncomeSource}, {"living_area", a.LivingArea == b.LivingArea},
		{"work_capacity_hours", eqInt(a.WorkCapacityHours, b.WorkCapacityHours)}, {"cohort", a.Cohort == b.Cohort},
		{"referred_on", a.ReferredOn.Equal(b.ReferredOn)}, {"referral_source", a.ReferralSource == b.ReferralSource},
		{"enrolled_on", eqDay(a.EnrolledOn, b.EnrolledOn)}, {"declined_on", eqDay(a.DeclinedOn, b.DeclinedOn)},
		{"decline_reason", a.DeclineReason == b.DeclineReason}, {"decline_note", a.DeclineNote == b.DeclineNote},
		{"exited_on", eqDay(a.ExitedOn, b.ExitedOn)}, {"exit_destination", a.ExitDestination == b.ExitDestination},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}
