package server

import (
	"fmt"
	"net/http"
	"strconv"

	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/templates"
)

// portfolioExports are the downloads of a year's portfolio report and its
// open data.
func portfolioExports(year int) (exports, openData []templates.ExportLinkVM) {
	base := portfolioPath(year)
	exports = []templates.ExportLinkVM{
		{Label: "Ladda ner portföljrapporten som PDF", URL: base + "/portfolio.pdf", ID: "portfolio-pdf"},
		{Label: "Ladda ner som Excel", URL: base + "/portfolio.xlsx", ID: "portfolio-xlsx"},
		{Label: "Ladda ner som CSV", URL: base + "/portfolio.csv", ID: "portfolio-csv"},
	}
	openData = []templates.ExportLinkVM{
		{Label: "Bidrag som JSON (360Giving)", URL: base + "/grants.json", ID: "grants-json"},
		{Label: "Bidrag som CSV (360Giving)", URL: base + "/grants.csv", ID: "grants-csv"},
	}
	return exports, openData
}

// renderPortfolio shows the portfolio of the route's year with status; form
// holds the summary form's values (nil: the stored summary) and errors; on
// a conflict its version becomes the current one.
func (s *Server) renderPortfolio(w http.ResponseWriter, r *http.Request, status int, form *templates.Form, conflict string) {
	year, err := urlYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := actorOf(r)
	p, err := s.annualReports().Portfolio(r.Context(), actor, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures, err := s.reportFigures().Portfolio(r.Context(), actor, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures = disclosedFor(actor.Role, figures)
	vm := templates.PortfolioVM{
		Base: s.base(r, fmt.Sprintf("Portföljrapport %d", year)), Year: strconv.Itoa(year),
		Rows: reportRowVMs(p.Rows, year), Counts: reportCounts(p.Rows), Summary: p.Summary.Summary,
		MayEdit: annualreport.MaySaveSummary(actor.Role), Conflict: conflict, Figures: figures,
		FiguresNote: figuresNote(false, figures),
	}
	vm.Exports, vm.OpenData = portfolioExports(year)
	if p.Summary.UpdatedAt != nil {
		at := formatDateTime(p.Summary.UpdatedAt, "")
		vm.SummaryInfo = "Senast ändrad " + stepInfo(&at, p.Summary.UpdatedByName)
	}
	if form != nil {
		vm.Form = *form
		if conflict != "" { // saving again writes over the other change
			vm.Form.Values["version"] = strconv.Itoa(p.Summary.Version)
		}
	} else {
		vm.Form = templates.Form{Values: map[string]string{
			"summary": p.Summary.Summary, "version": strconv.Itoa(p.Summary.Version)}}
	}
	s.render(w, r, status, templates.PortfolioPage(vm))
}

func (s *Server) handlePortfolioShow(w http.ResponseWriter, r *http.Request) {
	s.renderPortfolio(w, r, http.StatusOK, nil, "")
}

// handlePortfolioSummarySave saves the officer's summary; a summary
// changed meanwhile is shown again (409) with the user's text and the
// current version, so that saving again writes over the other change.
func (s *Server) handlePortfolioSummarySave(w http.ResponseWriter, r *http.Request) {
	year, err := urlYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	summary := r.PostForm.Get("summary")
	_, err = s.annualReports().SaveSummary(r.Context(), actorOf(r), year, formVersion(r), summary)
	if isConflict(err) {
		s.renderPortfolio(w, r, http.StatusConflict, &templates.Form{Values: map[string]string{"summary": summary}},
			"Någon annan ändrade sammanfattningen under tiden. Formuläret visar din text; spara igen för att skriva över den andra ändringen.")
		return
	}
	verr := partnership.ValidationError{}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderPortfolio(w, r, http.StatusUnprocessableEntity, &templates.Form{Values: map[string]string{
			"summary": summary, "version": r.PostForm.Get("version")}, Errors: verr}, "")
		return
	}
	s.flash(r, fmt.Sprintf("Sammanfattningen av portföljen %d sparades.", year))
	http.Redirect(w, r, portfolioPath(year), http.StatusSeeOther)
}
