package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
)

// YearAmounts stores the materialised amounts of budget lines per calendar
// year and the years locked per agreement. A locked year is never written:
// not its existing rows (they carry the lock themselves, so that an upsert
// refuses them row by row) and not new rows for lines added later.
//
// Upsert and LockYear first lock the agreement's row, so that a year cannot
// be locked half-way through an upsert of it: run them in a transaction
// (DB.InTx) for that guard to hold.
type YearAmounts struct{ db DBTX }

// NewYearAmounts returns the year amount store on db.
func NewYearAmounts(db DBTX) *YearAmounts { return &YearAmounts{db: db} }

const yearAmountColumns = `y.agreement_id, y.line_id, y.year, y.amount, y.locked, y.locked_by, y.computed_at`

// yearAmountJoin reaches the line and its party, for budget order.
const yearAmountJoin = ` FROM budget_year_amounts y JOIN budget_lines l ON l.id = y.line_id
	JOIN agreement_parties p ON p.id = l.party_id`

type yearAmountRow struct {
	AgreementID int64
	LineID      int64
	Year        int
	Amount      int64
	Locked      bool
	LockedBy    string
	ComputedAt  time.Time
}

func (r yearAmountRow) amount() partnership.YearAmount {
	return partnership.YearAmount{
		AgreementID: r.AgreementID, LineID: r.LineID, Year: r.Year, Amount: money.Amount(r.Amount),
		Locked: r.Locked, LockedBy: r.LockedBy, ComputedAt: r.ComputedAt,
	}
}

func collectYearAmounts(rows pgx.Rows, what string) ([]partnership.YearAmount, error) {
	list, err := pgx.CollectRows(rows, rowTo(yearAmountRow.amount))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return list, nil
}

// ForAgreement returns every materialised amount of an agreement, by year,
// then in budget order (party, then line).
func (s *YearAmounts) ForAgreement(ctx context.Context, agreementID int64) ([]partnership.YearAmount, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+yearAmountColumns+yearAmountJoin+`
		WHERE y.agreement_id = $1 ORDER BY y.year, p.position, p.id, l.position, l.id`, agreementID)
	return collectYearAmounts(rows, fmt.Sprintf("amounts of agreement %d", agreementID))
}

// ForYear returns the materialised amounts of a year across all agreements,
// by agreement, then in budget order.
func (s *YearAmounts) ForYear(ctx context.Context, year int) ([]partnership.YearAmount, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+yearAmountColumns+yearAmountJoin+`
		WHERE y.year = $1 ORDER BY y.agreement_id, p.position, p.id, l.position, l.id`, year)
	return collectYearAmounts(rows, fmt.Sprintf("amounts of %d", year))
}

// guard locks the agreement's row until the transaction ends, and tells an
// agreement that does not exist.
func (s *YearAmounts) guard(ctx context.Context, agreementID int64) error {
	var id int64
	err := s.db.QueryRow(ctx, `SELECT id FROM agreements WHERE id = $1 FOR NO KEY UPDATE`, agreementID).Scan(&id)
	if err != nil {
		return fmt.Errorf("agreement %d: %w", agreementID, mapError(err))
	}
	return nil
}

// Upsert materialises the year's amounts of an agreement's lines (LineID
// and Amount of each; their AgreementID and Year are ignored) in one
// statement, and says what it did line by line. A line of another
// agreement is partnership.ErrNotFound. Nothing of a locked year
// changes: those lines are counted as Locked. An amount is rewritten only
// when it differs or its line has changed since it was computed, so a
// second run with the same amounts writes nothing.
func (s *YearAmounts) Upsert(ctx context.Context, agreementID int64, year int, amounts []partnership.YearAmount) (partnership.IndexationCounts, error) {
	what := fmt.Sprintf("materialise %d of agreement %d", year, agreementID)
	lineIDs := make([]int64, len(amounts))
	values := make([]int64, len(amounts))
	seen := make(map[int64]bool, len(amounts))
	for i, a := range amounts {
		if seen[a.LineID] {
			return partnership.IndexationCounts{}, fmt.Errorf("%s: line %d given twice", what, a.LineID)
		}
		seen[a.LineID] = true
		lineIDs[i], values[i] = a.LineID, int64(a.Amount)
	}
	if err := s.guard(ctx, agreementID); err != nil {
		return partnership.IndexationCounts{}, fmt.Errorf("%s: %w", what, err)
	}
	var own int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM budget_lines WHERE agreement_id = $1 AND id = ANY($2)`,
		agreementID, lineIDs).Scan(&own); err != nil {
		return partnership.IndexationCounts{}, fmt.Errorf("%s: %w", what, err)
	}
	if own != len(lineIDs) {
		return partnership.IndexationCounts{}, fmt.Errorf("%s: a line is not one of the agreement's: %w", what, partnership.ErrNotFound)
	}
	var c partnership.IndexationCounts
	// Every part of the statement sees the rows as they were before it, so
	// "before" holds the old amounts while "written" changes them; the
	// counts follow from comparing the input with "before".
	err := s.db.QueryRow(ctx, `
		WITH input AS (
			SELECT line_id, amount FROM unnest($3::bigint[], $4::bigint[]) AS t (line_id, amount)
		), year_lock AS (
			SELECT EXISTS (SELECT 1 FROM budget_year_locks WHERE agreement_id = $1 AND year = $2) AS locked
		), before AS (
			SELECT y.line_id, y.amount, y.locked FROM budget_year_amounts y JOIN input i ON i.line_id = y.line_id
			WHERE y.year = $2
		), written AS (
			INSERT INTO budget_year_amounts AS y (agreement_id, line_id, year, amount)
			SELECT $1, i.line_id, $2, i.amount FROM input i WHERE NOT (SELECT locked FROM year_lock)
			ON CONFLICT (line_id, year) DO UPDATE SET amount = EXCLUDED.amount, computed_at = now()
			WHERE NOT y.locked AND (y.amount <> EXCLUDED.amount
			      OR y.computed_at < (SELECT updated_at FROM budget_lines WHERE id = y.line_id))
			RETURNING y.line_id)
		SELECT count(*) FILTER (WHERE NOT k.locked AND b.line_id IS NULL),
		       count(*) FILTER (WHERE NOT k.locked AND NOT b.locked AND b.amount <> i.amount),
		       count(*) FILTER (WHERE NOT k.locked AND NOT b.locked AND b.amount = i.amount),
		       count(*) FILTER (WHERE k.locked OR coalesce(b.locked, false))
		FROM input i CROSS JOIN year_lock k LEFT JOIN before b ON b.line_id = i.line_id`,
		agreementID, year, lineIDs, values).Scan(&c.Inserted, &c.Updated, &c.Unchanged, &c.Locked)
	if err != nil {
		return partnership.IndexationCounts{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return c, nil
}

// LockYear locks a year of an agreement with the reason (e.g. "Faktura
// 2023-17 godkänd") and returns how many materialised amounts it locked.
// Lock a year after materialising it: a locked year gets no amounts. A year
// already locked keeps its first reason.
func (s *YearAmounts) LockYear(ctx context.Context, agreementID int64, year int, reason string) (int, error) {
	what := fmt.Sprintf("lock %d of agreement %d", year, agreementID)
	if err := s.guard(ctx, agreementID); err != nil {
		return 0, fmt.Errorf("%s: %w", what, err)
	}
	var n int
	err := s.db.QueryRow(ctx, `
		WITH added AS (
			INSERT INTO budget_year_locks (agreement_id, year, reason) VALUES ($1, $2, $3)
			ON CONFLICT (agreement_id, year) DO NOTHING
			RETURNING reason
		), current_lock AS (
			SELECT reason FROM added
			UNION ALL
			SELECT reason FROM budget_year_locks WHERE agreement_id = $1 AND year = $2
		), locked AS (
			UPDATE budget_year_amounts SET locked = true, locked_by = (SELECT reason FROM current_lock LIMIT 1)
			WHERE agreement_id = $1 AND year = $2 AND NOT locked
			RETURNING line_id)
		SELECT count(*) FROM locked`, agreementID, year, reason).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return n, nil
}

// UnlockYear lifts the lock of a year of an agreement and returns it; the
// next indexation may change the year again. A year that is not locked is
// partnership.ErrNotFound.
func (s *YearAmounts) UnlockYear(ctx context.Context, agreementID int64, year int) (partnership.YearLock, error) {
	rows, _ := s.db.Query(ctx, `
		WITH removed AS (
			DELETE FROM budget_year_locks WHERE agreement_id = $1 AND year = $2
			RETURNING agreement_id, year, reason, locked_at
		), unlocked AS (
			UPDATE budget_year_amounts SET locked = false, locked_by = ''
			WHERE agreement_id = $1 AND year = $2 AND EXISTS (SELECT 1 FROM removed)
			RETURNING line_id)
		SELECT agreement_id, year, reason, locked_at FROM removed`, agreementID, year)
	lock, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[partnership.YearLock])
	if err != nil {
		return partnership.YearLock{}, fmt.Errorf("unlock %d of agreement %d: %w", year, agreementID, mapError(err))
	}
	return lock, nil
}

// Locks returns the locked years of an agreement, in year order.
func (s *YearAmounts) Locks(ctx context.Context, agreementID int64) ([]partnership.YearLock, error) {
	rows, _ := s.db.Query(ctx, `SELECT agreement_id, year, reason, locked_at FROM budget_year_locks
		WHERE agreement_id = $1 ORDER BY year`, agreementID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.YearLock])
	if err != nil {
		return nil, fmt.Errorf("locked years of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// YearLocked reports whether a year of an agreement is locked.
func (s *YearAmounts) YearLocked(ctx context.Context, agreementID int64, year int) (bool, error) {
	var locked bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM budget_year_locks WHERE agreement_id = $1 AND year = $2)`,
		agreementID, year).Scan(&locked)
	if err != nil {
		return false, fmt.Errorf("is %d of agreement %d locked: %w", year, agreementID, err)
	}
	return locked, nil
}
