package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// msgBudgetNoPeriod explains why an agreement without dates has no budget per year.
const msgBudgetNoPeriod = "Överenskommelsen saknar startdatum eller slutdatum, så budgeten kan inte räknas fram per år. " +
	"Ange datumen under Redigera uppgifter på överenskommelsens sida."

// budgetYears is what an agreement's budget amounts to in each calendar
// year it covers. Amounts are computed from the rules on the fly; where a
// year's materialised amount of a line is locked (invoiced or reported),
// that amount stands instead, as it does for the invoices and reports.
type budgetYears struct {
	start, end time.Time
	years      []int
	locked     map[int]bool
	fixed      map[int64]map[int]money.Amount // locked amounts by line and year
	rate       partnership.RateFunc
}

// loadBudgetYears gathers the agreement's period, rates and locked
// amounts. ok is false when the agreement lacks the dates of its period.
func (s *Server) loadBudgetYears(ctx context.Context, a partnership.Agreement) (budgetYears, bool, error) {
	start, end, ok := partnership.BudgetPeriod(a)
	if !ok {
		return budgetYears{}, false, nil
	}
	var decided []partnership.IndexRate
	if a.IndexMode == partnership.IndexMunicipal {
		var err error
		if decided, err = postgres.NewIndexRates(s.db.Pool).List(ctx); err != nil {
			return budgetYears{}, false, err
		}
	}
	store := postgres.NewYearAmounts(s.db.Pool)
	amounts, err := store.ForAgreement(ctx, a.ID)
	if err != nil {
		return budgetYears{}, false, err
	}
	locks, err := store.Locks(ctx, a.ID)
	if err != nil {
		return budgetYears{}, false, err
	}
	y := budgetYears{
		start: start, end: end, years: partnership.Years(start, end), locked: map[int]bool{},
		fixed: map[int64]map[int]money.Amount{}, rate: partnership.Rates(a.IndexMode, a.IndexRateBP, decided),
	}
	for _, l := range locks {
		y.locked[l.Year] = true
	}
	for _, am := range amounts {
		if !am.Locked {
			continue
		}
		y.locked[am.Year] = true
		if y.fixed[am.LineID] == nil {
			y.fixed[am.LineID] = map[int]money.Amount{}
		}
		y.fixed[am.LineID][am.Year] = am.Amount
	}
	return y, true, nil
}

// covers reports whether the agreement covers the year.
func (y budgetYears) covers(year int) bool {
	return len(y.years) > 0 && year >= y.years[0] && year <= y.years[len(y.years)-1]
}

// amountIn is a line's amount in the year: the locked amount when there
// is one, else indexed and pro-rated by the rules.
func (y budgetYears) amountIn(year int) func(partnership.BudgetLine) money.Amount {
	return func(l partnership.BudgetLine) money.Amount {
		if am, ok := y.fixed[l.ID][year]; ok {
			return am
		}
		return partnership.AmountForYear(l, y.start, y.end, year, y.rate)
	}
}

// coverNote says how much of a partly covered year the agreement covers.
func (y budgetYears) coverNote(year int) string {
	num, den := partnership.CoveredShare(y.start, y.end, year)
	switch {
	case num == den:
		return ""
	case den == 12:
		return fmt.Sprintf("%d/12 av året", num)
	}
	return fmt.Sprintf("%d av %d dagar", num, den)
}

// budgetShare is the association parties' share of the lines' total in
// the year, e.g. "47,13 %", or "–" when the total is 0.
func budgetShare(groups []budgetParty, all []partnership.BudgetLine, amount func(partnership.BudgetLine) money.Amount) string {
	var assoc money.Amount
	for _, g := range groups {
		if budgetIsAssociation(g.party) {
			assoc = money.Sum(assoc, budgetSum(g.lines, amount))
		}
	}
	bp, ok := money.ShareBP(assoc, budgetSum(all, amount))
	if !ok {
		return "–"
	}
	return money.FormatPercent(bp)
}

func (s *Server) handleBudgetYears(w http.ResponseWriter, r *http.Request) {
	a, lines, err := s.loadBudgetLines(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	y, ok, err := s.loadBudgetYears(r.Context(), a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.BudgetYearsVM{
		Base: s.base(r, "Budget per år – "+a.Title), AgreementTitle: a.Title, BudgetURL: budgetPath(a.ID),
	}
	if ok {
		budgetYearsTable(&vm, a, lines, y)
	} else {
		vm.Message = msgBudgetNoPeriod
	}
	s.render(w, r, http.StatusOK, templates.BudgetYearsPage(vm))
}

// budgetYearsTable fills in the facts, the columns and the rows.
func budgetYearsTable(vm *templates.BudgetYearsVM, a partnership.Agreement, lines []partnership.BudgetLine, y budgetYears) {
	vm.Facts = []templates.AgreementFact{
		{Label: "Period", Value: y.start.Format(time.DateOnly) + " – " + y.end.Format(time.DateOnly), TestID: "years-period"},
		{Label: "Basår", Value: strconv.Itoa(y.start.Year())},
		{Label: "Indexering", Value: budgetIndexTerms(a)},
	}
	for _, year := range y.years {
		vm.Columns = append(vm.Columns, templates.BudgetYearColumn{
			Year: strconv.Itoa(year), Note: y.coverNote(year), Locked: y.locked[year],
		})
	}
	values := func(lines []partnership.BudgetLine) []string {
		out := make([]string, len(y.years))
		for i, year := range y.years {
			out[i] = budgetSum(lines, y.amountIn(year)).String()
		}
		return out
	}
	groups := groupBudget(a, lines)
	for _, g := range groups {
		if len(g.lines) == 0 {
			continue
		}
		vg := templates.BudgetYearGroup{Heading: g.party.OrganisationName + " (" + g.party.Role.Label() + ")"}
		for _, sec := range g.sections {
			if sec.name != "" {
				vg.Rows = append(vg.Rows, templates.BudgetYearRow{Label: sec.name, Section: true})
			}
			for _, l := range sec.lines {
				vg.Rows = append(vg.Rows, templates.BudgetYearRow{Label: l.Text, Values: values([]partnership.BudgetLine{l}), TestID: "year-line"})
			}
			if sec.name != "" {
				vg.Rows = append(vg.Rows, templates.BudgetYearRow{Label: "Summa " + sec.name, Sum: true, Values: values(sec.lines), TestID: "year-section-total"})
			}
		}
		cash, inKind := budgetOfKind(g.lines, partnership.Cash), budgetOfKind(g.lines, partnership.InKind)
		if len(cash) > 0 && len(inKind) > 0 {
			vg.Rows = append(vg.Rows,
				templates.BudgetYearRow{Label: "Kontant", Sum: true, Values: values(cash), TestID: "year-party-cash"},
				templates.BudgetYearRow{Label: "Naturainsatser", Sum: true, Values: values(inKind), TestID: "year-party-in-kind"})
		}
		vg.Rows = append(vg.Rows, templates.BudgetYearRow{
			Label: "Summa " + g.party.OrganisationName, Sum: true, Values: values(g.lines), TestID: "year-party-total",
		})
		vm.Groups = append(vm.Groups, vg)
	}
	shares := make([]string, len(y.years))
	for i, year := range y.years {
		shares[i] = budgetShare(groups, lines, y.amountIn(year))
	}
	vm.Groups = append(vm.Groups, templates.BudgetYearGroup{Heading: "Hela överenskommelsen", Rows: []templates.BudgetYearRow{
		{Label: "Summa kontant", Sum: true, Values: values(budgetOfKind(lines, partnership.Cash)), TestID: "year-cash"},
		{Label: "Summa naturainsatser", Sum: true, Values: values(budgetOfKind(lines, partnership.InKind)), TestID: "year-in-kind"},
		{Label: "Summa hela överenskommelsen", Sum: true, Values: values(lines), TestID: "year-total"},
		{Label: "Föreningarnas andel (medfinansiering)", Sum: true, Values: shares, TestID: "year-share"},
	}})
}
