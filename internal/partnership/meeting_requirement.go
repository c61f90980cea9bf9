package partnership

import (
	"fmt"
	"time"
)

// DialogueRequirement is how an agreement's yearly requirement of dialogue
// meetings stands in one year.
type DialogueRequirement struct {
	Year     int
	Held     int // dialogue meetings of the year whose date has passed
	Planned  int // dialogue meetings of the year still to come
	Required int // the agreement's DialogueMeetingsPerYear
}

// Met reports whether enough dialogue meetings were held.
func (r DialogueRequirement) Met() bool { return r.Held >= r.Required }

// String is the line shown on the agreement and the meetings list, e.g.
// "1 av 2 dialogmöten hållna 2024".
func (r DialogueRequirement) String() string {
	noun := "dialogmöten"
	if r.Required == 1 {
		noun = "dialogmöte"
	}
	s := fmt.Sprintf("%d av %d %s hållna %d", r.Held, r.Required, noun, r.Year)
	if r.Planned > 0 {
		s += fmt.Sprintf(" (%d planerade)", r.Planned)
	}
	return s
}

// DialogueRequirementIn counts the agreement's dialogue meetings of year
// among meetings, as held or planned on today. It reports false when the
// agreement requires none.
func DialogueRequirementIn(a Agreement, meetings []Meeting, year int, today time.Time) (DialogueRequirement, bool) {
	if a.DialogueMeetingsPerYear <= 0 {
		return DialogueRequirement{}, false
	}
	r := DialogueRequirement{Year: year, Required: a.DialogueMeetingsPerYear}
	for _, m := range meetings {
		if m.Kind != MeetingDialogue || m.HeldOn.Year() != year {
			continue
		}
		if m.Held(today) {
			r.Held++
		} else {
			r.Planned++
		}
	}
	return r, true
}

// PartyPresence is how many of a party's people were at a steering-group
// meeting against the agreement's RepresentativesPerParty.
type PartyPresence struct {
	PartyID          int64
	OrganisationName string
	Present          int
	Required         int
}

// Met reports whether the party had its required representatives present.
func (p PartyPresence) Met() bool { return p.Present >= p.Required }

// String is e.g. "Stadsmissionen: 1 av 2 representanter".
func (p PartyPresence) String() string {
	noun := "representanter"
	if p.Required == 1 {
		noun = "representant"
	}
	return fmt.Sprintf("%s: %d av %d %s", p.OrganisationName, p.Present, p.Required, noun)
}

// SteeringGroupPresence checks, for a steering-group meeting, whether each
// party of the agreement had its required number of representatives
// present. It returns nothing for other kinds of meetings or when the
// agreement requires no representatives.
func SteeringGroupPresence(a Agreement, m Meeting) []PartyPresence {
	if m.Kind != MeetingSteeringGroup || a.RepresentativesPerParty <= 0 {
		return nil
	}
	out := make([]PartyPresence, 0, len(a.Parties))
	for _, p := range a.Parties {
		pp := PartyPresence{PartyID: p.ID, OrganisationName: p.OrganisationName, Required: a.RepresentativesPerParty}
		for _, at := range m.Attendees {
			if at.PartyID != nil && *at.PartyID == p.ID {
				pp.Present++
			}
		}
		out = append(out, pp)
	}
	return out
}
