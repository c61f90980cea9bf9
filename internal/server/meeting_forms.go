package server

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/templates"
)

// meetingFields are the single-valued fields of the meeting form.
var meetingFields = []string{"kind", "held_on", "starts_at", "place", "minutes", "guests", "version"}

func partyField(id int64) string { return "party_" + strconv.FormatInt(id, 10) }

// meetingFormValues are the form values of a stored meeting: an attendee
// who is one of their party's representatives is ticked, others are typed
// under their party, and attendees of no party are guests.
func meetingFormValues(m partnership.Meeting, parties []partnership.Party) url.Values {
	v := url.Values{}
	v.Set("kind", string(m.Kind))
	v.Set("held_on", m.HeldOn.Format(time.DateOnly))
	v.Set("starts_at", m.StartsAt)
	v.Set("place", m.Place)
	v.Set("minutes", m.Minutes)
	v.Set("version", strconv.Itoa(m.Version))
	var guests []string
	others := map[int64][]string{}
	for _, a := range m.Attendees {
		if a.PartyID == nil {
			guests = append(guests, a.Name)
			continue
		}
		if p, ok := partyOf(parties, *a.PartyID); ok && slices.Contains(p.Representatives, a.Name) {
			v.Add(partyField(p.ID), a.Name)
		} else {
			others[*a.PartyID] = append(others[*a.PartyID], a.Name)
		}
	}
	for id, names := range others {
		v.Set(partyField(id)+"_other", strings.Join(names, "\n"))
	}
	v.Set("guests", strings.Join(guests, "\n"))
	return v
}

func partyOf(parties []partnership.Party, id int64) (partnership.Party, bool) {
	for _, p := range parties {
		if p.ID == id {
			return p, true
		}
	}
	return partnership.Party{}, false
}

// parseMeetingForm reads the meeting form: the values as typed for showing
// the form again, the meeting, and the problems found, partnership's rules
// included so that the form shows every problem at once.
func parseMeetingForm(form url.Values, parties []partnership.Party) (partnership.Meeting, map[string]string, partnership.ValidationError) {
	values := map[string]string{}
	for _, f := range meetingFields {
		values[f] = form.Get(f)
	}
	verr := partnership.ValidationError{}
	m := partnership.Meeting{Kind: partnership.MeetingKind(values["kind"]), StartsAt: values["starts_at"],
		Place: values["place"], Minutes: values["minutes"]}
	if v := strings.TrimSpace(values["held_on"]); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			verr.Add("held_on", "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2024-03-12.")
		}
		m.HeldOn = d
	}
	m.Version, _ = strconv.Atoi(values["version"])
	for _, p := range parties {
		id := p.ID
		for _, name := range form[partyField(id)] {
			m.Attendees = append(m.Attendees, partnership.MeetingAttendee{PartyID: &id, Name: name})
		}
		for _, name := range lines(form.Get(partyField(id) + "_other")) {
			m.Attendees = append(m.Attendees, partnership.MeetingAttendee{PartyID: &id, Name: name})
		}
	}
	for _, name := range lines(values["guests"]) {
		m.Attendees = append(m.Attendees, partnership.MeetingAttendee{Name: name})
	}
	m = m.Normalize()
	validationOf(verr, m.Validate(parties))
	return m, values, verr
}

// lines are the non-empty lines of a textarea.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// meetingPartyVMs are the attendance fieldsets of the form, ticked and
// typed as in form.
func meetingPartyVMs(parties []partnership.Party, form url.Values) []templates.MeetingPartyVM {
	out := make([]templates.MeetingPartyVM, 0, len(parties))
	for _, p := range parties {
		field := partyField(p.ID)
		vm := templates.MeetingPartyVM{Name: p.OrganisationName, Field: field, OtherField: field + "_other",
			Other: form.Get(field + "_other")}
		for i, rep := range p.Representatives {
			vm.Representatives = append(vm.Representatives, templates.MeetingCheckVM{
				ID: field + "-" + strconv.Itoa(i), Name: rep, Checked: slices.Contains(form[field], rep)})
		}
		out = append(out, vm)
	}
	return out
}

func meetingKindOptions(selected string) []templates.Option {
	opts := []templates.Option{{Value: "", Label: "Välj typ", Selected: selected == ""}}
	for _, k := range partnership.MeetingKinds {
		opts = append(opts, templates.Option{Value: string(k), Label: k.Label(), Selected: string(k) == selected})
	}
	return opts
}

// meetingDate is the meeting's date and, when set, time.
func meetingDate(m partnership.Meeting) string {
	s := m.HeldOn.Format(time.DateOnly)
	if m.StartsAt != "" {
		s += " " + m.StartsAt
	}
	return s
}
