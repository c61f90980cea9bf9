package partnership

import (
	"strconv"
	"time"

	"iop/internal/money"
)

// PeriodAmount is the expected municipal payment for one invoicing period
// of a year.
type PeriodAmount struct {
	Year   int
	Period int          // 1 for yearly; 1–4 quarterly; 1–12 monthly (as Invoice.Period)
	Start  time.Time    // the period's first day
	End    time.Time    // the period's last day
	Label  string       // Swedish, e.g. "Helår 2023", "Kvartal 2 2024", "Mars 2024"
	Amount money.Amount // 0 for a period the agreement does not cover
}

var monthNames = [...]string{"Januari", "Februari", "Mars", "April", "Maj", "Juni",
	"Juli", "Augusti", "September", "Oktober", "November", "December"}

// PeriodLabel is the Swedish name of an invoicing period, as an invoice
// states it: "Helår 2023", "Kvartal 2 2024", "Mars 2024". The empty
// frequency is treated as yearly, as in ExpectedPayments.
func PeriodLabel(f InvoiceFrequency, year, period int) string {
	y := strconv.Itoa(year)
	switch f {
	case InvoiceQuarterly:
		return "Kvartal " + strconv.Itoa(period) + " " + y
	case InvoiceMonthly:
		if period >= 1 && period <= 12 {
			return monthNames[period-1] + " " + y
		}
		return "Månad " + strconv.Itoa(period) + " " + y
	}
	return "Helår " + y
}

// ExpectedPayments splits yearTotal, the municipality's payment for year
// (already indexed and pro-rated: MunicipalCashForYear), into the year's
// invoicing periods under f (yearly: 1, quarterly: 4, monthly: 12; no
// agreed terms count as yearly). Every period is listed. The periods that
// overlap the part of the year the agreement covers (start to end, both
// included) share the total equally in whole kronor, truncated toward
// zero; the last of them also gets the remainder, so the periods always
// sum exactly to yearTotal. A period that overlaps only partly gets a full
// share, because pro-rata already happened on the year. Periods outside
// the agreement get 0; when the agreement does not cover the year at all,
// every period gets 0.
func ExpectedPayments(yearTotal money.Amount, f InvoiceFrequency, start, end time.Time, year int) []PeriodAmount {
	n := PeriodsPerYear(f)
	months := 12 / n
	from, to := dayOf(start), dayOf(end)
	periods := make([]PeriodAmount, n)
	var covered []int // indexes of the periods that overlap the agreement
	for i := range periods {
		first := time.Date(year, time.Month(i*months+1), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, months, -1)
		periods[i] = PeriodAmount{Year: year, Period: i + 1, Start: first, End: last, Label: PeriodLabel(f, year, i+1)}
		if !last.Before(from) && !first.After(to) {
			covered = append(covered, i)
		}
	}
	if len(covered) == 0 {
		return periods
	}
	k := int64(len(covered))
	share := money.Kronor(int64(yearTotal) / 100 / k)
	for _, i := range covered {
		periods[i].Amount = share
	}
	periods[covered[len(covered)-1]].Amount = yearTotal - share*money.Amount(k-1)
	return periods
}

// MunicipalCashForYear is what the municipality is expected to pay in year:
// the sum of its parties' cash lines, each indexed and pro-rated for the
// year (AmountForYear) over the agreement's budget period (BudgetPeriod).
// It is 0 while the period is not known or does not cover the year.
func MunicipalCashForYear(a Agreement, lines []BudgetLine, year int, rate RateFunc) money.Amount {
	start, end, ok := BudgetPeriod(a)
	if !ok {
		return 0
	}
	municipal := map[int64]bool{}
	for _, p := range a.Parties {
		if p.Role == PartyMunicipality {
			municipal[p.ID] = true
		}
	}
	var cash []BudgetLine
	for _, l := range lines {
		if municipal[l.PartyID] && l.Kind == Cash {
			cash = append(cash, l)
		}
	}
	return TotalForYear(cash, start, end, year, rate)
}

// AgreementPayments is the expected municipal payment per invoicing period
// of year for an agreement: MunicipalCashForYear split by ExpectedPayments
// under the agreement's invoicing frequency. It is nil while the
// agreement's budget period is not known.
func AgreementPayments(a Agreement, lines []BudgetLine, year int, rate RateFunc) []PeriodAmount {
	start, end, ok := BudgetPeriod(a)
	if !ok {
		return nil
	}
	return ExpectedPayments(MunicipalCashForYear(a, lines, year, rate), a.InvoiceFrequency, start, end, year)
}

// InvoiceDeviation is how much an invoice differs from the expected
// payment: invoiced − expected, positive when the association invoices
// more than expected. Any non-zero difference warrants a warning.
func InvoiceDeviation(expected, invoiced money.Amount) money.Amount {
	return invoiced - expected
}
