package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// IndexationLockKey is the advisory lock key of the scheduled indexation
// run: whichever app instance holds it runs, the others skip.
const IndexationLockKey int64 = 0x494f50_494e4458 // "IOP" "INDX"

// TryAdvisoryLock takes the transaction-level advisory lock key if no other
// session holds it, and reports whether it did. The lock is released when
// tx ends; there is nothing to unlock.
func TryAdvisoryLock(ctx context.Context, tx pgx.Tx, key int64) (bool, error) {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, key).Scan(&ok); err != nil {
		return false, fmt.Errorf("try advisory lock %d: %w", key, err)
	}
	return ok, nil
}

// coveringAgreements selects the ids of the agreements whose budget period
// touches the calendar year in parameter $1, as partnership.BudgetPeriod
// defines it: from the start date to the current end after extensions, or
// to the termination date when that is earlier; both must be known.
const coveringAgreements = `
	SELECT a.id FROM agreements a
	CROSS JOIN LATERAL (
		SELECT least(greatest(a.end_date, (SELECT max(e.new_end_date) FROM agreement_extensions e
		                                    WHERE e.agreement_id = a.id)),
		             a.terminated_on) AS last_day) period
	WHERE a.start_date IS NOT NULL AND period.last_day >= a.start_date
	  AND a.start_date <= make_date($1::integer, 12, 31) AND period.last_day >= make_date($1::integer, 1, 1)`

// Covering returns the ids of the agreements whose budget period touches
// year, in id order: those the indexation of year materialises.
func (s *YearAmounts) Covering(ctx context.Context, year int) ([]int64, error) {
	rows, _ := s.db.Query(ctx, coveringAgreements+` ORDER BY a.id`, year)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("agreements covering %d: %w", year, err)
	}
	return ids, nil
}

// Unmaterialised returns the ids of the agreements covering year that the
// indexation of year has yet to bring up to date, in id order: a line
// without an amount for the year, or changed since its amount was
// computed. A locked year counts as done, whatever it holds.
func (s *YearAmounts) Unmaterialised(ctx context.Context, year int) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT c.id FROM (`+coveringAgreements+`) c
		WHERE NOT EXISTS (SELECT 1 FROM budget_year_locks k WHERE k.agreement_id = c.id AND k.year = $1)
		  AND EXISTS (
			SELECT 1 FROM budget_lines l
			LEFT JOIN budget_year_amounts y ON y.line_id = l.id AND y.year = $1
			WHERE l.agreement_id = c.id
			  AND (y.line_id IS NULL OR (NOT y.locked AND y.computed_at < l.updated_at)))
		ORDER BY c.id`, year)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("agreements not materialised for %d: %w", year, err)
	}
	return ids, nil
}

// Materialised reports whether year is materialised for every agreement
// covering it (see Unmaterialised): the scheduled run has nothing to do.
func (s *YearAmounts) Materialised(ctx context.Context, year int) (bool, error) {
	ids, err := s.Unmaterialised(ctx, year)
	return len(ids) == 0 && err == nil, err
}

// RecordRun stores the record of an indexation run and returns it with its
// id. A zero FinishedAt means now, a zero StartedAt the same as FinishedAt.
func (s *YearAmounts) RecordRun(ctx context.Context, run partnership.IndexationRun) (partnership.IndexationRun, error) {
	var started, finished *time.Time
	if !run.StartedAt.IsZero() {
		started = &run.StartedAt
	}
	if !run.FinishedAt.IsZero() {
		finished = &run.FinishedAt
	}
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			INSERT INTO indexation_runs (year, started_by, dry_run, agreements, inserted, updated, unchanged, locked,
			                             started_at, finished_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, $10, now()), coalesce($10, now()))
			RETURNING id, year, started_by, dry_run, agreements, inserted, updated, unchanged, locked, started_at, finished_at)
		SELECT `+indexationRunColumns+` FROM changed r LEFT JOIN users u ON u.id = r.started_by`,
		run.Year, run.StartedBy, run.DryRun, run.Agreements, run.Inserted, run.Updated, run.Unchanged, run.Locked,
		started, finished)
	recorded, err := pgx.CollectExactlyOneRow(rows, rowTo(indexationRunRow.run))
	if err != nil {
		return partnership.IndexationRun{}, fmt.Errorf("record indexation run of %d: %w", run.Year, mapError(err))
	}
	return recorded, nil
}

// Runs returns the latest indexation runs, newest first, at most limit.
func (s *YearAmounts) Runs(ctx context.Context, limit int) ([]partnership.IndexationRun, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+indexationRunColumns+`
		FROM indexation_runs r LEFT JOIN users u ON u.id = r.started_by
		ORDER BY r.finished_at DESC, r.id DESC LIMIT $1`, limit)
	list, err := pgx.CollectRows(rows, rowTo(indexationRunRow.run))
	if err != nil {
		return nil, fmt.Errorf("indexation runs: %w", err)
	}
	return list, nil
}

const indexationRunColumns = `r.id, r.year, r.started_by, coalesce(u.name, '') AS started_by_name, r.dry_run,
	r.agreements, r.inserted, r.updated, r.unchanged, r.locked, r.started_at, r.finished_at`

type indexationRunRow struct {
	ID            int64
	Year          int
	StartedBy     *int64
	StartedByName string
	DryRun        bool
	Agreements    int
	Inserted      int
	Updated       int
	Unchanged     int
	Locked        int
	StartedAt     time.Time
	FinishedAt    time.Time
}

func (r indexationRunRow) run() partnership.IndexationRun {
	return partnership.IndexationRun{
		ID: r.ID, Year: r.Year, StartedBy: r.StartedBy, StartedByName: r.StartedByName, DryRun: r.DryRun,
		Agreements: r.Agreements,
		IndexationCounts: partnership.IndexationCounts{
			Inserted: r.Inserted, Updated: r.Updated, Unchanged: r.Unchanged, Locked: r.Locked,
		},
		StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
	}
}
