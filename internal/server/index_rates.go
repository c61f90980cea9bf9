package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

const indexRatesPath = "/admin/index-rates"

func indexRateDeletePath(year int) string {
	return indexRatesPath + "/" + strconv.Itoa(year) + "/delete"
}

// yearParam reads the {year} URL parameter; a year the system keeps no
// rates for is simply not found.
func yearParam(r *http.Request) (int, error) {
	year, err := strconv.Atoi(chi.URLParam(r, "year"))
	if err != nil || year < partnership.MinBudgetYear || year > partnership.MaxBudgetYear {
		return 0, partnership.ErrNotFound
	}
	return year, nil
}

func (s *Server) handleIndexRateList(w http.ResponseWriter, r *http.Request) {
	list, err := postgres.NewIndexRates(s.db.Pool).List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]templates.IndexRateRow, len(list))
	for i, rate := range list {
		rows[i] = templates.IndexRateRow{
			Year: strconv.Itoa(rate.Year), Rate: money.FormatPercent(rate.RateBP), Source: rate.Source,
			DeleteURL: indexRateDeletePath(rate.Year),
		}
	}
	s.render(w, r, http.StatusOK, templates.IndexRatesPage(templates.IndexRatesVM{Base: s.base(r, "Indexsatser"), Rates: rows}))
}

func (s *Server) renderIndexRateForm(w http.ResponseWriter, r *http.Request, values, errs map[string]string) {
	vm := templates.IndexRateFormVM{Base: s.base(r, "Ny indexsats"), Form: templates.Form{Values: values, Errors: errs}}
	s.render(w, r, formStatus(vm.Form), templates.IndexRateFormPage(vm))
}

func (s *Server) handleIndexRateNew(w http.ResponseWriter, r *http.Request) {
	s.renderIndexRateForm(w, r, map[string]string{}, nil)
}

// parseIndexRate reads the rate form; the values are kept for re-rendering.
func parseIndexRate(r *http.Request) (partnership.IndexRate, map[string]string, partnership.ValidationError) {
	values := postedValues(r, "year", "rate", "source")
	rate := partnership.IndexRate{Source: strings.TrimSpace(values["source"])}
	verr := partnership.ValidationError{}
	year, msg := parseYear(values["year"])
	if msg != "" {
		verr.Add("year", msg)
	}
	rate.Year = year
	bp, err := money.ParsePercent(values["rate"])
	var perr *money.ParseError
	switch {
	case errors.As(err, &perr):
		verr.Add("rate", perr.Msg)
	case err != nil:
		verr.Add("rate", "Ange procentsatsen med siffror, t.ex. 2,3 %.")
	}
	rate.RateBP = bp
	validationOf(verr, rate.Validate())
	return rate, values, verr
}

// handleIndexRateCreate records the rate of a year, replacing one decided
// before, audited in the same transaction.
func (s *Server) handleIndexRateCreate(w http.ResponseWriter, r *http.Request) {
	rate, values, verr := parseIndexRate(r)
	if len(verr) > 0 {
		s.renderIndexRateForm(w, r, values, verr)
		return
	}
	replaced := false
	err := s.db.InTx(r.Context(), func(tx pgx.Tx) error {
		store := postgres.NewIndexRates(tx)
		details := map[string]any{"year": rate.Year, "rate_bp": rate.RateBP, "source": rate.Source}
		action := "index_rate.create"
		previous, err := store.ByYear(r.Context(), rate.Year)
		switch {
		case err == nil:
			replaced, action = true, "index_rate.update"
			details["previous_rate_bp"], details["previous_source"] = previous.RateBP, previous.Source
		case !errors.Is(err, partnership.ErrNotFound):
			return err
		}
		if _, err := store.Upsert(r.Context(), rate); err != nil {
			return err
		}
		return s.recordIndexRate(r, tx, action, rate.Year, details)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	verb := "sparades"
	if replaced {
		verb = "ändrades"
	}
	s.flash(r, fmt.Sprintf("Indexsatsen för %d (%s) %s. Kör indexeringen för de år den påverkar, så följer beloppen den.",
		rate.Year, money.FormatPercent(rate.RateBP), verb))
	http.Redirect(w, r, indexRatesPath, http.StatusSeeOther)
}

// recordIndexRate audits a change of the rates in the change's transaction.
func (s *Server) recordIndexRate(r *http.Request, tx pgx.Tx, action string, year int, details map[string]any) error {
	return postgres.NewAudit(tx).Record(r.Context(), actorOf(r).Event(action, "index_rate", strconv.Itoa(year), details))
}

func (s *Server) handleIndexRateDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rate, err := postgres.NewIndexRates(s.db.Pool).ByYear(r.Context(), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text := fmt.Sprintf("Vill du ta bort indexsatsen för %d (%s", year, money.FormatPercent(rate.RateBP))
	if rate.Source != "" {
		text += ", " + rate.Source
	}
	text += ")? Överenskommelser som följer kommunens index använder då sin fasta procentsats för året när indexeringen körs nästa gång."
	s.render(w, r, http.StatusOK, templates.ConfirmPage(templates.ConfirmVM{
		Base: s.base(r, "Ta bort indexsats"), Heading: "Ta bort indexsats", Text: text,
		Action: indexRateDeletePath(year), Confirm: "Ta bort indexsatsen", Cancel: indexRatesPath,
	}))
}

func (s *Server) handleIndexRateDelete(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var removed partnership.IndexRate
	err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
		var err error
		if removed, err = postgres.NewIndexRates(tx).Delete(r.Context(), year); err != nil {
			return err
		}
		return s.recordIndexRate(r, tx, "index_rate.delete", year,
			map[string]any{"year": year, "rate_bp": removed.RateBP, "source": removed.Source})
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Indexsatsen för %d (%s) togs bort.", year, money.FormatPercent(removed.RateBP)))
	http.Redirect(w, r, indexRatesPath, http.StatusSeeOther)
}
