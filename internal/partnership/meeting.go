package partnership

import (
	"strings"
	"time"
)

// MeetingKind is what a meeting of an agreement's parties is for.
type MeetingKind string

// The kinds of meetings an agreement's parties hold.
const (
	MeetingDialogue      MeetingKind = "dialogue"       // dialogmöte
	MeetingSteeringGroup MeetingKind = "steering_group" // styrgruppsmöte
	MeetingFollowUp      MeetingKind = "follow_up"      // uppföljningsmöte
)

// MeetingKinds lists the kinds in the order the UI offers them.
var MeetingKinds = []MeetingKind{MeetingDialogue, MeetingSteeringGroup, MeetingFollowUp}

// Valid reports whether k is one of MeetingKinds.
func (k MeetingKind) Valid() bool {
	for _, known := range MeetingKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Label is the Swedish name of the kind.
func (k MeetingKind) Label() string {
	switch k {
	case MeetingDialogue:
		return "Dialogmöte"
	case MeetingSteeringGroup:
		return "Styrgruppsmöte"
	case MeetingFollowUp:
		return "Uppföljningsmöte"
	}
	return string(k)
}

// Meeting is a meeting of an agreement's parties, with what was said and
// decided at it.
type Meeting struct {
	ID          int64
	AgreementID int64
	Version     int
	Kind        MeetingKind
	HeldOn      time.Time // the calendar date, UTC midnight
	StartsAt    string    // "HH:MM", or "" when no time is set
	Place       string
	Minutes     string // protokoll, free text
	Attendees   []MeetingAttendee
	Agenda      []AgendaPoint
	Decisions   []MeetingDecision
	ActionItems []ActionItem
}

// MeetingAttendee is someone present at a meeting, for a party (PartyID)
// or as a guest (PartyID nil).
type MeetingAttendee struct {
	PartyID *int64
	Name    string
}

// AgendaPoint is a point on a meeting's agenda; OrganisationID is the
// association whose staff added it, nil for the municipality's points.
type AgendaPoint struct {
	ID             int64
	Text           string
	OrganisationID *int64
}

// MeetingDecision is a numbered decision of a meeting.
type MeetingDecision struct {
	ID     int64
	Number int
	Text   string
}

// ActionItem is something a meeting gave someone to do: a party of the
// agreement (OwnerPartyID), a named person (OwnerName), or both.
type ActionItem struct {
	ID           int64
	MeetingID    int64
	Text         string
	OwnerPartyID *int64
	OwnerName    string
	DueOn        *time.Time
	DoneOn       *time.Time
}

// Overdue reports whether the item is open after its due date on today.
func (a ActionItem) Overdue(today time.Time) bool {
	return a.DoneOn == nil && a.DueOn != nil && a.DueOn.Before(today)
}

// Held reports whether the meeting has taken place on today: its date has
// passed (a meeting today counts as held, the day it is held).
func (m Meeting) Held(today time.Time) bool { return !m.HeldOn.After(today) }

// Normalize trims the meeting's texts and drops empty attendees.
func (m Meeting) Normalize() Meeting {
	m.Place = strings.TrimSpace(m.Place)
	m.StartsAt = strings.TrimSpace(m.StartsAt)
	m.Minutes = strings.TrimSpace(m.Minutes)
	kept := m.Attendees[:0:0]
	for _, a := range m.Attendees {
		a.Name = strings.TrimSpace(a.Name)
		if a.Name != "" {
			kept = append(kept, a)
		}
	}
	m.Attendees = kept
	return m
}

// Validate checks the fields an officer enters on the meeting form, keyed
// by form field name. parties are the agreement's, which attendees may
// speak for.
func (m Meeting) Validate(parties []Party) error {
	v := ValidationError{}
	if !m.Kind.Valid() {
		v.Add("kind", "Välj typ av möte.")
	}
	if m.HeldOn.IsZero() {
		v.Add("held_on", "Ange datum (ÅÅÅÅ-MM-DD).")
	}
	if m.StartsAt != "" {
		if _, err := time.Parse("15:04", m.StartsAt); err != nil {
			v.Add("starts_at", "Ange tid som TT:MM, till exempel 13:30.")
		}
	}
	if len([]rune(m.Place)) > 200 {
		v.Add("place", "Högst 200 tecken.")
	}
	if len([]rune(m.Minutes)) > 100000 {
		v.Add("minutes", "Högst 100 000 tecken.")
	}
	if len(m.Attendees) > 100 {
		v.Add("attendees", "Ange högst 100 deltagare.")
	}
	for _, a := range m.Attendees {
		if len([]rune(a.Name)) > 200 {
			v.Add("attendees", "Varje namn får vara högst 200 tecken.")
		}
		if a.PartyID != nil && !hasParty(parties, *a.PartyID) {
			v.Add("attendees", "Välj en part i överenskommelsen.")
		}
	}
	return v.Err()
}

// ValidateText checks an agenda point's or a decision's text.
func ValidateText(field, text string) error {
	switch n := len([]rune(strings.TrimSpace(text))); {
	case n == 0:
		return ValidationError{field: "Skriv en text."}
	case n > 5000:
		return ValidationError{field: "Högst 5 000 tecken."}
	}
	return nil
}

// Validate checks an action item entered on the meeting page against the
// agreement's parties.
func (a ActionItem) Validate(parties []Party) error {
	v := ValidationError{}
	if err := ValidateText("text", a.Text); err != nil {
		v.Add("text", err.(ValidationError)["text"])
	}
	if a.OwnerPartyID == nil && strings.TrimSpace(a.OwnerName) == "" {
		v.Add("owner", "Välj en part eller skriv ett namn.")
	}
	if a.OwnerPartyID != nil && !hasParty(parties, *a.OwnerPartyID) {
		v.Add("owner", "Välj en part i överenskommelsen.")
	}
	if len([]rune(a.OwnerName)) > 200 {
		v.Add("owner", "Högst 200 tecken.")
	}
	return v.Err()
}

func hasParty(parties []Party, id int64) bool {
	for _, p := range parties {
		if p.ID == id {
			return true
		}
	}
	return false
}
