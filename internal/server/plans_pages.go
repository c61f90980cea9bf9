package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/templates"
)

func (s *Server) handlePlanOverdueGoals(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	goals, err := s.plans.OverdueGoals(r.Context(), actorOf(r), ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.OverdueGoalsVM{Base: s.base(r, "Försenade uppföljningar – "+ag.Title), AgreementID: ag.ID,
		AgreementTitle: ag.Title, Today: s.plans.Today().Format(time.DateOnly)}
	for _, o := range goals {
		vm.Rows = append(vm.Rows, templates.OverdueGoalRow{Code: o.ParticipantCode, URL: participantPath(ag.ID, o.Goal.ParticipantID),
			Term: o.Goal.Term.Label(), Text: o.Goal.Text, FollowUpOn: o.Goal.FollowUpOn.Format(time.DateOnly)})
	}
	s.render(w, r, http.StatusOK, templates.OverdueGoalsPage(vm))
}

// stepModelPath is the address of an agreement's step model page.
func stepModelPath(agreementID int64) string {
	return "/agreements/" + strconv.FormatInt(agreementID, 10) + "/step-model"
}

// dimensionField is the form field of a stored dimension's name.
func dimensionField(id int64) string { return "dim_" + strconv.FormatInt(id, 10) }

func (s *Server) renderStepModel(w http.ResponseWriter, r *http.Request, status int, ag partnership.Agreement, form templates.Form) {
	m, err := s.plans.Model(r.Context(), actorOf(r), ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if form.Values == nil {
		form.Values = map[string]string{"name": m.Name, "scale_min": strconv.Itoa(m.ScaleMin), "scale_max": strconv.Itoa(m.ScaleMax)}
		for _, d := range m.Dimensions {
			if d.ID > 0 {
				form.Values[dimensionField(d.ID)] = d.Name
			}
		}
		if len(m.Dimensions) > 0 && m.Dimensions[0].ID <= 0 {
			// The default is not stored yet: its dimensions are offered as new ones.
			var names []string
			for _, d := range m.Dimensions {
				names = append(names, d.Name)
			}
			form.Values["new_dimensions"] = strings.Join(names, "\n")
		}
	}
	vm := templates.StepModelVM{Base: s.base(r, "Stegmodell – "+ag.Title), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Action: stepModelPath(ag.ID), Assessed: m.Assessed, Form: form}
	for i, d := range m.Dimensions {
		if d.ID > 0 {
			vm.Dimensions = append(vm.Dimensions, templates.DimensionInput{Field: dimensionField(d.ID), Label: "Dimension " + strconv.Itoa(i+1)})
		}
	}
	s.render(w, r, status, templates.StepModelPage(vm))
}

func (s *Server) handleStepModelShow(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderStepModel(w, r, http.StatusOK, ag, templates.Form{})
}

func (s *Server) handleStepModelUpdate(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	current, err := s.plans.Model(r.Context(), actorOf(r), ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fields := []string{"name", "scale_min", "scale_max", "new_dimensions"}
	for _, d := range current.Dimensions {
		if d.ID > 0 {
			fields = append(fields, dimensionField(d.ID))
		}
	}
	values := postedValues(r, fields...)
	verr := partnership.ValidationError{}
	next := partnership.StepModel{Name: values["name"]}
	var errMin, errMax error
	next.ScaleMin, errMin = strconv.Atoi(strings.TrimSpace(values["scale_min"]))
	next.ScaleMax, errMax = strconv.Atoi(strings.TrimSpace(values["scale_max"]))
	if errMin != nil || errMax != nil {
		verr.Add("scale", partnership.MsgStepScale)
	}
	for _, d := range current.Dimensions {
		if d.ID > 0 && strings.TrimSpace(values[dimensionField(d.ID)]) != "" {
			next.Dimensions = append(next.Dimensions, partnership.Dimension{ID: d.ID, Name: values[dimensionField(d.ID)]})
		}
	}
	for _, line := range strings.Split(values["new_dimensions"], "\n") {
		if name := strings.TrimSpace(line); name != "" {
			next.Dimensions = append(next.Dimensions, partnership.Dimension{Name: name})
		}
	}
	if len(verr) == 0 {
		_, err = s.plans.ConfigureModel(r.Context(), actorOf(r), ag.ID, next)
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderStepModel(w, r, http.StatusUnprocessableEntity, ag, templates.Form{Values: values, Errors: verr})
		return
	}
	s.flash(r, "Stegmodellen sparades.")
	http.Redirect(w, r, stepModelPath(ag.ID), http.StatusSeeOther)
}

// stepSharesVM is the participant list's step progression per year, with
// links to the overdue goals (staff) and the model (officers).
func (s *Server) stepSharesVM(r *http.Request, ag partnership.Agreement) (templates.StepSharesVM, error) {
	ctx, actor := r.Context(), actorOf(r)
	m, err := s.plans.Model(ctx, actor, ag.ID)
	if err != nil {
		return templates.StepSharesVM{}, err
	}
	vm := templates.StepSharesVM{ModelName: m.Name}
	shares, err := s.plans.SharesMoved(ctx, actor, ag.ID)
	if err != nil {
		return vm, err
	}
	for _, sh := range shares {
		row := templates.StepShareRow{Year: strconv.Itoa(sh.Year), Assessed: strconv.Itoa(sh.Assessed), Moved: strconv.Itoa(sh.Moved), Share: "–"}
		if sh.Assessed > 0 {
			row.Share = strconv.Itoa((sh.Moved*100+sh.Assessed/2)/sh.Assessed) + " %"
		}
		vm.Rows = append(vm.Rows, row)
	}
	if partnership.MayManageParticipants(actor, ag.PartyOrganisations()) {
		vm.OverdueURL = "/agreements/" + strconv.FormatInt(ag.ID, 10) + "/goals/overdue"
	}
	if actor.Role == partnership.RoleOfficer || actor.Role == partnership.RoleAdmin {
		vm.ModelURL = stepModelPath(ag.ID)
	}
	return vm, nil
}
