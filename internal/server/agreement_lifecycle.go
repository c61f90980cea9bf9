package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"iop/internal/partnership"
	"iop/templates"
)

func (s *Server) handleAgreementActivate(w http.ResponseWriter, r *http.Request) {
	current, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	saved, err := s.changeAgreement(r, current.ID, formVersion(r), "agreement.activate", func(a *partnership.Agreement) (map[string]any, error) {
		if err := a.Activate(); err != nil {
			return nil, err
		}
		return map[string]any{}, nil
	})
	var aerr *partnership.ActivationError
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &aerr):
		s.renderAgreement(w, r, http.StatusUnprocessableEntity, current, aerr.Missing, false)
	case errors.As(err, &verr):
		s.renderAgreement(w, r, http.StatusUnprocessableEntity, current, []string{verr["status"]}, false)
	case isConflict(err):
		s.reshowAgreementAfterConflict(w, r, current.ID)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.flash(r, fmt.Sprintf("Överenskommelsen %s är aktiverad.", saved.Title))
		http.Redirect(w, r, agreementPath(saved.ID), http.StatusSeeOther)
	}
}

// reshowAgreementAfterConflict shows the agreement as it is now, saying
// that the action was not carried out because someone else changed it.
func (s *Server) reshowAgreementAfterConflict(w http.ResponseWriter, r *http.Request, id int64) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderAgreement(w, r, http.StatusConflict, a, nil, true)
}

// extensionTerms describes what the agreement allows, next to the form.
func extensionTerms(a partnership.Agreement) []templates.AgreementFact {
	facts := agreementValidity(a)[2:]
	if end := a.CurrentEnd(); end != nil && a.ExtensionsLeft() > 0 {
		latest := partnership.AddMonths(*end, a.ExtensionMonths)
		facts = append(facts, templates.AgreementFact{Label: "Senast möjliga nya slutdatum", Value: agreementDate(&latest), TestID: "latest-end"})
	}
	return facts
}

func (s *Server) renderExtensionForm(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, form templates.Form, conflict bool) {
	s.render(w, r, status, templates.AgreementExtensionFormPage(templates.AgreementExtensionFormVM{
		Base: s.base(r, "Registrera förlängning"), AgreementID: a.ID, AgreementTitle: a.Title,
		Terms: extensionTerms(a), Form: form, Conflict: conflict,
	}))
}

func (s *Server) handleAgreementExtensionNew(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderExtensionForm(w, r, http.StatusOK, a, templates.Form{Values: map[string]string{"version": fmt.Sprint(a.Version)}}, false)
}

func (s *Server) handleAgreementExtensionCreate(w http.ResponseWriter, r *http.Request) {
	current, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, "version", "decided_on", "decision_ref", "new_end_date")
	verr := partnership.ValidationError{}
	e := partnership.Extension{DecisionRef: strings.TrimSpace(values["decision_ref"])}
	if d := formDate(values, "decided_on", verr); d != nil {
		e.DecidedOn = *d
	}
	if d := formDate(values, "new_end_date", verr); d != nil {
		e.NewEndDate = *d
	}
	form := templates.Form{Values: values, Errors: verr}
	if staleForm(r, current, values) {
		s.renderExtensionForm(w, r, http.StatusConflict, current, form, true)
		return
	}
	// The rules are checked on a copy first, so that every problem is
	// reported together with the fields that did not parse.
	check := current
	validationOf(verr, check.AddExtension(e))
	if len(verr) > 0 {
		s.renderExtensionForm(w, r, http.StatusUnprocessableEntity, current, form, false)
		return
	}
	saved, err := s.changeAgreement(r, current.ID, formVersion(r), "agreement.extend", func(a *partnership.Agreement) (map[string]any, error) {
		if err := a.AddExtension(e); err != nil {
			return nil, err
		}
		return map[string]any{"decided_on": agreementDate(&e.DecidedOn), "decision_ref": e.DecisionRef,
			"new_end_date": agreementDate(&e.NewEndDate)}, nil
	})
	s.finishAgreementChange(w, r, current.ID, err, values, verr, func(status int, conflict bool) {
		s.renderExtensionForm(w, r, status, current, form, conflict)
	}, func() string {
		return fmt.Sprintf("Förlängningen registrerades. Överenskommelsen gäller nu till och med %s.", agreementDate(saved.CurrentEnd()))
	})
}

func (s *Server) renderTerminateForm(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, form templates.Form, conflict bool) {
	kinds := []templates.Option{{Value: "", Label: "Välj typ", Selected: form.Value("termination_kind") == ""}}
	for _, k := range []partnership.TerminationKind{partnership.TerminationNotice, partnership.TerminationRescission} {
		kinds = append(kinds, templates.Option{Value: string(k), Label: k.Label(), Selected: form.Value("termination_kind") == string(k)})
	}
	s.render(w, r, status, templates.AgreementTerminatePage(templates.AgreementTerminateVM{
		Base: s.base(r, "Säg upp eller häv"), AgreementID: a.ID, AgreementTitle: a.Title,
		Kinds: kinds, Form: form, Conflict: conflict,
	}))
}

func (s *Server) handleAgreementTerminateForm(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderTerminateForm(w, r, http.StatusOK, a, templates.Form{Values: map[string]string{"version": fmt.Sprint(a.Version)}}, false)
}

func (s *Server) handleAgreementTerminate(w http.ResponseWriter, r *http.Request) {
	current, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, "version", "terminated_on", "termination_kind", "termination_reason", "termination_settlement", "confirm")
	verr := partnership.ValidationError{}
	t := partnership.Termination{
		Kind:   partnership.TerminationKind(values["termination_kind"]),
		Reason: strings.TrimSpace(values["termination_reason"]), Settlement: strings.TrimSpace(values["termination_settlement"]),
	}
	if d := formDate(values, "terminated_on", verr); d != nil {
		t.On = *d
	}
	form := templates.Form{Values: values, Errors: verr}
	if staleForm(r, current, values) {
		s.renderTerminateForm(w, r, http.StatusConflict, current, form, true)
		return
	}
	check := current
	validationOf(verr, check.Terminate(t))
	if values["confirm"] != "yes" {
		verr.Add("confirm", "Bekräfta att överenskommelsen ska upphöra.")
	}
	if len(verr) > 0 {
		s.renderTerminateForm(w, r, http.StatusUnprocessableEntity, current, form, false)
		return
	}
	_, err = s.changeAgreement(r, current.ID, formVersion(r), "agreement.terminate", func(a *partnership.Agreement) (map[string]any, error) {
		if err := a.Terminate(t); err != nil {
			return nil, err
		}
		return map[string]any{"kind": t.Kind.Label(), "on": agreementDate(&t.On)}, nil
	})
	s.finishAgreementChange(w, r, current.ID, err, values, verr, func(status int, conflict bool) {
		s.renderTerminateForm(w, r, status, current, form, conflict)
	}, func() string {
		done := "uppsagd"
		if t.Kind == partnership.TerminationRescission {
			done = "hävd"
		}
		return fmt.Sprintf("Överenskommelsen är %s och upphör %s.", done, agreementDate(&t.On))
	})
}
