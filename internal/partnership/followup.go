package partnership

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultFollowUpMonths is the follow-up schedule of an agreement that has
// none of its own: six and twelve months after the exit (seed 004).
var DefaultFollowUpMonths = []int{6, 12}

// MaxFollowUpMonth is the latest follow-up an agreement may schedule.
const MaxFollowUpMonth = 60

// FollowUpDue is the date a follow-up months after the exit on exitedOn is
// due: the same day of the month, or the month's last day when the month is
// shorter (an exit on 31 January is followed up one month later on 28 or
// 29 February), never spilling into the next month as time.AddDate does.
func FollowUpDue(exitedOn time.Time, months int) time.Time {
	y, m, d := exitedOn.Date()
	total := int(m) - 1 + months
	ty, tm := y+total/12, time.Month(total%12+1)
	if last := daysIn(ty, tm); d > last {
		d = last
	}
	return time.Date(ty, tm, d, 0, 0, 0, 0, time.UTC)
}

// MsgFollowUpMonths is the message for a schedule that cannot be used.
const MsgFollowUpMonths = "Ange 1–12 olika antal månader mellan 1 och 60, åtskilda av kommatecken, t.ex. 6, 12."

// ParseFollowUpMonths reads a schedule as typed ("6, 12" or "2 4 6 12"):
// distinct whole months 1..MaxFollowUpMonth, returned in ascending order.
func ParseFollowUpMonths(s string) ([]int, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	var out []int
	for _, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, ValidationError{"months": MsgFollowUpMonths}
		}
		out = append(out, n)
	}
	if err := ValidateFollowUpMonths(out); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

// ValidateFollowUpMonths checks a schedule: 1 to 12 distinct months, each
// 1..MaxFollowUpMonth.
func ValidateFollowUpMonths(months []int) error {
	if len(months) == 0 || len(months) > 12 {
		return ValidationError{"months": MsgFollowUpMonths}
	}
	seen := map[int]bool{}
	for _, n := range months {
		if n < 1 || n > MaxFollowUpMonth || seen[n] {
			return ValidationError{"months": MsgFollowUpMonths}
		}
		seen[n] = true
	}
	return nil
}

// FormatFollowUpMonths is a schedule as the form shows it: "6, 12".
func FormatFollowUpMonths(months []int) string {
	parts := make([]string, len(months))
	for i, n := range months {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// SelfSupporting is whether a participant supports themselves (egen
// försörjning: wage or student aid, not social assistance) at a follow-up.
type SelfSupporting string

// The answers to self-support.
const (
	SelfSupportingYes     SelfSupporting = "yes"
	SelfSupportingNo      SelfSupporting = "no"
	SelfSupportingUnknown SelfSupporting = "unknown"
)

var selfSupportings = enum[SelfSupporting]{
	{SelfSupportingYes, "Ja"}, {SelfSupportingNo, "Nej"}, {SelfSupportingUnknown, "Okänt"},
}

// SelfSupportings lists the answers in the order the UI presents them.
var SelfSupportings = selfSupportings.values()

// Label is the Swedish name of the answer.
func (s SelfSupporting) Label() string { return selfSupportings.label(s) }

// FollowUp is one scheduled follow-up of an exited participant, recorded
// when DoneOn is set. Note is free text about the participant: it is shown
// only to those partnership.MaySeeIdentity allows, and is cleared before
// anyone else sees the follow-up.
type FollowUp struct {
	ID             int64
	ParticipantID  int64
	AgreementID    int64
	Months         int
	DueOn          time.Time
	DoneOn         *time.Time
	Destination    ExitDestination
	SelfSupporting SelfSupporting
	Note           string
	RecordedBy     *int64
	RecordedAt     *time.Time
}

// Recorded reports whether the follow-up's outcome has been recorded.
func (f FollowUp) Recorded() bool { return f.DoneOn != nil }

// Overdue reports whether the follow-up was due before today and is not
// recorded.
func (f FollowUp) Overdue(today time.Time) bool { return !f.Recorded() && f.DueOn.Before(dayOf(today)) }

// FollowUpOutcome is what staff record at a follow-up.
type FollowUpOutcome struct {
	DoneOn         time.Time
	Destination    ExitDestination
	SelfSupporting SelfSupporting
	Note           string
}

// Messages of the follow-up form, by field.
const (
	MsgFollowUpDoneOn         = "Ange när uppföljningen gjordes (ÅÅÅÅ-MM-DD), tidigast avslutsdagen och senast i dag."
	MsgFollowUpDestination    = "Välj vad deltagaren gör nu."
	MsgFollowUpSelfSupporting = "Välj om deltagaren har egen försörjning."
	MsgFollowUpNote           = "Anteckningen får vara högst 2 000 tecken."
)

// Validate checks the outcome of a follow-up of an exit on exitedOn.
func (o FollowUpOutcome) Validate(exitedOn, today time.Time) error {
	v := ValidationError{}
	if o.DoneOn.IsZero() || o.DoneOn.Before(dayOf(exitedOn)) || o.DoneOn.After(dayOf(today)) {
		v.Add("done_on", MsgFollowUpDoneOn)
	}
	if !exitDestinations.valid(o.Destination) {
		v.Add("destination", MsgFollowUpDestination)
	}
	if !selfSupportings.valid(o.SelfSupporting) {
		v.Add("self_supporting", MsgFollowUpSelfSupporting)
	}
	if len([]rune(o.Note)) > 2000 {
		v.Add("note", MsgFollowUpNote)
	}
	return v.Err()
}

// OverdueFollowUp is a line of an agreement's overdue list: pseudonymous,
// the participant named by code only.
type OverdueFollowUp struct {
	FollowUpID    int64
	ParticipantID int64
	Code          string
	Months        int
	ExitedOn      time.Time
	DueOn         time.Time
}

// SelfSupportingShare is, for an agreement's participants who exited in
// ExitYear, how many follow-ups at Months are recorded and how many of
// them found the participant self-supporting.
type SelfSupportingShare struct {
	ExitYear       int
	Months         int
	Recorded       int
	SelfSupporting int
}

// Percent is the share self-supporting in whole percent, rounded half up;
// ok is false when nothing is recorded.
func (s SelfSupportingShare) Percent() (pct int, ok bool) {
	if s.Recorded == 0 {
		return 0, false
	}
	return (200*s.SelfSupporting + s.Recorded) / (2 * s.Recorded), true
}

// String is the share as the page shows it: "75 % (6 av 8)".
func (s SelfSupportingShare) String() string {
	pct, ok := s.Percent()
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%d %% (%d av %d)", pct, s.SelfSupporting, s.Recorded)
}
