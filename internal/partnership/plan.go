package partnership

import (
	"strings"
	"time"
	"unicode/utf8"
)

// GoalTerm says whether an IUP goal is short- or long-term.
type GoalTerm string

// The terms of a goal.
const (
	GoalShortTerm GoalTerm = "short"
	GoalLongTerm  GoalTerm = "long"
)

// GoalTerms are the terms in the order forms offer them.
var GoalTerms = []GoalTerm{GoalShortTerm, GoalLongTerm}

// Label is the term in Swedish.
func (t GoalTerm) Label() string {
	switch t {
	case GoalShortTerm:
		return "Kortsiktigt"
	case GoalLongTerm:
		return "Långsiktigt"
	}
	return string(t)
}

// ParseGoalTerm reads a term from a form value.
func ParseGoalTerm(s string) (GoalTerm, bool) {
	for _, t := range GoalTerms {
		if string(t) == s {
			return t, true
		}
	}
	return "", false
}

// GoalStatus is where a goal stands at its follow-up.
type GoalStatus string

// The statuses of a goal; a new goal is in progress.
const (
	GoalInProgress     GoalStatus = "in_progress"
	GoalAchieved       GoalStatus = "achieved"
	GoalPartlyAchieved GoalStatus = "partly_achieved"
	GoalNotAchieved    GoalStatus = "not_achieved"
)

// GoalStatuses are the statuses in the order forms and counts show them.
var GoalStatuses = []GoalStatus{GoalInProgress, GoalAchieved, GoalPartlyAchieved, GoalNotAchieved}

// Label is the status in Swedish.
func (s GoalStatus) Label() string {
	switch s {
	case GoalInProgress:
		return "Pågår"
	case GoalAchieved:
		return "Uppnått"
	case GoalPartlyAchieved:
		return "Delvis uppnått"
	case GoalNotAchieved:
		return "Inte uppnått"
	}
	return string(s)
}

// ParseGoalStatus reads a status from a form value.
func ParseGoalStatus(s string) (GoalStatus, bool) {
	for _, st := range GoalStatuses {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// Messages of goal validation.
const (
	MsgGoalTerm       = "Välj om målet är kortsiktigt eller långsiktigt."
	MsgGoalText       = "Beskriv målet (högst 1 000 tecken)."
	MsgGoalFollowUp   = "Ange ett datum för uppföljning mellan 2000 och 2100."
	MsgGoalStatus     = "Välj hur det gick."
	MsgGoalOutcomeOn  = "Ange uppföljningsdatum; det kan inte ligga i framtiden."
	MsgGoalNoteLength = "Anteckningen får vara högst 1 000 tecken."
)

// maxGoalText is the longest goal text and outcome note, in characters.
const maxGoalText = 1000

// Goal is one goal of a participant's individual development plan (IUP).
// Text and OutcomeNote are free text about a person: only those who may
// see the participant's identity may read them.
type Goal struct {
	ID            int64
	ParticipantID int64
	Term          GoalTerm
	Text          string
	FollowUpOn    time.Time
	Status        GoalStatus
	OutcomeOn     *time.Time
	OutcomeNote   string
}

// Overdue reports whether the goal's follow-up date has passed with no
// outcome recorded.
func (g Goal) Overdue(today time.Time) bool {
	return g.OutcomeOn == nil && g.FollowUpOn.Before(today)
}

// validDay reports whether d lies within the years the register accepts.
func validDay(d time.Time) bool { return d.Year() >= 2000 && d.Year() <= 2100 }

// Validate checks a new goal.
func (g Goal) Validate() error {
	v := ValidationError{}
	if _, ok := ParseGoalTerm(string(g.Term)); !ok {
		v.Add("term", MsgGoalTerm)
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(g.Text)); n == 0 || n > maxGoalText {
		v.Add("text", MsgGoalText)
	}
	if !validDay(g.FollowUpOn) {
		v.Add("follow_up_on", MsgGoalFollowUp)
	}
	return v.Err()
}

// RecordOutcome records the goal's outcome at its follow-up on the date,
// which may not lie after today.
func (g *Goal) RecordOutcome(on time.Time, status GoalStatus, note string, today time.Time) error {
	v := ValidationError{}
	if _, ok := ParseGoalStatus(string(status)); !ok {
		v.Add("status", MsgGoalStatus)
	}
	if !validDay(on) || on.After(today) {
		v.Add("outcome_on", MsgGoalOutcomeOn)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxGoalText {
		v.Add("outcome_note", MsgGoalNoteLength)
	}
	if err := v.Err(); err != nil {
		return err
	}
	g.OutcomeOn, g.Status, g.OutcomeNote = &on, status, note
	return nil
}
