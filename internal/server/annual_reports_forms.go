package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

var narrativeFieldNames = []string{"activities", "results", "lessons", "challenges", "next_year"}

// renderReportForm shows the narrative form of the report d with status;
// values hold the text shown (the user's on a failed save) and the
// version the form is based on.
func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, d annualreport.Detail,
	values map[string]string, errs map[string]string, conflict string) {
	heading := fmt.Sprintf("Årsrapport %d", d.Year)
	url := annualReportPath(d.Agreement.ID, d.Year)
	vm := templates.AnnualReportFormVM{
		Base:        s.base(r, heading+" – "+d.Agreement.Title),
		AgreementID: d.Agreement.ID, AgreementTitle: d.Agreement.Title, Heading: heading,
		Action: url, SubmitAction: url + "/submit", Cancel: url,
		Form:     templates.Form{Values: values, Errors: errs},
		Returned: d.State() == annualreport.Returned, Conflict: conflict,
	}
	s.render(w, r, status, templates.AnnualReportFormPage(vm))
}

// loadReportForWrite reads the report of the route for the user, refusing
// (403 or 409) a user or state that does not allow writing the narrative.
func (s *Server) loadReportForWrite(r *http.Request) (annualreport.Detail, error) {
	id, year, err := agreementAndYear(r)
	if err != nil {
		return annualreport.Detail{}, err
	}
	actor := actorOf(r)
	if err := annualreport.Check(actor.Role, annualreport.Draft, annualreport.ActSave); err != nil {
		return annualreport.Detail{}, err
	}
	d, err := s.annualReports().Get(r.Context(), actor, id, year)
	if err != nil {
		return annualreport.Detail{}, err
	}
	return d, annualreport.Check(actor.Role, d.State(), annualreport.ActSave)
}

func (s *Server) handleAnnualReportEdit(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadReportForWrite(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := annualreport.NarrativeValues(d.Report.Narrative)
	values["version"] = strconv.Itoa(d.Report.Version)
	s.renderReportForm(w, r, http.StatusOK, d, values, nil, "")
}

func (s *Server) handleAnnualReportSave(w http.ResponseWriter, r *http.Request) {
	s.writeReport(w, r, false)
}

func (s *Server) handleAnnualReportSubmit(w http.ResponseWriter, r *http.Request) {
	s.writeReport(w, r, true)
}

// writeReport saves the posted narrative as a draft or submits it. A
// failed field shows the form again (422) with the user's text; a report
// changed meanwhile shows it again (409) with the user's text and the
// current version, so that saving again writes over the other change.
func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, submit bool) {
	d, err := s.loadReportForWrite(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, narrativeFieldNames...)
	values["version"] = r.PostForm.Get("version")
	n := annualreport.NarrativeOf(values)
	svc, actor := s.annualReports(), actorOf(r)
	var saved postgres.AnnualReport
	if submit {
		saved, err = svc.Submit(r.Context(), actor, d.Agreement.ID, d.Year, formVersion(r), n)
	} else {
		saved, err = svc.SaveDraft(r.Context(), actor, d.Agreement.ID, d.Year, formVersion(r), n)
	}
	if isConflict(err) {
		values["version"] = strconv.Itoa(d.Report.Version)
		s.renderReportForm(w, r, http.StatusConflict, d, values, nil,
			"Någon annan sparade rapporten medan du skrev. Formuläret visar din text; spara igen för att skriva över den andra ändringen.")
		return
	}
	verr := partnership.ValidationError{}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderReportForm(w, r, http.StatusUnprocessableEntity, d, values, verr, "")
		return
	}
	if submit {
		s.flash(r, fmt.Sprintf("Årsrapporten för %d lämnades in till kommunen.", saved.Year))
	} else {
		s.flash(r, fmt.Sprintf("Utkastet till årsrapporten för %d sparades.", saved.Year))
	}
	http.Redirect(w, r, annualReportPath(d.Agreement.ID, d.Year), http.StatusSeeOther)
}

// reportStep is approving or returning a report, confirmed on a page of
// its own.
type reportStep struct {
	path, heading, confirm string
	text                   []string // %d is the year
	comment                bool
}

var (
	approveReportStep = reportStep{
		path: "/approve", heading: "Godkänn årsrapport %d", confirm: "Godkänn rapporten",
		text: []string{
			"När rapporten godkänns sparas dess siffror som de är nu: rapportens sidor och nedladdningar visar sedan alltid dem.",
			"Året %d låses samtidigt för överenskommelsen: aktiviteter, budgetens belopp och indexeringen för året kan inte längre ändras.",
		},
	}
	returnReportStep = reportStep{
		path: "/return", heading: "Återsänd årsrapport %d", confirm: "Återsänd rapporten", comment: true,
		text: []string{"Rapporten går tillbaka till föreningen, som kompletterar den och lämnar in den igen. Skriv vad som behöver kompletteras."},
	}
)

// renderReportStep shows the confirmation of step for the report d.
func (s *Server) renderReportStep(w http.ResponseWriter, r *http.Request, status int, d annualreport.Detail, step reportStep,
	version string, form templates.Form) {
	heading := fmt.Sprintf(step.heading, d.Year)
	vm := templates.ReportStepVM{
		Base: s.base(r, heading+" – "+d.Agreement.Title), Heading: heading + " – " + d.Agreement.Title,
		Action: annualReportPath(d.Agreement.ID, d.Year) + step.path, Version: version, Confirm: step.confirm,
		Cancel: annualReportPath(d.Agreement.ID, d.Year), Comment: step.comment, Form: form,
	}
	for _, t := range step.text {
		if strings.Contains(t, "%d") {
			t = fmt.Sprintf(t, d.Year)
		}
		vm.Text = append(vm.Text, t)
	}
	s.render(w, r, status, templates.ReportStepPage(vm))
}

// loadReportForReview reads the report of the route for a step of the
// review, refusing (403 or 409) a user or state that does not allow it.
func (s *Server) loadReportForReview(r *http.Request, act annualreport.Action) (annualreport.Detail, error) {
	id, year, err := agreementAndYear(r)
	if err != nil {
		return annualreport.Detail{}, err
	}
	actor := actorOf(r)
	if err := annualreport.Check(actor.Role, annualreport.Submitted, act); err != nil {
		return annualreport.Detail{}, err
	}
	d, err := s.annualReports().Get(r.Context(), actor, id, year)
	if err != nil {
		return annualreport.Detail{}, err
	}
	return d, annualreport.Check(actor.Role, d.State(), act)
}

func (s *Server) confirmReportStep(w http.ResponseWriter, r *http.Request, act annualreport.Action, step reportStep) {
	d, err := s.loadReportForReview(r, act)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderReportStep(w, r, http.StatusOK, d, step, strconv.Itoa(d.Report.Version), templates.Form{})
}

func (s *Server) handleAnnualReportApproveConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmReportStep(w, r, annualreport.ActApprove, approveReportStep)
}

func (s *Server) handleAnnualReportReturnConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmReportStep(w, r, annualreport.ActReturn, returnReportStep)
}

func (s *Server) handleAnnualReportApprove(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadReportForReview(r, annualreport.ActApprove)
	if err == nil {
		_, err = s.annualReports().Approve(r.Context(), actorOf(r), d.Agreement.ID, d.Year, formVersion(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Årsrapporten för %d godkändes. Siffrorna är sparade och året är låst.", d.Year))
	http.Redirect(w, r, annualReportPath(d.Agreement.ID, d.Year), http.StatusSeeOther)
}

func (s *Server) handleAnnualReportReturn(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadReportForReview(r, annualreport.ActReturn)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := r.PostForm.Get("comment")
	_, err = s.annualReports().Return(r.Context(), actorOf(r), d.Agreement.ID, d.Year, formVersion(r), body)
	verr := partnership.ValidationError{}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderReportStep(w, r, http.StatusUnprocessableEntity, d, returnReportStep, r.PostForm.Get("version"),
			templates.Form{Values: map[string]string{"comment": body}, Errors: verr})
		return
	}
	s.flash(r, fmt.Sprintf("Årsrapporten för %d återsändes till föreningen.", d.Year))
	http.Redirect(w, r, annualReportPath(d.Agreement.ID, d.Year), http.StatusSeeOther)
}
