package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"iop/internal/indexation"
	"iop/internal/money"
	"iop/internal/partnership"
	"iop/templates"
)

// latestRuns is how many recorded runs the indexation page lists.
const latestRuns = 10

// indexationPageSize is how many agreements a page of the preview lists; a
// municipality's hundreds would make a page of thousands of rows.
const indexationPageSize = 50

// indexation is the indexation service on the server's database.
func (s *Server) indexation() *indexation.Service { return indexation.NewService(s.db) }

// parseYear reads a year field; the message is for the form.
func parseYear(v string) (int, string) {
	year, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, "Ange året med fyra siffror, t.ex. 2024."
	}
	return year, ""
}

func indexationPath(year int) string {
	return "/indexation?" + url.Values{"year": {strconv.Itoa(year)}}.Encode()
}

// indexationPagePath is a page of the year's preview; page 1 is the year's path.
func indexationPagePath(year, page int) string {
	if page <= 1 {
		return indexationPath(year)
	}
	return "/indexation?" + url.Values{"year": {strconv.Itoa(year)}, "page": {strconv.Itoa(page)}}.Encode()
}

// handleIndexationShow previews the indexation of the year asked for (the
// current year by default), a page of its agreements at a time. The preview
// only reads, so the page changes nothing.
func (s *Server) handleIndexationShow(w http.ResponseWriter, r *http.Request) {
	year := r.URL.Query().Get("year")
	if year == "" {
		year = strconv.Itoa(indexation.CurrentYear(s.now()))
	}
	s.renderIndexation(w, r, year)
}

// renderIndexation shows the page for the year as typed: with the preview
// when it is a year the system keeps, with the error (status 422) when not;
// the page of agreements is the query's "page" (the first when absent or
// not a number, the last when beyond it).
func (s *Server) renderIndexation(w http.ResponseWriter, r *http.Request, yearText string) {
	vm := templates.IndexationVM{
		Base: s.base(r, "Indexering"),
		Form: templates.Form{Values: map[string]string{"year": yearText}, Errors: map[string]string{}},
	}
	year, msg := parseYear(yearText)
	if msg != "" {
		vm.Form.Errors["year"] = msg
	} else {
		rep, err := s.indexation().Preview(r.Context(), year)
		if !validationOf(vm.Form.Errors, err) {
			s.fail(w, r, err)
			return
		}
		if err == nil {
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			previewVM(&vm, rep, page)
		}
	}
	runs, err := s.indexation().Runs(r.Context(), latestRuns)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm.Runs = runRows(runs)
	s.render(w, r, formStatus(vm.Form), templates.IndexationPage(vm))
}

// previewVM fills the page's preview from the report: the summary, the
// total and the skipped agreements of the whole year, the rows of the page
// (counted from 1).
func previewVM(vm *templates.IndexationVM, rep indexation.Report, page int) {
	vm.Year = strconv.Itoa(rep.Year)
	vm.Summary = rep.Summary()
	var total indexation.PartyTotal
	for _, a := range rep.Agreements {
		if a.Locked {
			vm.Skipped = append(vm.Skipped, templates.IndexationSkipped{Title: a.Title, URL: agreementPath(a.AgreementID), Reason: a.LockReason})
		}
		for _, p := range a.Parties {
			total.Old, total.New = money.Sum(total.Old, p.Old), money.Sum(total.New, p.New)
			total.Materialised = total.Materialised || p.Materialised
			total.Missing += p.Missing
		}
	}
	n := len(rep.Agreements)
	vm.Total = templates.IndexationPartyRow{Party: "Summa för " + agreementCount(n), Old: total.OldText(), New: total.New.String()}
	pages := max(1, (n+indexationPageSize-1)/indexationPageSize)
	page = min(max(page, 1), pages)
	first, last := (page-1)*indexationPageSize, min(page*indexationPageSize, n)
	if pages > 1 {
		vm.Showing = fmt.Sprintf("Visar %d–%d av %s.", first+1, last, agreementCount(n))
		vm.Pager = pagerFor(page, pages, func(n int) string { return indexationPagePath(rep.Year, n) })
	}
	for _, a := range rep.Agreements[first:last] {
		row := templates.IndexationAgreementRow{
			Title: a.Title, URL: agreementPath(a.AgreementID),
			Status: indexation.CountsText(a.Counts) + ".", Locked: a.Locked,
		}
		if a.Locked {
			row.Status = "Hoppas över: året är låst (" + a.LockReason + ")."
		}
		for _, p := range a.Parties {
			row.Parties = append(row.Parties, templates.IndexationPartyRow{Party: p.Name, Old: p.OldText(), New: p.New.String()})
		}
		if len(row.Parties) == 0 {
			row.Parties = []templates.IndexationPartyRow{{Party: "Inga budgetposter", Old: "–", New: "–"}}
		}
		vm.Agreements = append(vm.Agreements, row)
	}
}

// agreementCount is "1 överenskommelse" or "n överenskommelser".
func agreementCount(n int) string {
	if n == 1 {
		return "1 överenskommelse"
	}
	return strconv.Itoa(n) + " överenskommelser"
}

func runRows(runs []partnership.IndexationRun) []templates.IndexationRunRow {
	rows := make([]templates.IndexationRunRow, len(runs))
	for i, run := range runs {
		who := run.StartedByName
		if run.StartedBy == nil {
			who = "Systemet"
		}
		rows[i] = templates.IndexationRunRow{
			When: formatDateTime(&run.FinishedAt, ""), Year: strconv.Itoa(run.Year), StartedBy: who,
			Agreements: strconv.Itoa(run.Agreements), Inserted: strconv.Itoa(run.Inserted),
			Updated: strconv.Itoa(run.Updated), Unchanged: strconv.Itoa(run.Unchanged), Locked: strconv.Itoa(run.Locked),
		}
	}
	return rows
}

// handleIndexationRun runs the indexation of the posted year and shows the
// year again with the outcome. A run already in progress (here or in
// another instance) is said so; nothing is run twice.
// msgIndexationBusy tells an officer that another run holds the lock.
const msgIndexationBusy = "En indexering pågår redan. Försök igen om en stund."

func (s *Server) handleIndexationRun(w http.ResponseWriter, r *http.Request) {
	yearText := r.PostForm.Get("year")
	year, msg := parseYear(yearText)
	if msg != "" {
		s.renderIndexation(w, r, yearText)
		return
	}
	rep, err := s.indexation().Run(r.Context(), year, actorOf(r))
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &verr):
		s.renderIndexation(w, r, yearText)
		return
	case errors.Is(err, indexation.ErrBusy):
		s.flash(r, msgIndexationBusy)
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		s.flash(r, rep.Summary())
	}
	http.Redirect(w, r, indexationPath(year), http.StatusSeeOther)
}
