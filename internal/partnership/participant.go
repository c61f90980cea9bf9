package partnership

import (
	"strconv"
	"strings"
	"time"
)

// Limits of the participant fields, shared by the forms, the import and the
// database's CHECK constraints.
const (
	MinBirthYear       = 1900
	MaxYearsInSweden   = 120
	MaxWorkCapacity    = 40 // hours a week: full time
	MaxLivingArea      = 100
	MaxCohort          = 100
	MaxDeclineNote     = 500
	MinParticipantYear = 2000 // earliest referral year
	MinParticipantAge  = 15   // youngest age at referral the register accepts
	MaxParticipantAge  = 100
)

// Participant is a person taking part in an agreement's activity, held
// pseudonymously: the code and the statistical fields are what the
// municipality sees. The identifying fields live apart, encrypted, in an
// Identity, and are never part of this value.
type Participant struct {
	ID          int64
	AgreementID int64
	// Code is the pseudonym, e.g. "IKF-2024-017", given by the system at
	// referral and never changed; see ParticipantCode.
	Code string

	Gender            Gender
	BirthYear         int
	BirthRegion       BirthRegion
	YearsInSweden     *int // nil when not known
	Education         Education
	LabourStatus      LabourStatus // at entry
	IncomeSource      IncomeSource // at entry
	LivingArea        string       // stadsdel or area, free text
	WorkCapacityHours *int         // hours a week; nil when not assessed
	Cohort            string       // group or intake, e.g. "Grupp 1 2024"

	ReferredOn     time.Time
	ReferralSource ReferralSource
	ReferredBy     *int64 // the user who recorded the referral

	EnrolledOn    *time.Time
	DeclinedOn    *time.Time
	DeclineReason DeclineReason // set exactly when DeclinedOn is
	DeclineNote   string

	ExitedOn        *time.Time
	ExitDestination ExitDestination // set exactly when ExitedOn is

	// HasIdentity reports whether identifying fields are stored; reading
	// them is a use case of its own, audited.
	HasIdentity bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Status is where the participant is in the lifecycle, computed from the
// lifecycle dates.
func (p Participant) Status() ParticipantStatus {
	switch {
	case p.ExitedOn != nil:
		return StatusExited
	case p.DeclinedOn != nil:
		return StatusDeclined
	case p.EnrolledOn != nil:
		return StatusEnrolled
	}
	return StatusReferred
}

// ReferralYear is the year of the referral, the year of the code.
func (p Participant) ReferralYear() int { return p.ReferredOn.Year() }

// Normalize trims the free-text fields and makes the dates calendar dates.
func (p Participant) Normalize() Participant {
	p.LivingArea = strings.TrimSpace(p.LivingArea)
	p.Cohort = strings.TrimSpace(p.Cohort)
	p.DeclineNote = strings.TrimSpace(p.DeclineNote)
	if !p.ReferredOn.IsZero() {
		p.ReferredOn = dayOf(p.ReferredOn)
	}
	for _, d := range []**time.Time{&p.EnrolledOn, &p.DeclinedOn, &p.ExitedOn} {
		if *d != nil {
			day := dayOf(**d)
			*d = &day
		}
	}
	return p
}

// Validate checks every field against today (a calendar date), keyed by
// form field name: the statistical fields, the referral, and that the
// lifecycle dates are in order and none lies after today.
func (p Participant) Validate(today time.Time) error {
	v := ValidationError{}
	p.validateStatistics(v, today)
	p.validateLifecycle(v, today)
	return v.Err()
}

func (p Participant) validateStatistics(v ValidationError, today time.Time) {
	if !genders.valid(p.Gender) {
		v.Add("gender", "Välj kön (eller Vill ej uppge).")
	}
	lo, hi := today.Year()-MaxParticipantAge, today.Year()-MinParticipantAge
	if lo < MinBirthYear {
		lo = MinBirthYear
	}
	if p.BirthYear < lo || p.BirthYear > hi {
		v.Add("birth_year", "Ange ett födelseår mellan "+strconv.Itoa(lo)+" och "+strconv.Itoa(hi)+".")
	}
	if !birthRegions.valid(p.BirthRegion) {
		v.Add("birth_region", "Välj födelseregion (eller Okänd).")
	}
	if y := p.YearsInSweden; y != nil {
		switch {
		case *y < 0 || *y > MaxYearsInSweden:
			v.Add("years_in_sweden", "Ange antal år i Sverige som ett heltal från 0 till 120.")
		case p.BirthYear > 0 && *y > today.Year()-p.BirthYear:
			v.Add("years_in_sweden", "Antal år i Sverige kan inte vara fler än deltagarens ålder.")
		}
	}
	if !educations.valid(p.Education) {
		v.Add("education", "Välj utbildningsnivå (eller Okänd).")
	}
	if !labourStatuses.valid(p.LabourStatus) {
		v.Add("labour_status", "Välj ställning på arbetsmarknaden vid inskrivning (eller Okänd).")
	}
	if !incomeSources.valid(p.IncomeSource) {
		v.Add("income_source", "Välj försörjning vid inskrivning (eller Okänd).")
	}
	if len([]rune(p.LivingArea)) > MaxLivingArea {
		v.Add("living_area", "Bostadsområdet får vara högst 100 tecken.")
	}
	if h := p.WorkCapacityHours; h != nil && (*h < 0 || *h > MaxWorkCapacity) {
		v.Add("work_capacity_hours", "Ange arbetsförmågan som 0–40 timmar per vecka.")
	}
	if len([]rune(p.Cohort)) > MaxCohort {
		v.Add("cohort", "Gruppen får vara högst 100 tecken.")
	}
}

// Messages of the lifecycle rules, for the fields named in their comments.
const (
	MsgReferredOnMissing = "Ange anvisningsdatum."                                      // referred_on
	MsgReferredOnRange   = "Anvisningsdatumet måste ligga mellan 2000-01-01 och i dag." // referred_on
	MsgReferralSource    = "Välj vem som anvisade deltagaren."                          // referral_source
	MsgFutureDate        = "Datumet får inte ligga efter dagens datum."                 // any date
	MsgEnrolBeforeRefer  = "Inskrivningen kan inte vara före anvisningen."              // enrolled_on
	MsgDeclineBeforeRef  = "Datumet kan inte vara före anvisningen."                    // declined_on
	MsgDeclineReason     = "Välj varför deltagaren inte skrevs in."                     // decline_reason
	MsgDeclineNote       = "Kommentaren får vara högst 500 tecken."                     // decline_note
	MsgExitBeforeEnrol   = "Avslutet kan inte vara före inskrivningen."                 // exited_on
	MsgExitDestination   = "Välj vart deltagaren gick vid avslutet."                    // exit_destination
	MsgNotReferred       = "Deltagaren är inte längre bara anvisad: inskrivning eller avböjande är redan registrerat."
	MsgNotEnrolled       = "Bara en inskriven deltagare som inte redan är avslutad kan avslutas."
	MsgEnrolledDeclined  = "En deltagare kan inte både vara inskriven och ha tackat nej."
)

func (p Participant) validateLifecycle(v ValidationError, today time.Time) {
	today = dayOf(today)
	switch {
	case p.ReferredOn.IsZero():
		v.Add("referred_on", MsgReferredOnMissing)
	case p.ReferredOn.Year() < MinParticipantYear || p.ReferredOn.After(today):
		v.Add("referred_on", MsgReferredOnRange)
	}
	if !referralSources.valid(p.ReferralSource) {
		v.Add("referral_source", MsgReferralSource)
	}
	future := func(field string, d *time.Time) bool {
		if d != nil && d.After(today) {
			v.Add(field, MsgFutureDate)
			return true
		}
		return false
	}
	if p.EnrolledOn != nil && p.DeclinedOn != nil {
		v.Add("declined_on", MsgEnrolledDeclined)
	}
	if !future("enrolled_on", p.EnrolledOn) && p.EnrolledOn != nil && p.EnrolledOn.Before(p.ReferredOn) {
		v.Add("enrolled_on", MsgEnrolBeforeRefer)
	}
	if !future("declined_on", p.DeclinedOn) && p.DeclinedOn != nil && p.DeclinedOn.Before(p.ReferredOn) {
		v.Add("declined_on", MsgDeclineBeforeRef)
	}
	if (p.DeclinedOn != nil) != (p.DeclineReason != "") || (p.DeclinedOn != nil && !declineReasons.valid(p.DeclineReason)) {
		if p.DeclinedOn != nil {
			v.Add("decline_reason", MsgDeclineReason)
		} else {
			v.Add("declined_on", "Ange datum för när deltagaren inte skrevs in.")
		}
	}
	if len([]rune(p.DeclineNote)) > MaxDeclineNote {
		v.Add("decline_note", MsgDeclineNote)
	}
	if p.ExitedOn != nil {
		switch {
		case future("exited_on", p.ExitedOn):
		case p.EnrolledOn == nil:
			v.Add("exited_on", MsgNotEnrolled)
		case p.ExitedOn.Before(*p.EnrolledOn):
			v.Add("exited_on", MsgExitBeforeEnrol)
		}
	}
	if p.ExitedOn != nil && !exitDestinations.valid(p.ExitDestination) {
		v.Add("exit_destination", MsgExitDestination)
	}
	if p.ExitedOn == nil && p.ExitDestination != "" {
		v.Add("exited_on", "Ange avslutsdatum.")
	}
}

// Enrol records the enrolment on the date. Only a participant who is still
// only referred can be enrolled, not before the referral nor after today.
func (p *Participant) Enrol(on, today time.Time) error {
	if p.Status() != StatusReferred {
		return ValidationError{"enrolled_on": MsgNotReferred}
	}
	next := *p
	day := dayOf(on)
	next.EnrolledOn = &day
	if err := next.lifecycleOnly(today); err != nil {
		return err
	}
	*p = next
	return nil
}

// Decline records that the referred participant was not enrolled, on the
// date and for the reason, with an optional note (which must not identify
// the person: it is shown to everyone who sees the participant).
func (p *Participant) Decline(on time.Time, reason DeclineReason, note string, today time.Time) error {
	if p.Status() != StatusReferred {
		return ValidationError{"declined_on": MsgNotReferred}
	}
	next := *p
	day := dayOf(on)
	next.DeclinedOn, next.DeclineReason, next.DeclineNote = &day, reason, strings.TrimSpace(note)
	if err := next.lifecycleOnly(today); err != nil {
		return err
	}
	*p = next
	return nil
}

// Exit records that the enrolled participant left on the date, for the
// destination: not before the enrolment nor after today.
func (p *Participant) Exit(on time.Time, to ExitDestination, today time.Time) error {
	if p.Status() != StatusEnrolled {
		return ValidationError{"exited_on": MsgNotEnrolled}
	}
	next := *p
	day := dayOf(on)
	next.ExitedOn, next.ExitDestination = &day, to
	if err := next.lifecycleOnly(today); err != nil {
		return err
	}
	*p = next
	return nil
}

// lifecycleOnly checks the lifecycle rules alone: a lifecycle step must not
// fail on a statistical field that was valid when saved and has since gone
// out of range (a birth year as the years pass).
func (p Participant) lifecycleOnly(today time.Time) error {
	v := ValidationError{}
	p.validateLifecycle(v, today)
	return v.Err()
}

// ActiveIn reports whether the participant was enrolled at some time during
// year: enrolled on or before its last day and not exited before its first.
func (p Participant) ActiveIn(year int) bool {
	jan1, dec31 := yearBounds(year)
	return p.EnrolledOn != nil && !p.EnrolledOn.After(dec31) && (p.ExitedOn == nil || !p.ExitedOn.Before(jan1))
}
