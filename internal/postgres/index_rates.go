package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// IndexRates stores the yearly rates the municipality decides (e.g. a
// definitive OPI figure), which agreements in municipal index mode follow.
type IndexRates struct{ db DBTX }

// NewIndexRates returns the index rate store on db.
func NewIndexRates(db DBTX) *IndexRates { return &IndexRates{db: db} }

const indexRateColumns = `year, rate_bp, source`

type indexRateRow struct {
	Year   int
	RateBP int64 `db:"rate_bp"`
	Source string
}

func (r indexRateRow) rate() partnership.IndexRate {
	return partnership.IndexRate{Year: r.Year, RateBP: r.RateBP, Source: r.Source}
}

// collectRate reads the one rate a statement returned.
func collectRate(rows pgx.Rows, what string) (partnership.IndexRate, error) {
	r, err := pgx.CollectExactlyOneRow(rows, rowTo(indexRateRow.rate))
	if err != nil {
		return partnership.IndexRate{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return r, nil
}

// List returns every decided rate in year order.
func (s *IndexRates) List(ctx context.Context) ([]partnership.IndexRate, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+indexRateColumns+` FROM index_rates ORDER BY year`)
	list, err := pgx.CollectRows(rows, rowTo(indexRateRow.rate))
	if err != nil {
		return nil, fmt.Errorf("list index rates: %w", err)
	}
	return list, nil
}

// ByYear returns the rate decided for year.
func (s *IndexRates) ByYear(ctx context.Context, year int) (partnership.IndexRate, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+indexRateColumns+` FROM index_rates WHERE year = $1`, year)
	return collectRate(rows, fmt.Sprintf("index rate of %d", year))
}

// Upsert records r as the rate of its year, replacing a rate decided
// before, and returns it as stored.
func (s *IndexRates) Upsert(ctx context.Context, r partnership.IndexRate) (partnership.IndexRate, error) {
	rows, _ := s.db.Query(ctx, `
		INSERT INTO index_rates (year, rate_bp, source) VALUES ($1, $2, $3)
		ON CONFLICT (year) DO UPDATE SET rate_bp = EXCLUDED.rate_bp, source = EXCLUDED.source, updated_at = now()
		RETURNING `+indexRateColumns, r.Year, r.RateBP, r.Source)
	return collectRate(rows, fmt.Sprintf("save index rate of %d", r.Year))
}

// Delete removes the rate of year and returns what it was.
func (s *IndexRates) Delete(ctx context.Context, year int) (partnership.IndexRate, error) {
	rows, _ := s.db.Query(ctx, `DELETE FROM index_rates WHERE year = $1 RETURNING `+indexRateColumns, year)
	return collectRate(rows, fmt.Sprintf("delete index rate of %d", year))
}
