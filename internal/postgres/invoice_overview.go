package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
)

// InvoiceOverviewRow is one agreement's invoicing in a year, summed in the
// database.
type InvoiceOverviewRow struct {
	AgreementID int64
	Title       string
	CaseNumber  string
	Invoices    int          // invoices recorded for the year
	Invoiced    money.Amount // all of them, whatever their status
	Approved    money.Amount // approved or paid
	Paid        money.Amount
	// Expected is the sum of the year's materialised amounts of the
	// municipality's cash lines: what the municipality should pay, as far
	// as the indexation has materialised the year. Materialised says
	// whether every such line has an amount for the year; when it is false
	// the expected figure must be computed from the rules instead.
	Expected     money.Amount
	Materialised bool
}

type invoiceOverviewRow struct {
	AgreementID  int64
	Title        string
	CaseNumber   string
	Invoices     int
	Invoiced     int64
	Approved     int64
	Paid         int64
	Expected     int64
	Materialised bool
}

func (r invoiceOverviewRow) row() InvoiceOverviewRow {
	return InvoiceOverviewRow{
		AgreementID: r.AgreementID, Title: r.Title, CaseNumber: r.CaseNumber, Invoices: r.Invoices,
		Invoiced: money.Amount(r.Invoiced), Approved: money.Amount(r.Approved), Paid: money.Amount(r.Paid),
		Expected: money.Amount(r.Expected), Materialised: r.Materialised,
	}
}

// InvoiceOverview returns, for every agreement u may see that covers year
// or has invoices for it, what was invoiced, approved and paid for the year,
// in title order. Association staff see only their own organisation's
// agreements.
func (s *Invoices) InvoiceOverview(ctx context.Context, year int, u partnership.User) ([]InvoiceOverviewRow, error) {
	rows, _ := s.db.Query(ctx, `
		WITH shown AS (
			SELECT c.id FROM (`+coveringAgreements+`) c
			UNION
			SELECT agreement_id FROM invoices WHERE year = $1
		), invoiced AS (
			SELECT agreement_id, count(*) AS invoices, sum(amount)::bigint AS invoiced,
			       coalesce(sum(amount) FILTER (WHERE status IN ('approved', 'paid')), 0)::bigint AS approved,
			       coalesce(sum(amount) FILTER (WHERE status = 'paid'), 0)::bigint AS paid
			FROM invoices WHERE year = $1 GROUP BY agreement_id
		), expected AS (
			SELECT l.agreement_id, coalesce(sum(y.amount), 0)::bigint AS expected, bool_and(y.line_id IS NOT NULL) AS materialised
			FROM budget_lines l
			JOIN agreement_parties p ON p.id = l.party_id AND p.role = 'municipality'
			LEFT JOIN budget_year_amounts y ON y.line_id = l.id AND y.year = $1
			WHERE l.kind = 'cash'
			GROUP BY l.agreement_id)
		SELECT a.id AS agreement_id, a.title, a.case_number, coalesce(i.invoices, 0) AS invoices,
		       coalesce(i.invoiced, 0) AS invoiced, coalesce(i.approved, 0) AS approved, coalesce(i.paid, 0) AS paid,
		       coalesce(e.expected, 0) AS expected, coalesce(e.materialised, true) AS materialised
		FROM shown JOIN agreements a ON a.id = shown.id
		LEFT JOIN invoiced i ON i.agreement_id = a.id
		LEFT JOIN expected e ON e.agreement_id = a.id
		WHERE $2::bigint IS NULL OR EXISTS (
			SELECT 1 FROM agreement_parties p WHERE p.agreement_id = a.id AND p.organisation_id = $2)
		ORDER BY a.title COLLATE "sv-SE-x-icu", a.id`, year, staffScope(u))
	list, err := pgx.CollectRows(rows, rowTo(invoiceOverviewRow.row))
	if err != nil {
		return nil, fmt.Errorf("invoice overview of %d: %w", year, err)
	}
	return list, nil
}
