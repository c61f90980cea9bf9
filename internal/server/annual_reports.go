package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/report"
	"iop/templates"
)

// reportFigures computes the figures of annual reports.
func (s *Server) reportFigures() *report.Service { return report.NewService(s.db, s.now) }

// annualReports runs the annual report workflow.
func (s *Server) annualReports() *annualreport.Service {
	return annualreport.NewService(s.db, s.reportFigures(), s.now)
}

func portfolioPath(year int) string { return "/reports/" + strconv.Itoa(year) }

func agreementReportsPath(agreementID int64) string {
	return "/agreements/" + strconv.FormatInt(agreementID, 10) + "/reports"
}

func annualReportPath(agreementID int64, year int) string {
	return agreementReportsPath(agreementID) + "/" + strconv.Itoa(year)
}

// urlYear reads the {year} URL parameter; anything but a plausible year is
// simply not found.
func urlYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(chi.URLParam(r, "year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, partnership.ErrNotFound
	}
	return y, nil
}

// agreementAndYear reads {id} and {year}.
func agreementAndYear(r *http.Request) (int64, int, error) {
	id, err := idParam(r)
	if err != nil {
		return 0, 0, err
	}
	year, err := urlYear(r)
	return id, year, err
}

// reportStateVM is the badge of a report's state.
func reportStateVM(st annualreport.State) templates.ReportStateVM {
	class := map[annualreport.State]string{
		annualreport.NotStarted: "badge-off", annualreport.Draft: "badge-draft",
		annualreport.Submitted: "badge-ended", annualreport.Returned: "badge-terminated",
		annualreport.Approved: "badge-active",
	}[st]
	return templates.ReportStateVM{Label: st.Label(), Class: class}
}

// stepInfo is "2025-03-04 09:12 av Erik Johansson", "" when the step has
// not been taken.
func stepInfo(at *string, by string) string {
	if at == nil {
		return ""
	}
	if by == "" {
		return *at
	}
	return *at + " av " + by
}

func submittedInfo(r postgres.AnnualReport) string {
	if r.SubmittedAt == nil {
		return ""
	}
	at := formatDateTime(r.SubmittedAt, "")
	return stepInfo(&at, r.SubmittedByName)
}

func approvedInfo(r postgres.AnnualReport) string {
	if r.ApprovedAt == nil {
		return ""
	}
	at := formatDateTime(r.ApprovedAt, "")
	return stepInfo(&at, r.ApprovedByName)
}

// reportCounts is "2 av 3 inlämnade, 1 godkänd" for a year's reports.
func reportCounts(rows []annualreport.OverviewRow) string {
	var done, approved int
	for _, r := range rows {
		st := annualreport.State(r.Report.State)
		if st.Done() {
			done++
		}
		if st == annualreport.Approved {
			approved++
		}
	}
	word := "godkända"
	if approved == 1 {
		word = "godkänd"
	}
	return fmt.Sprintf("%d av %d inlämnade, %d %s.", done, len(rows), approved, word)
}

func reportRowVMs(rows []annualreport.OverviewRow, year int) []templates.ReportRowVM {
	out := make([]templates.ReportRowVM, 0, len(rows))
	for _, r := range rows {
		out = append(out, templates.ReportRowVM{
			Title: r.Title, URL: annualReportPath(r.AgreementID, year), Associations: r.Associations,
			State: reportStateVM(annualreport.State(r.Report.State)), Submitted: submittedInfo(r.Report),
			Approved: approvedInfo(r.Report),
		})
	}
	return out
}

func (s *Server) handleReportOverview(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	years, err := s.annualReports().Overview(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.ReportsOverviewVM{Base: s.base(r, "Årsrapporter")}
	for _, y := range years {
		yv := templates.ReportYearVM{Year: strconv.Itoa(y.Year), Counts: reportCounts(y.Rows), Rows: reportRowVMs(y.Rows, y.Year)}
		if annualreport.MayReadPortfolio(actor.Role) {
			yv.PortfolioURL = portfolioPath(y.Year)
		}
		vm.Years = append(vm.Years, yv)
	}
	s.render(w, r, http.StatusOK, templates.ReportsOverviewPage(vm))
}

func (s *Server) handleAgreementReportList(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.annualReports().List(r.Context(), actorOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.AgreementReportsVM{
		Base: s.base(r, "Årsrapporter – "+list.Agreement.Title), AgreementID: id, AgreementTitle: list.Agreement.Title,
	}
	for _, y := range list.Years {
		vm.Years = append(vm.Years, templates.AgreementReportYearVM{
			Year: strconv.Itoa(y.Year), URL: annualReportPath(id, y.Year),
			State:     reportStateVM(annualreport.State(y.Report.State)),
			Submitted: submittedInfo(y.Report), Approved: approvedInfo(y.Report),
		})
	}
	s.render(w, r, http.StatusOK, templates.AgreementReportsPage(vm))
}

// disclosedFor applies disclosure control for the roles whose pages show
// figures as they leave the system: the viewer.
func disclosedFor(role partnership.Role, rep report.Report) report.Report {
	if annualreport.ShowsDisclosed(role) && !rep.Disclosed {
		return rep.Disclose()
	}
	return rep
}

// figuresNote says where a page's figures come from.
func figuresNote(approved bool, rep report.Report) string {
	note := "Siffrorna räknas fram ur det som är registrerat i dag och ändras tills rapporten godkänns."
	if approved {
		note = "Siffrorna är de som gällde när rapporten godkändes; året är låst."
	}
	if rep.Disclosed {
		note += " Grupper med färre än 5 personer visas inte."
	}
	return note
}

// agreementReportExports are the downloads of an agreement's report.
func agreementReportExports(id int64, year int) []templates.ExportLinkVM {
	base := annualReportPath(id, year) + "/report"
	return []templates.ExportLinkVM{
		{Label: "Ladda ner PDF", URL: base + ".pdf", ID: "report-pdf"},
		{Label: "Ladda ner Excel", URL: base + ".xlsx", ID: "report-xlsx"},
		{Label: "Ladda ner CSV", URL: base + ".csv", ID: "report-csv"},
	}
}

// renderAnnualReport shows the report of the route's agreement and year
// with status, the comment form holding form and errs.
func (s *Server) renderAnnualReport(w http.ResponseWriter, r *http.Request, status int, form templates.Form) {
	id, year, err := agreementAndYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := actorOf(r)
	svc := s.annualReports()
	d, err := svc.Get(r.Context(), actor, id, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures, approved, err := svc.FiguresOf(r.Context(), actor, d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	figures = disclosedFor(actor.Role, figures)
	st := d.State()
	heading := fmt.Sprintf("Årsrapport %d", year)
	url := annualReportPath(id, year)
	vm := templates.AnnualReportVM{
		Base: s.base(r, heading+" – "+d.Agreement.Title), AgreementID: id, AgreementTitle: d.Agreement.Title,
		Heading: heading, URL: url, State: reportStateVM(st), Figures: figures,
		FiguresNote: figuresNote(approved, figures), Exports: agreementReportExports(id, year), Form: form,
		Facts: []templates.AgreementFact{
			{Label: "Överenskommelse", Value: d.Agreement.Title},
			{Label: "Inlämnad", Value: orDash(submittedInfo(d.Report))},
			{Label: "Godkänd", Value: orDash(approvedInfo(d.Report))},
		},
	}
	values := annualreport.NarrativeValues(d.Report.Narrative)
	for _, f := range annualreport.NarrativeFields {
		vm.Narrative = append(vm.Narrative, templates.ReportNarrativeVM{ID: f.Name, Label: f.Label, Text: values[f.Name]})
	}
	for _, c := range d.Comments {
		what := "Kommentar"
		if c.Kind == "return" {
			what = "Återsänd"
		}
		at := formatDateTime(&c.CreatedAt, "")
		vm.Comments = append(vm.Comments, templates.ReportCommentVM{
			Heading: what + " " + stepInfo(&at, c.AuthorName), Body: c.Body, Return: c.Kind == "return"})
	}
	if annualreport.Check(actor.Role, st, annualreport.ActSave) == nil {
		vm.EditURL, vm.EditLabel = url+"/edit", "Skriv rapporten"
		if st != annualreport.NotStarted {
			vm.EditLabel = "Ändra och lämna in"
		}
	}
	if annualreport.Check(actor.Role, st, annualreport.ActApprove) == nil {
		vm.ApproveURL, vm.ReturnURL = url+"/approve", url+"/return"
	}
	vm.MayComment = annualreport.Check(actor.Role, st, annualreport.ActComment) == nil
	s.render(w, r, status, templates.AnnualReportPage(vm))
}

func (s *Server) handleAnnualReportShow(w http.ResponseWriter, r *http.Request) {
	s.renderAnnualReport(w, r, http.StatusOK, templates.Form{})
}

func (s *Server) handleAnnualReportComment(w http.ResponseWriter, r *http.Request) {
	id, year, err := agreementAndYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := r.PostForm.Get("comment")
	_, err = s.annualReports().Comment(r.Context(), actorOf(r), id, year, body)
	verr := partnership.ValidationError{}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderAnnualReport(w, r, http.StatusUnprocessableEntity, templates.Form{
			Values: map[string]string{"comment": body}, Errors: verr})
		return
	}
	s.flash(r, "Kommentaren sparades.")
	http.Redirect(w, r, annualReportPath(id, year), http.StatusSeeOther)
}
