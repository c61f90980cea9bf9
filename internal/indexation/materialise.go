package indexation

import (
	"context"
	"fmt"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// MaterialiseYear brings the year's amounts of every budget line of the
// agreement up to date in db (a transaction), as a run does, so that a year
// about to be locked (by an approved invoice or annual report) holds the
// amounts it was approved against: a locked year gets no amounts
// afterwards. A year outside the budget period, or of an agreement without
// a known period or lines, has nothing to materialise.
func MaterialiseYear(ctx context.Context, db postgres.DBTX, a partnership.Agreement, year int) (partnership.IndexationCounts, error) {
	start, end, ok := partnership.BudgetPeriod(a)
	if !ok || year < start.Year() || year > end.Year() {
		return partnership.IndexationCounts{}, nil
	}
	lines, err := postgres.NewBudgets(db).Lines(ctx, a.ID)
	if err != nil || len(lines) == 0 {
		return partnership.IndexationCounts{}, err
	}
	decided, err := postgres.NewIndexRates(db).List(ctx)
	if err != nil {
		return partnership.IndexationCounts{}, err
	}
	rate := partnership.Rates(a.IndexMode, a.IndexRateBP, decided)
	amounts := make([]partnership.YearAmount, len(lines))
	for i, l := range lines {
		amounts[i] = partnership.YearAmount{LineID: l.ID, Amount: partnership.AmountForYear(l, start, end, year, rate)}
	}
	counts, err := postgres.NewYearAmounts(db).Upsert(ctx, a.ID, year, amounts)
	if err != nil {
		return counts, fmt.Errorf("materialise %d before locking it: %w", year, err)
	}
	return counts, nil
}
