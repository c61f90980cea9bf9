package partnership

import "time"

// RetentionPolicy says how many months each kind of personal data is kept
// after a participant's retention anchor (RetentionAnchor): identities
// (name, personnummer, phone, e-mail and the blind index), free-text notes
// (the decline note, IUP goal texts and outcome notes, follow-up notes)
// and assessments (the step-model ratings). Assessments are statistics,
// but the step progression is computed from the rows themselves, so they
// can only be kept whole or erased whole: they get the longest period.
type RetentionPolicy struct {
	IdentityMonths   int
	NotesMonths      int
	AssessmentMonths int
	UpdatedBy        *int64
	UpdatedAt        time.Time
}

// DefaultRetentionPolicy is the policy before the administrator sets one:
// identities and notes two years after the last follow-up, enough for the
// 6- and 12-month follow-ups to be reported on and questions about them
// answered; assessments five years, the span of an agreement with its
// extensions, so that the yearly reports can be recomputed.
func DefaultRetentionPolicy() RetentionPolicy {
	return RetentionPolicy{IdentityMonths: 24, NotesMonths: 24, AssessmentMonths: 60}
}

// MaxRetentionMonths is the longest period that can be set: twenty years.
const MaxRetentionMonths = 240

// MsgRetentionMonths is the message for a period out of range.
const MsgRetentionMonths = "Ange ett helt antal månader mellan 1 och 240."

// Validate checks each period is 1–MaxRetentionMonths months.
func (p RetentionPolicy) Validate() error {
	v := ValidationError{}
	for field, m := range map[string]int{"identity_months": p.IdentityMonths, "notes_months": p.NotesMonths,
		"assessment_months": p.AssessmentMonths} {
		if m < 1 || m > MaxRetentionMonths {
			v[field] = MsgRetentionMonths
		}
	}
	return v.Err()
}

// PurgeCounts is what a retention purge erased (or, dry, would erase), per
// kind. It holds counts only, never data, and is what the audit event says.
type PurgeCounts struct {
	Identities    int `json:"identities"`
	Consents      int `json:"consents"`
	DeclineNotes  int `json:"decline_notes"`
	GoalNotes     int `json:"goal_notes"`
	FollowUpNotes int `json:"followup_notes"`
	Assessments   int `json:"assessments"`
}

// Total is the number of things erased.
func (c PurgeCounts) Total() int {
	return c.Identities + c.Consents + c.DeclineNotes + c.GoalNotes + c.FollowUpNotes + c.Assessments
}

// PurgedGoalText replaces an IUP goal's text when retention erases it: the
// goal stays, with its term, dates and status, as statistics.
const PurgedGoalText = "[gallrad]"

// MsgAccessPersonnummer is the message when an access request is made
// without a valid personnummer.
const MsgAccessPersonnummer = "Ange ett giltigt personnummer eller samordningsnummer."
