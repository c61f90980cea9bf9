package participant

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// AccessReport is everything held about one person (GDPR art. 15, the
// right of access), found by personnummer: one record per participant row
// the person has, across agreements. Coded values are given by their
// Swedish names, as the document is for the person. It holds nothing about
// anyone else: the activities attended name their date and type only.
type AccessReport struct {
	ProducedAt time.Time      `json:"produced_at"`
	Records    []AccessRecord `json:"records"`
}

// AccessRecord is one participant row of the person.
type AccessRecord struct {
	Code              string             `json:"code"`
	Agreement         string             `json:"agreement"`
	Status            string             `json:"status"`
	Name              string             `json:"name"`
	Personnummer      string             `json:"personnummer"`
	Phone             string             `json:"phone"`
	Email             string             `json:"email"`
	Gender            string             `json:"gender"`
	BirthYear         int                `json:"birth_year"`
	BirthRegion       string             `json:"birth_region"`
	YearsInSweden     *int               `json:"years_in_sweden"`
	Education         string             `json:"education"`
	LabourStatus      string             `json:"labour_status"`
	IncomeSource      string             `json:"income_source"`
	LivingArea        string             `json:"living_area"`
	WorkCapacityHours *int               `json:"work_capacity_hours"`
	Cohort            string             `json:"cohort"`
	ReferredOn        string             `json:"referred_on"`
	ReferralSource    string             `json:"referral_source"`
	EnrolledOn        string             `json:"enrolled_on"`
	DeclinedOn        string             `json:"declined_on"`
	DeclineReason     string             `json:"decline_reason"`
	DeclineNote       string             `json:"decline_note"`
	ExitedOn          string             `json:"exited_on"`
	ExitDestination   string             `json:"exit_destination"`
	Consents          []AccessConsent    `json:"consents"`
	Activities        []AccessActivity   `json:"activities"`
	Goals             []AccessGoal       `json:"goals"`
	Assessments       []AccessAssessment `json:"assessments"`
	FollowUps         []AccessFollowUp   `json:"followups"`
}

// AccessConsent is a consent of the person.
type AccessConsent struct {
	Scope       string `json:"scope"`
	GivenOn     string `json:"given_on"`
	WithdrawnOn string `json:"withdrawn_on"`
}

// AccessActivity is an activity the person is named as attending.
type AccessActivity struct {
	Date string `json:"date"`
	Type string `json:"type"`
}

// AccessGoal is a goal of the person's individual development plan.
type AccessGoal struct {
	Term        string `json:"term"`
	Text        string `json:"text"`
	FollowUpOn  string `json:"follow_up_on"`
	Status      string `json:"status"`
	OutcomeOn   string `json:"outcome_on"`
	OutcomeNote string `json:"outcome_note"`
}

// AccessAssessment is one assessment on the step model.
type AccessAssessment struct {
	AssessedOn string         `json:"assessed_on"`
	Ratings    []AccessRating `json:"ratings"`
}

// AccessRating is a rating of one dimension.
type AccessRating struct {
	Dimension string `json:"dimension"`
	Rating    int    `json:"rating"`
}

// AccessFollowUp is a follow-up after the exit.
type AccessFollowUp struct {
	Months         int    `json:"months"`
	DueOn          string `json:"due_on"`
	DoneOn         string `json:"done_on"`
	Destination    string `json:"destination"`
	SelfSupporting string `json:"self_supporting"`
	Note           string `json:"note"`
}

// MayHandleAccessRequests reports whether the actor may answer a request
// of access: the municipality's officers, who answer for the register as
// its controller, and administrators. It is the one place an officer sees
// identities, each time audited.
func MayHandleAccessRequests(actor partnership.Actor) bool {
	return actor.Role == partnership.RoleOfficer || actor.Role == partnership.RoleAdmin
}

// AccessRequest finds the person with the personnummer through the blind
// index, across every agreement, and returns everything held about them,
// identities decrypted. It writes one audit event
// "participant.access_request" with the number of records found, never the
// personnummer nor which participants matched. Roles other than those
// MayHandleAccessRequests allows get partnership.ErrForbidden.
func (s *Service) AccessRequest(ctx context.Context, actor partnership.Actor, pnr partnership.Personnummer) (AccessReport, error) {
	if !MayHandleAccessRequests(actor) {
		return AccessReport{}, fmt.Errorf("role %q handling an access request: %w", actor.Role, partnership.ErrForbidden)
	}
	if pnr.IsZero() {
		return AccessReport{}, partnership.ValidationError{"personnummer": partnership.MsgAccessPersonnummer}
	}
	rep := AccessReport{ProducedAt: s.now().UTC(), Records: []AccessRecord{}}
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewParticipants(tx)
		found, err := store.WithPnrIndex(ctx, s.keys.BlindIndex(pnr.Normalized()), 0)
		if err != nil {
			return err
		}
		for _, p := range found {
			r, err := s.accessRecord(ctx, tx, p)
			if err != nil {
				return err
			}
			rep.Records = append(rep.Records, r)
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("participant.access_request", "access_request", "",
			map[string]any{"records": len(rep.Records), "via": actor.Via}))
	})
	if err != nil {
		return AccessReport{}, err
	}
	return rep, nil
}

func isoDate(d *time.Time) string {
	if d == nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

// accessRecord gathers what is held in the participant row p and what
// hangs on it.
func (s *Service) accessRecord(ctx context.Context, tx pgx.Tx, p partnership.Participant) (AccessRecord, error) {
	ag, err := postgres.NewAgreements(tx).ByID(ctx, p.AgreementID)
	if err != nil {
		return AccessRecord{}, err
	}
	r := AccessRecord{Code: p.Code, Agreement: ag.Title, Status: p.Status().Label(), Gender: p.Gender.Label(),
		BirthYear: p.BirthYear, BirthRegion: p.BirthRegion.Label(), YearsInSweden: p.YearsInSweden,
		Education: p.Education.Label(), LabourStatus: p.LabourStatus.Label(), IncomeSource: p.IncomeSource.Label(),
		LivingArea: p.LivingArea, WorkCapacityHours: p.WorkCapacityHours, Cohort: p.Cohort,
		ReferredOn: p.ReferredOn.Format(time.DateOnly), ReferralSource: p.ReferralSource.Label(),
		EnrolledOn: isoDate(p.EnrolledOn), DeclinedOn: isoDate(p.DeclinedOn), DeclineNote: p.DeclineNote,
		ExitedOn: isoDate(p.ExitedOn), Consents: []AccessConsent{}, Activities: []AccessActivity{}, Goals: []AccessGoal{},
		Assessments: []AccessAssessment{}, FollowUps: []AccessFollowUp{}}
	if p.DeclineReason != "" {
		r.DeclineReason = p.DeclineReason.Label()
	}
	if p.ExitDestination != "" {
		r.ExitDestination = p.ExitDestination.Label()
	}
	store := postgres.NewParticipants(tx)
	si, err := store.Sealed(ctx, p.ID)
	if err != nil {
		return AccessRecord{}, err // found by the blind index, so it has an identity
	}
	id, err := s.open(p.ID, si)
	if err != nil {
		return AccessRecord{}, err
	}
	r.Name, r.Phone, r.Email = id.Name, id.Phone, id.Email
	if !id.Personnummer.IsZero() {
		r.Personnummer = id.Personnummer.String()
	}
	consents, err := store.Consents(ctx, p.ID)
	if err != nil {
		return AccessRecord{}, err
	}
	for _, c := range consents {
		r.Consents = append(r.Consents, AccessConsent{Scope: c.Scope.Label(), GivenOn: c.GivenOn.Format(time.DateOnly),
			WithdrawnOn: isoDate(c.WithdrawnOn)})
	}
	acts, err := store.AttendedActivities(ctx, p.ID)
	if err != nil {
		return AccessRecord{}, err
	}
	for _, a := range acts {
		r.Activities = append(r.Activities, AccessActivity{Date: a.Date.Format(time.DateOnly), Type: a.Type})
	}
	if err := planAndFollowUps(ctx, tx, p.ID, &r); err != nil {
		return AccessRecord{}, err
	}
	return r, nil
}

// planAndFollowUps adds the IUP goals, assessments and follow-ups to r.
func planAndFollowUps(ctx context.Context, tx pgx.Tx, participantID int64, r *AccessRecord) error {
	goals, err := postgres.NewPlans(tx).Goals(ctx, participantID)
	if err != nil {
		return err
	}
	for _, g := range goals {
		r.Goals = append(r.Goals, AccessGoal{Term: g.Term.Label(), Text: g.Text, FollowUpOn: g.FollowUpOn.Format(time.DateOnly),
			Status: g.Status.Label(), OutcomeOn: isoDate(g.OutcomeOn), OutcomeNote: g.OutcomeNote})
	}
	ratings, err := postgres.NewParticipants(tx).NamedRatings(ctx, participantID)
	if err != nil {
		return err
	}
	var last int64
	for _, nr := range ratings {
		if nr.AssessmentID != last || len(r.Assessments) == 0 {
			r.Assessments = append(r.Assessments, AccessAssessment{AssessedOn: nr.AssessedOn.Format(time.DateOnly)})
			last = nr.AssessmentID
		}
		a := &r.Assessments[len(r.Assessments)-1]
		a.Ratings = append(a.Ratings, AccessRating{Dimension: nr.Dimension, Rating: nr.Rating})
	}
	fus, err := postgres.NewFollowUps(tx).ForParticipant(ctx, participantID)
	if err != nil {
		return err
	}
	for _, f := range fus {
		fu := AccessFollowUp{Months: f.Months, DueOn: f.DueOn.Format(time.DateOnly), DoneOn: isoDate(f.DoneOn), Note: f.Note}
		if f.Destination != "" {
			fu.Destination = f.Destination.Label()
		}
		if f.SelfSupporting != "" {
			fu.SelfSupporting = f.SelfSupporting.Label()
		}
		r.FollowUps = append(r.FollowUps, fu)
	}
	return nil
}
