package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/meeting"
	"iop/internal/partnership"
	"iop/templates"
)

func (s *Server) handleMeetingShow(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMeetingPage(w, r, http.StatusOK, d, templates.Form{})
}

// renderMeetingPage shows the meeting with form: the values and errors of
// a form of the page that was sent and refused.
func (s *Server) renderMeetingPage(w http.ResponseWriter, r *http.Request, status int, d meeting.Detail, form templates.Form) {
	a, m, actor := d.Agreement, d.Meeting, actorOf(r)
	url := meetingPath(a.ID, m.ID)
	vm := templates.MeetingVM{
		AgreementID: a.ID, AgreementTitle: a.Title, Heading: m.Kind.Label() + " " + m.HeldOn.Format(time.DateOnly),
		URL: url, Minutes: m.Minutes, Form: form, Owners: ownerOptions(a.Parties, form.Value("item_owner_party")),
		MayManage: meeting.MayManage(actor.Role), MayAddAgenda: meeting.MayAddAgendaPoint(actor.Role),
	}
	vm.Base = s.base(r, vm.Heading+" – "+a.Title)
	if vm.MayManage {
		vm.EditURL, vm.DeleteURL = url+"/edit", url+"/delete"
	}
	vm.Facts = []templates.AgreementFact{{Label: "Typ av möte", Value: m.Kind.Label()}, {Label: "Datum", Value: meetingDate(m)}}
	if m.Place != "" {
		vm.Facts = append(vm.Facts, templates.AgreementFact{Label: "Plats", Value: m.Place})
	}
	vm.Attendance = attendanceVMs(a.Parties, m.Attendees)
	for _, p := range d.Presence {
		vm.Presence = append(vm.Presence, templates.RequirementVM{Text: p.String(), Met: p.Met()})
	}
	for _, p := range m.Agenda {
		by := ""
		if p.OrganisationID != nil {
			by = "tillagd av " + organisationName(a.Parties, *p.OrganisationID)
		}
		vm.Agenda = append(vm.Agenda, templates.MeetingAgendaVM{Text: p.Text, By: by})
	}
	for _, dec := range m.Decisions {
		vm.Decisions = append(vm.Decisions, templates.MeetingDecisionVM{Number: strconv.Itoa(dec.Number), Text: dec.Text})
	}
	today := s.agreementToday()
	for _, it := range m.ActionItems {
		row := templates.MeetingItemVM{Text: it.Text, Owner: ownerName(a.Parties, it), Status: "Öppen", Overdue: it.Overdue(today)}
		if it.DueOn != nil {
			row.Due = it.DueOn.Format(time.DateOnly)
		}
		switch {
		case it.DoneOn != nil:
			row.Status = "Klar " + it.DoneOn.Format(time.DateOnly)
		case row.Overdue:
			row.Status = "Försenad"
		}
		if it.DoneOn == nil && meeting.MayMarkDone(actor, a, it) {
			row.DoneURL = url + "/action-items/" + strconv.FormatInt(it.ID, 10) + "/done"
		}
		vm.Items = append(vm.Items, row)
	}
	s.render(w, r, status, templates.MeetingPage(vm))
}

func attendanceVMs(parties []partnership.Party, attendees []partnership.MeetingAttendee) []templates.MeetingAttendanceVM {
	var out []templates.MeetingAttendanceVM
	for _, p := range parties {
		row := templates.MeetingAttendanceVM{Party: p.OrganisationName}
		for _, at := range attendees {
			if at.PartyID != nil && *at.PartyID == p.ID {
				row.Names = append(row.Names, at.Name)
			}
		}
		if len(row.Names) > 0 {
			out = append(out, row)
		}
	}
	guests := templates.MeetingAttendanceVM{Party: "Övriga"}
	for _, at := range attendees {
		if at.PartyID == nil {
			guests.Names = append(guests.Names, at.Name)
		}
	}
	if len(guests.Names) > 0 {
		out = append(out, guests)
	}
	return out
}

func organisationName(parties []partnership.Party, orgID int64) string {
	for _, p := range parties {
		if p.OrganisationID == orgID {
			return p.OrganisationName
		}
	}
	return "en förening"
}

func ownerName(parties []partnership.Party, it partnership.ActionItem) string {
	var parts []string
	if it.OwnerPartyID != nil {
		if p, ok := partyOf(parties, *it.OwnerPartyID); ok {
			parts = append(parts, p.OrganisationName)
		}
	}
	if it.OwnerName != "" {
		parts = append(parts, it.OwnerName)
	}
	return strings.Join(parts, ", ")
}

func ownerOptions(parties []partnership.Party, selected string) []templates.Option {
	opts := []templates.Option{{Value: "", Label: "Ingen part", Selected: selected == ""}}
	for _, p := range parties {
		v := strconv.FormatInt(p.ID, 10)
		opts = append(opts, templates.Option{Value: v, Label: p.OrganisationName, Selected: v == selected})
	}
	return opts
}

// finishMeetingForm answers a form of the meeting page: a refused one
// shows the page again (422) with the values as typed and the service's
// errors under the page's field names (prefix + field); otherwise the
// browser goes back to the meeting with the flash message.
func (s *Server) finishMeetingForm(w http.ResponseWriter, r *http.Request, d meeting.Detail, values map[string]string, prefix string, err error, done string) {
	var verr partnership.ValidationError
	if errors.As(err, &verr) {
		errs := map[string]string{}
		for k, v := range verr {
			errs[prefix+k] = v
		}
		s.renderMeetingPage(w, r, http.StatusUnprocessableEntity, d, templates.Form{Values: values, Errors: errs})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, done)
	http.Redirect(w, r, meetingPath(d.Agreement.ID, d.Meeting.ID), http.StatusSeeOther)
}

func (s *Server) handleMeetingAgendaAdd(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, "agenda_text")
	_, err = s.meetings.AddAgendaPoint(r.Context(), actorOf(r), d.Agreement.ID, d.Meeting.ID, values["agenda_text"])
	s.finishMeetingForm(w, r, d, values, "agenda_", err, "Punkten lades till på dagordningen.")
}

func (s *Server) handleMeetingDecisionAdd(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, "decision_text")
	dec, err := s.meetings.AddDecision(r.Context(), actorOf(r), d.Agreement.ID, d.Meeting.ID, values["decision_text"])
	s.finishMeetingForm(w, r, d, values, "decision_", err, "Beslut "+strconv.Itoa(dec.Number)+" lades till.")
}

func (s *Server) handleMeetingActionItemAdd(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, "item_text", "item_owner_party", "item_owner", "item_due_on")
	in := partnership.ActionItem{Text: values["item_text"], OwnerName: values["item_owner"]}
	verr := partnership.ValidationError{}
	if v := strings.TrimSpace(values["item_owner_party"]); v != "" {
		id, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil {
			verr.Add("owner_party", "Välj en part i listan.")
		}
		in.OwnerPartyID = &id
	}
	if v := strings.TrimSpace(values["item_due_on"]); v != "" {
		due, perr := time.Parse(time.DateOnly, v)
		if perr != nil {
			verr.Add("due_on", "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2024-04-01.")
		}
		in.DueOn = &due
	}
	validationOf(verr, in.Validate(d.Agreement.Parties))
	if len(verr) > 0 {
		s.finishMeetingForm(w, r, d, values, "item_", verr, "")
		return
	}
	_, err = s.meetings.AddActionItem(r.Context(), actorOf(r), d.Agreement.ID, d.Meeting.ID, in)
	s.finishMeetingForm(w, r, d, values, "item_", err, "Åtgärden lades till.")
}

func (s *Server) handleMeetingActionItemDone(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	itemID, err := urlID(r, "itemID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.meetings.MarkActionItemDone(r.Context(), actorOf(r), d.Agreement.ID, d.Meeting.ID, itemID)
	s.finishMeetingForm(w, r, d, nil, "item_", err, "Åtgärden är markerad som klar.")
}
