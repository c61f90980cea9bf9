package partnership

import "time"

// DefaultParticipantPage is how many participants a list page shows when the
// filter names no limit; MaxParticipantPage is the most it may ask for.
const (
	DefaultParticipantPage = 50
	MaxParticipantPage     = 500
)

// ParticipantFilter selects participants of one agreement for the list.
type ParticipantFilter struct {
	Status ParticipantStatus // "" for every status
	Cohort string            // "" for every cohort; otherwise exact, case ignored
	Year   int               // referral year; 0 for every year
	// ReferredBy limits the list to one user's referrals: a coordinator's
	// list is always limited to their own.
	ReferredBy *int64
	Offset     int
	Limit      int // 0 for DefaultParticipantPage
}

// Normalize bounds the paging of f.
func (f ParticipantFilter) Normalize() ParticipantFilter {
	if f.Limit <= 0 {
		f.Limit = DefaultParticipantPage
	}
	if f.Limit > MaxParticipantPage {
		f.Limit = MaxParticipantPage
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return f
}

// ParticipantPage is one page of a participant list, newest referral first,
// and how many participants the filter selects in all.
type ParticipantPage struct {
	Participants []Participant
	Total        int
}

// ParticipantYearCounts are an agreement's participants in a calendar year:
// New were enrolled in it, Active were enrolled at some time during it
// (Participant.ActiveIn), Exited left in it. The agreement's expected
// participants per year are compared with Active.
type ParticipantYearCounts struct {
	Year   int
	New    int
	Active int
	Exited int
}

// IntakeFunnel follows the participants referred to an agreement in a year
// through the intake, as seed 004 reports it: Referred; Came, those who
// came to the intake interview (the enrolled and those declined after the
// interview, see DeclineReason.Came); Enrolled; Declined; Active, the
// enrolled who have not exited; Exited. Each stage counts the same cohort
// of referrals, as of now.
type IntakeFunnel struct {
	Year     int
	Referred int
	Came     int
	Enrolled int
	Declined int
	Active   int
	Exited   int
}

// IdentityRead is one recorded read of a participant's identity: who read
// it, when and from where.
type IdentityRead struct {
	At       time.Time
	UserID   *int64
	UserName string // "" when the user no longer exists
	ClientIP string
	Via      string
}
