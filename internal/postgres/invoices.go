package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
)

// Invoices stores the invoices received from associations. Every lookup
// names the agreement as well as the invoice, and every change is based on
// a version: a change based on an older version is refused with
// partnership.ErrConflict (optimistic concurrency).
type Invoices struct{ db DBTX }

// NewInvoices returns the invoice store on db.
func NewInvoices(db DBTX) *Invoices { return &Invoices{db: db} }

const invoiceFields = `id, agreement_id, number, invoice_date, year, period, amount, status, note, version,
	created_at, updated_at`

type invoiceRow struct {
	ID          int64
	AgreementID int64
	Number      string
	InvoiceDate time.Time
	Year        int
	Period      int
	Amount      int64
	Status      string
	Note        string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (r invoiceRow) invoice() partnership.Invoice {
	return partnership.Invoice{
		ID: r.ID, AgreementID: r.AgreementID, Number: r.Number, InvoiceDate: r.InvoiceDate, Year: r.Year,
		Period: r.Period, Amount: money.Amount(r.Amount), Status: partnership.InvoiceStatus(r.Status),
		Note: r.Note, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func collectInvoice(rows pgx.Rows, what string) (partnership.Invoice, error) {
	inv, err := pgx.CollectExactlyOneRow(rows, rowTo(invoiceRow.invoice))
	if err != nil {
		return partnership.Invoice{}, fmt.Errorf("%s: %w", what, mapInvoiceError(err))
	}
	return inv, nil
}

// mapInvoiceError explains an invoice number recorded twice for the same
// agreement, and an agreement that does not exist.
func mapInvoiceError(err error) error {
	switch {
	case uniqueViolation(err, "invoices_agreement_number_key"):
		return partnership.ValidationError{"number": "En faktura med det numret finns redan för överenskommelsen."}
	case foreignKeyViolation(err, "invoices_agreement_id_fkey"):
		return partnership.ErrNotFound
	}
	return mapError(err)
}

// Create records a received invoice and returns it as stored, at version 1.
// An empty Status is received.
func (s *Invoices) Create(ctx context.Context, inv partnership.Invoice) (partnership.Invoice, error) {
	status := inv.Status
	if status == "" {
		status = partnership.InvoiceReceived
	}
	rows, _ := s.db.Query(ctx, `
		INSERT INTO invoices (agreement_id, number, invoice_date, year, period, amount, status, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING `+invoiceFields,
		inv.AgreementID, inv.Number, inv.InvoiceDate, inv.Year, inv.Period, int64(inv.Amount), string(status), inv.Note)
	return collectInvoice(rows, fmt.Sprintf("record invoice %q of agreement %d", inv.Number, inv.AgreementID))
}

// Update saves the number, date, year, period, amount and note of inv,
// provided the stored version is still inv.Version, and returns it at the
// next version. The status changes only through SetStatus.
func (s *Invoices) Update(ctx context.Context, inv partnership.Invoice) (partnership.Invoice, error) {
	what := fmt.Sprintf("update invoice %d of agreement %d", inv.ID, inv.AgreementID)
	rows, _ := s.db.Query(ctx, `
		UPDATE invoices SET number = $4, invoice_date = $5, year = $6, period = $7, amount = $8, note = $9,
		       version = version + 1, updated_at = now()
		WHERE agreement_id = $1 AND id = $2 AND version = $3
		RETURNING `+invoiceFields,
		inv.AgreementID, inv.ID, inv.Version, inv.Number, inv.InvoiceDate, inv.Year, inv.Period, int64(inv.Amount), inv.Note)
	saved, err := collectInvoice(rows, what)
	return saved, s.versionError(ctx, err, inv.AgreementID, inv.ID, inv.Version, what)
}

// SetStatus moves an invoice to status to, provided it is at version and
// the move is one step forward (received → approved → paid), and returns
// it at the next version. Anything else is partnership.ErrConflict.
func (s *Invoices) SetStatus(ctx context.Context, agreementID, id int64, version int, to partnership.InvoiceStatus) (partnership.Invoice, error) {
	what := fmt.Sprintf("set invoice %d of agreement %d to %s", id, agreementID, to)
	var from partnership.InvoiceStatus
	for _, st := range partnership.InvoiceStatuses {
		if st.CanBecome(to) {
			from = st
		}
	}
	if from == "" {
		return partnership.Invoice{}, fmt.Errorf("%s: no status becomes %q: %w", what, to, partnership.ErrConflict)
	}
	rows, _ := s.db.Query(ctx, `
		UPDATE invoices SET status = $4, version = version + 1, updated_at = now()
		WHERE agreement_id = $1 AND id = $2 AND version = $3 AND status = $5
		RETURNING `+invoiceFields, agreementID, id, version, string(to), string(from))
	saved, err := collectInvoice(rows, what)
	return saved, s.versionError(ctx, err, agreementID, id, version, what)
}

// Delete removes an invoice that is still received (approved and paid
// invoices stay), provided it is at version, and returns what it was.
func (s *Invoices) Delete(ctx context.Context, agreementID, id int64, version int) (partnership.Invoice, error) {
	what := fmt.Sprintf("delete invoice %d of agreement %d", id, agreementID)
	rows, _ := s.db.Query(ctx, `
		DELETE FROM invoices WHERE agreement_id = $1 AND id = $2 AND version = $3 AND status = 'received'
		RETURNING `+invoiceFields, agreementID, id, version)
	saved, err := collectInvoice(rows, what)
	return saved, s.versionError(ctx, err, agreementID, id, version, what)
}

// versionError turns "no row changed" into partnership.ErrConflict when the
// invoice exists (it is at another version or status) and leaves
// partnership.ErrNotFound when it does not; other results pass through.
func (s *Invoices) versionError(ctx context.Context, err error, agreementID, id int64, version int, what string) error {
	if !errors.Is(err, partnership.ErrNotFound) {
		return err
	}
	if _, ferr := s.ByID(ctx, agreementID, id); ferr != nil {
		return err
	}
	return fmt.Errorf("%s from version %d: %w", what, version, partnership.ErrConflict)
}

// ByID finds an invoice of an agreement.
func (s *Invoices) ByID(ctx context.Context, agreementID, id int64) (partnership.Invoice, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+invoiceFields+` FROM invoices WHERE agreement_id = $1 AND id = $2`,
		agreementID, id)
	return collectInvoice(rows, fmt.Sprintf("find invoice %d of agreement %d", id, agreementID))
}

// List returns an agreement's invoices by year, period and invoice date.
func (s *Invoices) List(ctx context.Context, agreementID int64) ([]partnership.Invoice, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+invoiceFields+` FROM invoices WHERE agreement_id = $1
		ORDER BY year, period, invoice_date, id`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(invoiceRow.invoice))
	if err != nil {
		return nil, fmt.Errorf("list invoices of agreement %d: %w", agreementID, err)
	}
	return list, nil
}
