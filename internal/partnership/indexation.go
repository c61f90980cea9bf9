package partnership

import (
	"time"

	"iop/internal/money"
)

// DefaultIndexRateBP is the yearly rate of an agreement that states none:
// 2 % ("för varje nytt kalenderår justeras kostnaderna för pris- och
// löneutveckling med 2 %").
const DefaultIndexRateBP = 200

// RateFunc gives the indexation rate for a calendar year, in basis points
// (200 = 2 %).
type RateFunc func(year int) int64

// Rates is the rate function of an agreement. In municipal mode a year
// uses the rate the municipality decided for it, when there is one, and
// the agreement's fixed rate otherwise; in fixed mode (and for an unset
// mode) every year uses fixedBP. fixedBP is taken as given: 0 means no
// indexation, so callers pass DefaultIndexRateBP where the agreement has
// not said otherwise. Were decided to list a year twice, the later entry
// would apply.
func Rates(mode IndexMode, fixedBP int64, decided []IndexRate) RateFunc {
	if mode != IndexMunicipal {
		return func(int) int64 { return fixedBP }
	}
	byYear := make(map[int]int64, len(decided))
	for _, r := range decided {
		byYear[r.Year] = r.RateBP
	}
	return func(year int) int64 {
		if bp, ok := byYear[year]; ok {
			return bp
		}
		return fixedBP
	}
}

// IndexStep is one year of indexation: the previous year's yearly amount
// × (1 + bp/10000), rounded to whole kronor, halves away from zero.
func IndexStep(prev money.Amount, bp int64) money.Amount {
	return prev.MulRatio(10000+bp, 10000)
}

// YearlyAmount is a line's full-year amount in year: the stated amount in
// the base year (the calendar year the agreement starts), and for each
// later year the previous year's rounded amount indexed by that year's
// rate (IndexStep). Lines that are not indexed keep the stated amount, as
// does any year before the base year. The amount is not pro-rated; the
// next year always compounds on this full-year amount.
func YearlyAmount(line BudgetLine, baseYear, year int, rate RateFunc) money.Amount {
	amount := line.Amount
	if !line.Indexed {
		return amount
	}
	for y := baseYear + 1; y <= year; y++ {
		amount = IndexStep(amount, rate(y))
	}
	return amount
}

// BudgetPeriod is the span an agreement's budget covers, both days
// included: from its start date to its current end after decided
// extensions, or to the termination date when it was terminated earlier
// (the termination date is taken as its last day). ok is false while the
// start or the end is not known.
func BudgetPeriod(a Agreement) (start, end time.Time, ok bool) {
	if a.StartDate == nil {
		return time.Time{}, time.Time{}, false
	}
	start = dayOf(*a.StartDate)
	last := a.CurrentEnd()
	if a.Termination != nil && !a.Termination.On.IsZero() && (last == nil || a.Termination.On.Before(*last)) {
		last = &a.Termination.On
	}
	if last == nil {
		return time.Time{}, time.Time{}, false
	}
	end = dayOf(*last)
	if end.Before(start) {
		return time.Time{}, time.Time{}, false
	}
	return start, end, true
}

// Years lists the calendar years the period from start to end touches, in
// order; none when end is before start.
func Years(start, end time.Time) []int {
	first, last := start.Year(), end.Year()
	if dayOf(end).Before(dayOf(start)) {
		return nil
	}
	years := make([]int, 0, last-first+1)
	for y := first; y <= last; y++ {
		years = append(years, y)
	}
	return years
}

// CoveredShare is the share num/den of year that the period from start to
// end (both days included) covers: whole months / 12 when the covered part
// of the year starts on the first day of a month and ends on the last day
// of a month, otherwise days / days in that year. A fully covered year is
// 12/12; an uncovered one 0/1.
func CoveredShare(start, end time.Time, year int) (num, den int64) {
	from, to, ok := clipToYear(year, start, end)
	if !ok {
		return 0, 1
	}
	if from.Day() == 1 && to.Day() == daysIn(to.Year(), to.Month()) {
		return int64(to.Month()-from.Month()) + 1, 12
	}
	return int64(daysBetween(from, to)) + 1, int64(daysInYear(year))
}

// AmountForYear is what a line amounts to in year for an agreement
// running from start to end: its yearly amount (YearlyAmount, with the
// start's year as base year) × the covered share of the year
// (CoveredShare), rounded to whole kronor, halves away from zero. A fully
// covered year gets the yearly amount unchanged; an uncovered one 0.
func AmountForYear(line BudgetLine, start, end time.Time, year int, rate RateFunc) money.Amount {
	num, den := CoveredShare(start, end, year)
	if num == 0 {
		return 0
	}
	full := YearlyAmount(line, start.Year(), year, rate)
	if num == den {
		return full
	}
	return full.MulRatio(num, den)
}

// TotalForYear is the sum of the lines' amounts in year (AmountForYear):
// every line is indexed, pro-rated and rounded on its own, and the total
// is their sum, never rounded again. Callers choose the lines: a party's,
// a section's, the cash lines or all of them.
func TotalForYear(lines []BudgetLine, start, end time.Time, year int, rate RateFunc) money.Amount {
	var total money.Amount
	for _, l := range lines {
		total = money.Sum(total, AmountForYear(l, start, end, year, rate))
	}
	return total
}
