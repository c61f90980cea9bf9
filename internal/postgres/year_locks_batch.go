package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// LocksOfYear returns the locks of year across all agreements, by
// agreement id: with ForYear, what the indexation of a year needs to know
// of every agreement's stored amounts in two queries whatever their number.
func (s *YearAmounts) LocksOfYear(ctx context.Context, year int) (map[int64]partnership.YearLock, error) {
	rows, _ := s.db.Query(ctx, `SELECT agreement_id, year, reason, locked_at FROM budget_year_locks
		WHERE year = $1`, year)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.YearLock])
	if err != nil {
		return nil, fmt.Errorf("locks of %d: %w", year, err)
	}
	out := make(map[int64]partnership.YearLock, len(list))
	for _, l := range list {
		out[l.AgreementID] = l
	}
	return out, nil
}
