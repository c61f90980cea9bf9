package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"iop/internal/indexation"
	"iop/internal/partnership"
	"iop/templates"
)

// latestRuns is how many recorded runs the indexation page lists.
const latestRuns = 10

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

// handleIndexationShow previews the indexation of the year asked for (the
// current year by default). The preview is computed in a transaction that
// is rolled back, so the page changes nothing.
func (s *Server) handleIndexationShow(w http.ResponseWriter, r *http.Request) {
	year := r.URL.Query().Get("year")
	if year == "" {
		year = strconv.Itoa(indexation.CurrentYear(s.now()))
	}
	s.renderIndexation(w, r, year)
}

// renderIndexation shows the page for the year as typed: with the preview
// when it is a year the system keeps, with the error (status 422) when not.
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
			previewVM(&vm, rep)
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

// previewVM fills the page's preview from the report.
func previewVM(vm *templates.IndexationVM, rep indexation.Report) {
	vm.Year = strconv.Itoa(rep.Year)
	vm.Summary = rep.Summary()
	for _, a := range rep.Agreements {
		row := templates.IndexationAgreementRow{
			Title: a.Title, URL: agreementPath(a.AgreementID),
			Status: indexation.CountsText(a.Counts) + ".", Locked: a.Locked,
		}
		if a.Locked {
			row.Status = "Hoppas över: året är låst (" + a.LockReason + ")."
			vm.Skipped = append(vm.Skipped, templates.IndexationSkipped{Title: row.Title, URL: row.URL, Reason: a.LockReason})
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
