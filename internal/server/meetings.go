package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"iop/internal/meeting"
	"iop/internal/partnership"
	"iop/templates"
)

func meetingsPath(agreementID int64) string {
	return "/agreements/" + strconv.FormatInt(agreementID, 10) + "/meetings"
}

func meetingPath(agreementID, meetingID int64) string {
	return meetingsPath(agreementID) + "/" + strconv.FormatInt(meetingID, 10)
}

// requirementVMs are the lines of the yearly requirement of dialogue meetings.
func requirementVMs(reqs []partnership.DialogueRequirement) []templates.RequirementVM {
	out := make([]templates.RequirementVM, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, templates.RequirementVM{Text: r.String(), Met: r.Met()})
	}
	return out
}

// meetingRequirements are the lines of the agreement page on how the
// yearly requirement of dialogue meetings stands.
func (s *Server) meetingRequirements(r *http.Request, agreementID int64) ([]templates.RequirementVM, error) {
	o, err := s.meetings.List(r.Context(), actorOf(r), agreementID)
	if err != nil {
		return nil, err
	}
	return requirementVMs(o.Requirements), nil
}

func (s *Server) handleMeetingList(w http.ResponseWriter, r *http.Request) {
	id, err := s.agreementID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.meetings.List(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := s.agreementToday()
	vm := templates.MeetingListVM{
		Base: s.base(r, "Möten – "+o.Agreement.Title), AgreementID: id, AgreementTitle: o.Agreement.Title,
		Requirements: requirementVMs(o.Requirements),
	}
	if meeting.MayManage(currentUser(r).Role) {
		vm.NewURL = meetingsPath(id) + "/new"
	}
	for _, m := range o.Meetings {
		vm.Rows = append(vm.Rows, templates.MeetingRowVM{URL: meetingPath(id, m.ID), Date: meetingDate(m),
			Kind: m.Kind.Label(), Place: m.Place, Attendees: len(m.Attendees), Held: m.Held(today)})
	}
	s.render(w, r, http.StatusOK, templates.MeetingListPage(vm))
}

// renderMeetingForm shows the form of a new meeting (id 0) or of the
// meeting id, with status.
func (s *Server) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, id int64, form url.Values, errs map[string]string) {
	values := map[string]string{}
	for _, f := range meetingFields {
		values[f] = form.Get(f)
	}
	vm := templates.MeetingFormVM{
		AgreementID: a.ID, AgreementTitle: a.Title, MeetingID: id,
		Form: templates.Form{Values: values, Errors: errs}, Kinds: meetingKindOptions(values["kind"]),
		Parties: meetingPartyVMs(a.Parties, form),
	}
	if id == 0 {
		vm.Heading, vm.Action, vm.Cancel = "Nytt möte", meetingsPath(a.ID), meetingsPath(a.ID)
	} else {
		vm.Heading, vm.Action, vm.Cancel = "Ändra mötet", meetingPath(a.ID, id), meetingPath(a.ID, id)
	}
	vm.Base = s.base(r, vm.Heading+" – "+a.Title)
	s.render(w, r, status, templates.MeetingFormPage(vm))
}

func (s *Server) handleMeetingNew(w http.ResponseWriter, r *http.Request) {
	id, err := s.agreementID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.meetings.List(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := url.Values{"kind": {string(partnership.MeetingDialogue)}, "held_on": {s.agreementToday().Format(time.DateOnly)}}
	s.renderMeetingForm(w, r, http.StatusOK, o.Agreement, 0, form, nil)
}

func (s *Server) handleMeetingCreate(w http.ResponseWriter, r *http.Request) {
	id, err := s.agreementID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.meetings.List(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, _, verr := parseMeetingForm(r.PostForm, o.Agreement.Parties)
	var created partnership.Meeting
	if len(verr) == 0 {
		created, err = s.meetings.Create(r.Context(), actorOf(r), id, m)
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, o.Agreement, 0, r.PostForm, verr)
		return
	}
	s.flash(r, fmt.Sprintf("%s %s sparades.", created.Kind.Label(), meetingDate(created)))
	http.Redirect(w, r, meetingPath(id, created.ID), http.StatusSeeOther)
}

// loadMeeting reads the agreement's meeting of the route for the user.
func (s *Server) loadMeeting(r *http.Request) (meeting.Detail, error) {
	id, err := s.agreementID(r)
	if err != nil {
		return meeting.Detail{}, err
	}
	meetingID, err := urlID(r, "meetingID")
	if err != nil {
		return meeting.Detail{}, err
	}
	return s.meetings.Get(r.Context(), actorOf(r), id, meetingID)
}

func (s *Server) handleMeetingEdit(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderMeetingForm(w, r, http.StatusOK, d.Agreement, d.Meeting.ID, meetingFormValues(d.Meeting, d.Agreement.Parties), nil)
}

// handleMeetingUpdate saves an edit. An edit based on an older version is
// shown again with the user's input and 409, carrying the current
// version, so that sending it again saves over the other change.
func (s *Server) handleMeetingUpdate(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, _, verr := parseMeetingForm(r.PostForm, d.Agreement.Parties)
	m.ID = d.Meeting.ID
	var updated partnership.Meeting
	if len(verr) == 0 {
		updated, err = s.meetings.Update(r.Context(), actorOf(r), d.Agreement.ID, m)
	}
	if isConflict(err) {
		form := url.Values{}
		for k, v := range r.PostForm {
			form[k] = v
		}
		form.Set("version", strconv.Itoa(d.Meeting.Version))
		s.renderMeetingForm(w, r, http.StatusConflict, d.Agreement, m.ID, form, map[string]string{
			"version": "Mötet ändrades av någon annan under tiden. Formuläret visar dina uppgifter; spara igen för att skriva över den andra ändringen."})
		return
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, d.Agreement, m.ID, r.PostForm, verr)
		return
	}
	s.flash(r, fmt.Sprintf("Ändringarna av %s %s sparades.", updated.Kind.Label(), meetingDate(updated)))
	http.Redirect(w, r, meetingPath(d.Agreement.ID, m.ID), http.StatusSeeOther)
}

func (s *Server) handleMeetingDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadMeeting(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := d.Meeting
	s.render(w, r, http.StatusOK, templates.ConfirmPage(templates.ConfirmVM{
		Base: s.base(r, "Ta bort mötet"), Heading: "Ta bort mötet",
		Text: fmt.Sprintf("Vill du ta bort %s %s från %s? Dagordningen, protokollet, %d beslut och %d åtgärder tas bort med mötet.",
			m.Kind.Label(), meetingDate(m), d.Agreement.Title, len(m.Decisions), len(m.ActionItems)),
		Action: meetingPath(d.Agreement.ID, m.ID) + "/delete", Confirm: "Ta bort mötet",
		Cancel: meetingPath(d.Agreement.ID, m.ID),
	}))
}

func (s *Server) handleMeetingDelete(w http.ResponseWriter, r *http.Request) {
	id, err := s.agreementID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	meetingID, err := urlID(r, "meetingID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deleted, err := s.meetings.Delete(r.Context(), actorOf(r), id, meetingID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("%s %s togs bort.", deleted.Kind.Label(), meetingDate(deleted)))
	http.Redirect(w, r, meetingsPath(id), http.StatusSeeOther)
}
