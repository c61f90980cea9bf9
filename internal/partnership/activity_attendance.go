package partnership

import (
	"slices"
	"time"
)

// MaxNamedAttendees bounds how many participants one activity can name,
// well above any group the agreements describe.
const MaxNamedAttendees = 500

// Attendee is a participant as named attendance sees them: the
// pseudonymous code (and cohort, to tell groups apart in the form) and the
// fields that decide whether and how they count. Never an identity.
type Attendee struct {
	ID          int64
	AgreementID int64
	Code        string
	Cohort      string
	Gender      Gender
	EnrolledOn  *time.Time
	ExitedOn    *time.Time
}

// EnrolledAt reports whether the participant was enrolled on day: enrolled
// on or before it and not exited before it. The day of the exit still
// counts, as the last day of the participation.
func (p Attendee) EnrolledAt(day time.Time) bool {
	day = dayOf(day)
	return p.EnrolledOn != nil && !p.EnrolledOn.After(day) && (p.ExitedOn == nil || !p.ExitedOn.Before(day))
}

// Messages of named attendance, on the form field "participants".
const (
	MsgAttendeeAgreement = "En vald deltagare hör inte till överenskommelsen."
	MsgAttendeesTooMany  = "En aktivitet kan ha högst 500 namngivna deltagare."
)

// MsgAttendeeNotEnrolled says that the participant with the code was not
// enrolled on the date.
func MsgAttendeeNotEnrolled(code string, date time.Time) string {
	return code + " var inte inskriven " + date.Format(time.DateOnly) + "."
}

// normalizeAttendees sorts the named participants and drops repeats, so
// that a participant ticked twice counts once.
func normalizeAttendees(ids []int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	return slices.Compact(slices.Sorted(slices.Values(ids)))
}

// NameAttendees checks the participants a.ParticipantIDs names, as read
// (attendees; ids that were not found are simply missing), and computes
// a's gender counts from them, replacing what was typed. Each must belong
// to a's agreement and have been enrolled on a's date (Attendee.EnrolledAt).
// The errors are on "participants". It does nothing when a names nobody:
// the typed counts stand.
//
// The genders map onto the activity's counts as the statistics count them:
// woman → Women, man → Men, and non-binary and not stated → NonBinary, the
// activity's "non-binary or not stated". Children are left as typed:
// participants are adults (see MinParticipantAge), and the children who
// come along are counted, not named.
func (a *Activity) NameAttendees(attendees []Attendee) error {
	if len(a.ParticipantIDs) == 0 {
		return nil
	}
	byID := make(map[int64]Attendee, len(attendees))
	for _, p := range attendees {
		byID[p.ID] = p
	}
	v := ValidationError{}
	var women, men, other int
	for _, id := range a.ParticipantIDs {
		p, ok := byID[id]
		switch {
		case !ok || p.AgreementID != a.AgreementID:
			v.Add("participants", MsgAttendeeAgreement)
		case !p.EnrolledAt(a.Date):
			v.Add("participants", MsgAttendeeNotEnrolled(p.Code, a.Date))
		case p.Gender == GenderWoman:
			women++
		case p.Gender == GenderMan:
			men++
		default:
			other++
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	a.Women, a.Men, a.NonBinary = women, men, other
	return nil
}
