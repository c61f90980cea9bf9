package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/report"
	"iop/internal/reportexport"
	"iop/templates"
)

// reportExport is one report ready to be written as a file: the figures
// (undisclosed: every writer discloses them), the printable document and
// the file name without its extension.
type reportExport struct {
	figures report.Report
	print   templates.ReportPrintVM
	name    string
}

// agreementReportExport gathers the agreement's report of the route's
// year: the figures approved with it (which never move), or computed now
// while it is not approved, and its narrative. The annual report service
// decides who may read it: association staff only their own agreements'.
func (s *Server) agreementReportExport(r *http.Request) (reportExport, error) {
	id, year, err := agreementAndYear(r)
	if err != nil {
		return reportExport{}, err
	}
	ctx, actor := r.Context(), actorOf(r)
	reports := s.annualReports()
	detail, err := reports.Get(ctx, actor, id, year)
	if err != nil {
		return reportExport{}, err
	}
	figures, approved, err := reports.FiguresOf(ctx, actor, detail)
	if err != nil {
		return reportExport{}, err
	}
	municipality, err := s.municipalityOf(ctx, []int64{id})
	if err != nil {
		return reportExport{}, err
	}
	a := detail.Agreement
	title := fmt.Sprintf("Årsrapport %d: %s", year, a.Title)
	var facts []string
	if fa := figures.Agreement; fa != nil {
		if fa.Association != "" {
			facts = append(facts, "Förening: "+fa.Association)
		}
		if fa.Start != "" || fa.End != "" {
			facts = append(facts, "Överenskommelsens period: "+fa.Start+" – "+fa.End)
		}
	}
	if approved {
		status := "Godkänd"
		if at := detail.Report.ApprovedAt; at != nil {
			status += " " + at.In(partnership.Stockholm).Format(time.DateOnly)
		}
		facts = append(facts, "Status: "+status+". Siffrorna är de som godkändes och ändras inte.")
	} else {
		facts = append(facts, "Status: "+detail.State().Label()+". Rapporten är inte godkänd: siffrorna är preliminära och kan ändras.")
	}
	values := annualreport.NarrativeValues(detail.Report.Narrative)
	var texts []templates.ReportPrintText
	for _, f := range annualreport.NarrativeFields {
		texts = append(texts, templates.ReportPrintText{Heading: f.Label, Text: values[f.Name]})
	}
	return reportExport{
		figures: figures,
		print: templates.ReportPrintVM{
			Title: title, Municipality: municipality, Committee: a.Committee, Facts: facts, Texts: texts,
			Figures: figures,
		},
		name: fmt.Sprintf("arsrapport-%d-%s", year, fileSlug(a.Title)),
	}, nil
}

// portfolioReportExport gathers the portfolio of the route's year: every
// agreement side by side, and the officer's summary.
func (s *Server) portfolioReportExport(r *http.Request) (reportExport, error) {
	year, err := urlYear(r)
	if err != nil {
		return reportExport{}, err
	}
	ctx, actor := r.Context(), actorOf(r)
	figures, err := s.reportFigures().Portfolio(ctx, actor, year)
	if err != nil {
		return reportExport{}, err
	}
	portfolio, err := s.annualReports().Portfolio(ctx, actor, year)
	if err != nil {
		return reportExport{}, err
	}
	ids := make([]int64, len(portfolio.Rows))
	for i, row := range portfolio.Rows {
		ids[i] = row.AgreementID
	}
	municipality, err := s.municipalityOf(ctx, ids)
	if err != nil {
		return reportExport{}, err
	}
	facts := []string{"Alla idéburna offentliga partnerskap som gäller någon dag under " + strconv.Itoa(year) + "."}
	return reportExport{
		figures: figures,
		print: templates.ReportPrintVM{
			Title: fmt.Sprintf("Portföljrapport %d: idéburna offentliga partnerskap", year), Municipality: municipality,
			Facts:   facts,
			Texts:   []templates.ReportPrintText{{Heading: "Handläggarens sammanfattning", Text: portfolio.Summary.Summary}},
			Figures: figures,
		},
		name: fmt.Sprintf("portfoljrapport-%d", year),
	}, nil
}

// municipalityOf names the municipality whose header a report carries:
// the municipal party of the agreements ("Kommunen" when there is none).
func (s *Server) municipalityOf(ctx context.Context, agreementIDs []int64) (string, error) {
	names, err := postgres.NewOpenData(s.db.Pool).MunicipalityNames(ctx, agreementIDs)
	if err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "Kommunen", nil
	}
	return strings.Join(names, ", "), nil
}

// fileSlug makes a title safe for a file name: lower-case ASCII letters
// and digits separated by single hyphens, at most 60 characters.
func fileSlug(title string) string {
	fold := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ü", "u", "Å", "a", "Ä", "a", "Ö", "o", "É", "e")
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(fold.Replace(title)) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	slug := strings.Trim(b.String(), "-")
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		return "rapport"
	}
	return slug
}

// writeReportPDF prints the report; without chromium it answers 503 with
// a Swedish explanation and the other formats to use instead.
func (s *Server) writeReportPDF(w http.ResponseWriter, r *http.Request, e reportExport, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pdf, err := reportexport.ReportPDF(r.Context(), s.printer, e.print)
	switch {
	case errors.Is(err, reportexport.ErrNoBrowser):
		s.log.Warn("PDF export without a browser", "request_id", requestIDFrom(r.Context()), "error", err.Error())
		vm := templates.ErrorVM{
			Base: s.base(r, "PDF kan inte skapas just nu"), Status: http.StatusServiceUnavailable,
			Heading: "PDF kan inte skapas just nu",
			Message: "Servern saknar webbläsaren Chromium, som behövs för att skapa PDF-filer. " +
				"Hämta rapporten som Excel (XLSX) eller CSV i stället, och be den som driftar systemet installera chromium.",
		}
		s.render(w, r, http.StatusServiceUnavailable, templates.ErrorPage(vm))
		return
	case err != nil && r.Context().Err() != nil:
		return // the client went away
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	download(w, "application/pdf", e.name+".pdf")
	w.Write(pdf) //nolint:errcheck // the client went away
}

func (s *Server) writeReportXLSX(w http.ResponseWriter, r *http.Request, e reportExport, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := reportexport.XLSX(e.figures, e.print.Title)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	download(w, xlsxType, e.name+".xlsx")
	w.Write(b) //nolint:errcheck // the client went away
}

func (s *Server) writeReportCSV(w http.ResponseWriter, r *http.Request, e reportExport, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeCSV(w, r, e.name+".csv", reportexport.CSVRecords(e.figures, csvSafe))
}

// The exports of an agreement's annual report and of the portfolio: always
// disclosed (groups under five people suppressed), whoever downloads them.
func (s *Server) handleAgreementReportPDF(w http.ResponseWriter, r *http.Request) {
	e, err := s.agreementReportExport(r)
	s.writeReportPDF(w, r, e, err)
}

func (s *Server) handleAgreementReportXLSX(w http.ResponseWriter, r *http.Request) {
	e, err := s.agreementReportExport(r)
	s.writeReportXLSX(w, r, e, err)
}

func (s *Server) handleAgreementReportCSV(w http.ResponseWriter, r *http.Request) {
	e, err := s.agreementReportExport(r)
	s.writeReportCSV(w, r, e, err)
}

func (s *Server) handlePortfolioReportPDF(w http.ResponseWriter, r *http.Request) {
	e, err := s.portfolioReportExport(r)
	s.writeReportPDF(w, r, e, err)
}

func (s *Server) handlePortfolioReportXLSX(w http.ResponseWriter, r *http.Request) {
	e, err := s.portfolioReportExport(r)
	s.writeReportXLSX(w, r, e, err)
}

func (s *Server) handlePortfolioReportCSV(w http.ResponseWriter, r *http.Request) {
	e, err := s.portfolioReportExport(r)
	s.writeReportCSV(w, r, e, err)
}
