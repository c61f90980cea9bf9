package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"iop/internal/followup"
	"iop/internal/partnership"
	"iop/templates"
)

// followUps is the follow-up service on the server's database and clock.
// It holds nothing else, so it is made where it is used.
func (s *Server) followUps() *followup.Service { return followup.NewService(s.db, s.now) }

func followUpsPath(agreementID int64) string { return agreementPath(agreementID) + "/followups" }

// followUpFields are the fields of a follow-up's record form.
var followUpFields = []string{"done_on", "destination", "self_supporting", "note"}

// followUpSectionVM is the participant page's follow-up section; a failed
// record form's values and errors come in forms under "followup-<id>".
func (s *Server) followUpSectionVM(r *http.Request, ag partnership.Agreement, p partnership.Participant, forms map[string]templates.Form) (templates.FollowUpSectionVM, error) {
	actor, today := actorOf(r), s.agreementToday()
	parties := ag.PartyOrganisations()
	vm := templates.FollowUpSectionVM{
		Exited:    p.ExitedOn != nil,
		MayRecord: partnership.MayManageParticipants(actor, parties),
		MayNote:   partnership.MaySeeIdentity(actor, p, parties),
	}
	list, err := s.followUps().ForParticipant(r.Context(), actor, p.ID)
	if err != nil {
		return vm, err
	}
	for _, f := range list {
		id := strconv.FormatInt(f.ID, 10)
		row := templates.FollowUpRow{
			ID: id, Months: strconv.Itoa(f.Months), DueOn: f.DueOn.Format(time.DateOnly), Overdue: f.Overdue(today),
			DoneOn: day(f.DoneOn), Note: f.Note,
			RecordURL: participantPath(ag.ID, p.ID) + "/followups/" + id,
		}
		if f.Recorded() {
			row.Destination, row.SelfSupporting = f.Destination.Label(), f.SelfSupporting.Label()
		}
		form, failed := forms["followup-"+id]
		if !failed {
			form = templates.Form{Values: map[string]string{"done_on": today.Format(time.DateOnly)}}
			if f.Recorded() {
				form.Values = map[string]string{"done_on": day(f.DoneOn), "destination": string(f.Destination),
					"self_supporting": string(f.SelfSupporting), "note": f.Note}
			}
		}
		row.Form = form
		row.Destinations = enumOptions(partnership.ExitDestinations, partnership.ExitDestination.Label, form.Value("destination"), "Välj")
		row.Supports = enumOptions(partnership.SelfSupportings, partnership.SelfSupporting.Label, form.Value("self_supporting"), "Välj")
		vm.Rows = append(vm.Rows, row)
	}
	return vm, nil
}

func (s *Server) handleFollowUpRecord(w http.ResponseWriter, r *http.Request) {
	followUpID, err := urlID(r, "followUpID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := "followup-" + strconv.FormatInt(followUpID, 10)
	s.participantStep(w, r, form, followUpFields, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "done_on", verr)
		dest, ok := partnership.ParseExitDestination(v["destination"])
		if !ok {
			verr.Add("destination", partnership.MsgFollowUpDestination)
		}
		support := partnership.SelfSupporting(v["self_supporting"])
		if len(verr) > 0 {
			return "", nil
		}
		f, err := s.followUps().Record(r.Context(), actorOf(r), p.ID, followUpID, partnership.FollowUpOutcome{
			DoneOn: *on, Destination: dest, SelfSupporting: support, Note: v["note"],
		})
		return "Uppföljningen efter " + strconv.Itoa(f.Months) + " månader av " + p.Code + " är sparad.", err
	})
}

// followUpSharesVM is the participant list's share self-supporting after
// the exit, with the overdue count and the schedule.
func (s *Server) followUpSharesVM(ctx context.Context, actor partnership.Actor, ag partnership.Agreement) (templates.FollowUpSharesVM, error) {
	svc := s.followUps()
	vm := templates.FollowUpSharesVM{AgreementID: ag.ID}
	shares, err := svc.SelfSupportingShare(ctx, actor, ag.ID)
	if err != nil {
		return vm, err
	}
	for _, sh := range shares {
		vm.Rows = append(vm.Rows, templates.FollowUpShareRow{
			ExitYear: strconv.Itoa(sh.ExitYear), Months: strconv.Itoa(sh.Months), Share: sh.String(),
		})
	}
	months, err := svc.Schedule(ctx, actor, ag.ID)
	if err != nil {
		return vm, err
	}
	vm.Schedule = partnership.FormatFollowUpMonths(months)
	if actor.Role == partnership.RoleCoordinator {
		return vm, nil
	}
	overdue, err := svc.Overdue(ctx, actor, ag.ID)
	if err != nil {
		return vm, err
	}
	vm.Overdue, vm.OverdueURL = len(overdue), followUpsPath(ag.ID)+"/overdue"
	if actor.Role == partnership.RoleOfficer || actor.Role == partnership.RoleAdmin {
		vm.ScheduleURL = followUpsPath(ag.ID) + "/schedule"
	}
	return vm, nil
}

func (s *Server) handleFollowUpOverdue(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.followUps().Overdue(r.Context(), actorOf(r), ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.FollowUpOverdueVM{
		Base: s.base(r, "Försenade uppföljningar – "+ag.Title), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Today: s.agreementToday().Format(time.DateOnly),
	}
	for _, f := range list {
		vm.Rows = append(vm.Rows, templates.OverdueRow{
			Code: f.Code, URL: participantPath(ag.ID, f.ParticipantID), Months: strconv.Itoa(f.Months),
			ExitedOn: f.ExitedOn.Format(time.DateOnly), DueOn: f.DueOn.Format(time.DateOnly),
		})
	}
	s.render(w, r, http.StatusOK, templates.FollowUpOverduePage(vm))
}

func (s *Server) renderFollowUpSchedule(w http.ResponseWriter, r *http.Request, status int, ag partnership.Agreement, form templates.Form) {
	s.render(w, r, status, templates.FollowUpSchedulePage(templates.FollowUpScheduleVM{
		Base: s.base(r, "Uppföljning efter avslut – "+ag.Title), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Action: followUpsPath(ag.ID) + "/schedule", Form: form,
	}))
}

func (s *Server) handleFollowUpScheduleForm(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	months, err := s.followUps().Schedule(r.Context(), actorOf(r), ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderFollowUpSchedule(w, r, http.StatusOK, ag,
		templates.Form{Values: map[string]string{"months": partnership.FormatFollowUpMonths(months)}})
}

func (s *Server) handleFollowUpSchedule(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, "months")
	months, err := partnership.ParseFollowUpMonths(values["months"])
	if err == nil {
		err = s.followUps().ConfigureSchedule(r.Context(), actorOf(r), ag.ID, months)
	}
	verr := partnership.ValidationError{}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderFollowUpSchedule(w, r, http.StatusUnprocessableEntity, ag, templates.Form{Values: values, Errors: verr})
		return
	}
	s.flash(r, "Uppföljning sker nu "+partnership.FormatFollowUpMonths(months)+" månader efter avslutet, för deltagare som avslutas från och med i dag.")
	http.Redirect(w, r, participantsPath(ag.ID), http.StatusSeeOther)
}
