package server

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// volunteerCategory is the budget category of volunteer work: the in-kind
// lines of this category are what logged volunteer hours are set beside.
const volunteerCategory = "Ideellt arbete"

// isVolunteerLine reports whether a budget line budgets volunteer work.
func isVolunteerLine(l partnership.BudgetLine) bool {
	return l.Kind == partnership.InKind && strings.EqualFold(strings.TrimSpace(l.Category), volunteerCategory)
}

// volunteerVM sets the volunteer hours logged per year, valued at the
// agreement's rate per hour, beside the budget's in-kind volunteer lines
// for that year (indexed and pro-rated like the rest of the budget). The
// summary is for year.
func (s *Server) volunteerVM(ctx context.Context, a partnership.Agreement, role partnership.Role, year int) (templates.VolunteerVM, error) {
	logged, err := postgres.NewActivities(s.db.Pool).VolunteerByYear(ctx, a.ID)
	if err != nil {
		return templates.VolunteerVM{}, err
	}
	lines, err := postgres.NewBudgets(s.db.Pool).Lines(ctx, a.ID)
	if err != nil {
		return templates.VolunteerVM{}, err
	}
	lines = slices.DeleteFunc(lines, func(l partnership.BudgetLine) bool { return !isVolunteerLine(l) })
	budgeted, period, err := s.volunteerBudget(ctx, a, lines)
	if err != nil {
		return templates.VolunteerVM{}, err
	}
	vm := templates.VolunteerVM{PeriodKnown: period}
	rate := a.VolunteerHourRate
	if rate > 0 {
		vm.Rate = rate.String()
	} else if role.CanEditAgreements() {
		vm.RateHref = agreementPath(a.ID) + "/edit#volunteer_hour_rate"
	}
	minutes := map[int]int64{}
	for _, v := range logged {
		minutes[v.Year] = v.Minutes
	}
	years := make([]int, 0, len(minutes)+len(budgeted))
	for y := range minutes {
		years = append(years, y)
	}
	for y := range budgeted {
		if _, ok := minutes[y]; !ok {
			years = append(years, y)
		}
	}
	slices.Sort(years)
	for _, y := range years {
		row := templates.VolunteerRow{Year: strconv.Itoa(y), Hours: partnership.FormatHours(minutes[y])}
		if b, ok := budgeted[y]; ok {
			row.Budgeted = b.String()
		}
		if rate > 0 {
			row.Value = partnership.VolunteerValue(minutes[y], rate).String()
		}
		vm.Rows = append(vm.Rows, row)
	}
	if b, ok := budgeted[year]; ok || minutes[year] > 0 {
		vm.Summary = volunteerSummary(year, b, ok, minutes[year], rate)
	}
	return vm, nil
}

// volunteerSummary is one year's comparison: "2024: Budgeterat: 282 000 kr
// · Loggat: 412 timmar × 250 kr = 103 000 kr".
func volunteerSummary(year int, budgeted money.Amount, hasBudget bool, minutes int64, rate money.Amount) string {
	s := strconv.Itoa(year) + ": Budgeterat: "
	if hasBudget {
		s += budgeted.String()
	} else {
		s += "inget ideellt arbete i budgeten"
	}
	s += " · Loggat: " + partnership.FormatHours(minutes) + " timmar"
	if rate > 0 {
		s += " × " + rate.String() + " = " + partnership.VolunteerValue(minutes, rate).String()
	}
	return s
}

// volunteerBudget is what the volunteer lines amount to in each year of
// the agreement's budget period, with the agreement's indexation; period
// is false (and nothing is budgeted per year) when the agreement lacks the
// dates of its period, and no year is listed when there are no lines.
func (s *Server) volunteerBudget(ctx context.Context, a partnership.Agreement, lines []partnership.BudgetLine) (map[int]money.Amount, bool, error) {
	start, end, ok := partnership.BudgetPeriod(a)
	if !ok || len(lines) == 0 {
		return nil, ok, nil
	}
	var decided []partnership.IndexRate
	if a.IndexMode == partnership.IndexMunicipal {
		var err error
		if decided, err = postgres.NewIndexRates(s.db.Pool).List(ctx); err != nil {
			return nil, true, err
		}
	}
	rate := partnership.Rates(a.IndexMode, a.IndexRateBP, decided)
	out := map[int]money.Amount{}
	for _, y := range partnership.Years(start, end) {
		out[y] = partnership.TotalForYear(lines, start, end, y, rate)
	}
	return out, true, nil
}
