package server

import (
	"context"
	"strconv"
	"time"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// invoiceExpected is what an agreement's municipality is expected to pay,
// year by year and period by period.
//
// A year's total is the sum of the year's materialised amounts of the
// municipality's cash lines when the indexation has materialised every one
// of them (and once a year is locked, those amounts no longer change); for
// a year not materialised yet it is computed from the rules, exactly as
// the indexation will compute it (partnership.MunicipalCashForYear), and
// the page says so. The invoice overview makes the same choice, so both
// show the same figures.
type invoiceExpected struct {
	agreement  partnership.Agreement
	lines      []partnership.BudgetLine
	rate       partnership.RateFunc
	start, end time.Time
	known      bool                 // the budget period is known
	cashLines  int                  // how many cash lines the municipality has
	indexed    map[int]money.Amount // year → materialised total, for the years fully materialised
	locks      map[int]string       // year → why it is locked
}

// loadInvoiceExpected reads what the expected payments of a are computed
// from: its budget lines, its materialised amounts and locked years, and
// the municipality's decided index rates.
func loadInvoiceExpected(ctx context.Context, db postgres.DBTX, a partnership.Agreement, decided []partnership.IndexRate) (invoiceExpected, error) {
	e := invoiceExpected{agreement: a, indexed: map[int]money.Amount{}, locks: map[int]string{}}
	e.rate = partnership.Rates(a.IndexMode, a.IndexRateBP, decided)
	e.start, e.end, e.known = partnership.BudgetPeriod(a)
	var err error
	if e.lines, err = postgres.NewBudgets(db).Lines(ctx, a.ID); err != nil {
		return e, err
	}
	years := postgres.NewYearAmounts(db)
	amounts, err := years.ForAgreement(ctx, a.ID)
	if err != nil {
		return e, err
	}
	locks, err := years.Locks(ctx, a.ID)
	if err != nil {
		return e, err
	}
	for _, l := range locks {
		e.locks[l.Year] = l.Reason
	}
	cash := municipalCashLines(a, e.lines)
	e.cashLines = len(cash)
	counted := map[int]int{}
	sums := map[int]money.Amount{}
	for _, y := range amounts {
		if cash[y.LineID] {
			counted[y.Year]++
			sums[y.Year] = money.Sum(sums[y.Year], y.Amount)
		}
	}
	for year, n := range counted {
		if n == len(cash) {
			e.indexed[year] = sums[year]
		}
	}
	return e, nil
}

// municipalCashLines are the ids of the cash lines of the agreement's
// municipal parties: what the municipality pays.
func municipalCashLines(a partnership.Agreement, lines []partnership.BudgetLine) map[int64]bool {
	municipal := map[int64]bool{}
	for _, p := range a.Parties {
		if p.Role == partnership.PartyMunicipality {
			municipal[p.ID] = true
		}
	}
	cash := map[int64]bool{}
	for _, l := range lines {
		if municipal[l.PartyID] && l.Kind == partnership.Cash {
			cash[l.ID] = true
		}
	}
	return cash
}

// years are the calendar years of the agreement's budget period; none
// while it is not known.
func (e invoiceExpected) years() []int {
	if !e.known {
		return nil
	}
	return partnership.Years(e.start, e.end)
}

// yearTotal is what the municipality should pay in year, and whether the
// figure is the indexation's (true) or computed from the rules (false).
func (e invoiceExpected) yearTotal(year int) (money.Amount, bool) {
	if e.cashLines == 0 {
		return 0, true
	}
	if total, ok := e.indexed[year]; ok {
		return total, true
	}
	return partnership.MunicipalCashForYear(e.agreement, e.lines, year, e.rate), false
}

// periods is the year's expected payment per invoicing period; nil while
// the budget period is not known.
func (e invoiceExpected) periods(year int) []partnership.PeriodAmount {
	if !e.known {
		return nil
	}
	total, _ := e.yearTotal(year)
	return partnership.ExpectedPayments(total, e.agreement.InvoiceFrequency, e.start, e.end, year)
}

// forPeriod is the expected payment of one period of a year; ok is false
// when it cannot be computed (no budget period, or a period the invoicing
// terms do not have).
func (e invoiceExpected) forPeriod(year, period int) (money.Amount, bool) {
	for _, p := range e.periods(year) {
		if p.Period == period {
			return p.Amount, true
		}
	}
	return 0, false
}

// source says in Swedish where the year's expected amounts come from.
func (e invoiceExpected) source(year int) string {
	if e.cashLines == 0 {
		return "Budgeten har inga kontanta poster från kommunen, så ingen utbetalning förväntas."
	}
	if reason, ok := e.locks[year]; ok {
		if _, indexed := e.indexed[year]; indexed {
			return "Året är låst (" + reason + "): beloppen kommer från indexeringen och ändras inte längre."
		}
	}
	if _, ok := e.indexed[year]; ok {
		return "Beloppen kommer från indexeringen av " + strconv.Itoa(year) + "."
	}
	return "Året är ännu inte indexerat. Beloppen är beräknade enligt reglerna för indexering och kan ändras när indexeringen körs."
}

// estimatedMunicipalCash is the municipality's cash contribution in year
// to each of the agreements ids, as the rules give it
// (partnership.MunicipalCashForYear): for agreements whose year the
// indexation has not materialised yet. Their agreements, budget lines and
// the decided rates are read once for all of them.
func (s *Server) estimatedMunicipalCash(ctx context.Context, ids []int64, year int) (map[int64]money.Amount, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	decided, err := postgres.NewIndexRates(s.db.Pool).List(ctx)
	if err != nil {
		return nil, err
	}
	agreements, err := postgres.NewAgreements(s.db.Pool).ByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	budgets, err := postgres.NewBudgets(s.db.Pool).LinesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]money.Amount, len(agreements))
	for _, a := range agreements {
		out[a.ID] = partnership.MunicipalCashForYear(a, budgets[a.ID], year, partnership.Rates(a.IndexMode, a.IndexRateBP, decided))
	}
	return out, nil
}
