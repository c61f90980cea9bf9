package partnership

import (
	"fmt"
	"strings"
	"time"

	"iop/internal/money"
)

// InvoiceStatus is where a received invoice is in its handling.
type InvoiceStatus string

// Invoices go received → approved → paid.
const (
	InvoiceReceived InvoiceStatus = "received"
	InvoiceApproved InvoiceStatus = "approved"
	InvoicePaid     InvoiceStatus = "paid"
)

// InvoiceStatuses lists the statuses in the order an invoice goes through them.
var InvoiceStatuses = []InvoiceStatus{InvoiceReceived, InvoiceApproved, InvoicePaid}

// Valid reports whether s is a known status.
func (s InvoiceStatus) Valid() bool {
	return s == InvoiceReceived || s == InvoiceApproved || s == InvoicePaid
}

// Label is the Swedish name of the status.
func (s InvoiceStatus) Label() string {
	switch s {
	case InvoiceReceived:
		return "Mottagen"
	case InvoiceApproved:
		return "Godkänd"
	case InvoicePaid:
		return "Betald"
	}
	return string(s)
}

// Next is the status that follows s, or "" when s is the last.
func (s InvoiceStatus) Next() InvoiceStatus {
	switch s {
	case InvoiceReceived:
		return InvoiceApproved
	case InvoiceApproved:
		return InvoicePaid
	}
	return ""
}

// CanBecome reports whether an invoice in status s may move to status to:
// only one step forward, never back and never skipping approval.
func (s InvoiceStatus) CanBecome(to InvoiceStatus) bool { return to != "" && s.Next() == to }

// Invoice is an invoice received from an association.
type Invoice struct {
	ID          int64
	AgreementID int64
	Number      string
	InvoiceDate time.Time
	Year        int
	Period      int // 1 for yearly (or no agreed terms); 1–4 for quarterly; 1–12 for monthly
	Amount      money.Amount
	Status      InvoiceStatus
	Note        string
	Version     int // for optimistic concurrency: bumped by every change
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// PeriodsPerYear is how many invoicing periods a year has under f: 1, 4 or
// 12. Terms not yet agreed count as yearly, as for the expected payments.
func PeriodsPerYear(f InvoiceFrequency) int {
	switch f {
	case InvoiceQuarterly:
		return 4
	case InvoiceMonthly:
		return 12
	}
	return 1
}

// Validate checks the fields an officer enters, keyed by form field name
// (number, invoice_date, year, period, amount, status, note), against the
// agreement's invoicing frequency.
func (inv Invoice) Validate(f InvoiceFrequency) error {
	v := ValidationError{}
	if n := strings.TrimSpace(inv.Number); n == "" {
		v.Add("number", "Ange fakturanumret.")
	} else if len([]rune(n)) > 100 {
		v.Add("number", "Fakturanumret får vara högst 100 tecken.")
	}
	if inv.InvoiceDate.IsZero() {
		v.Add("invoice_date", "Ange fakturadatum, till exempel 2024-01-31.")
	}
	if inv.Year < MinBudgetYear || inv.Year > MaxBudgetYear {
		v.Add("year", fmt.Sprintf("Ange ett år mellan %d och %d.", MinBudgetYear, MaxBudgetYear))
	}
	if n := PeriodsPerYear(f); inv.Period < 1 || inv.Period > n {
		if n == 1 {
			v.Add("period", "Överenskommelsen faktureras en gång per år: ange period 1 (helår).")
		} else {
			v.Add("period", fmt.Sprintf("Ange en period mellan 1 och %d.", n))
		}
	}
	if inv.Amount <= 0 || inv.Amount > MaxBudgetAmount {
		v.Add("amount", "Ange ett belopp större än 0 kr och högst 1 000 000 000 kr.")
	}
	if !inv.Status.Valid() {
		v.Add("status", "Okänd status.")
	}
	if len([]rune(inv.Note)) > maxAcceptedNote {
		v.Add("note", fmt.Sprintf("Anteckningen får vara högst %d tecken.", maxAcceptedNote))
	}
	return v.Err()
}

// Approve moves a received invoice to approved. Approving an invoice locks
// its year for the agreement; that is the use case's job.
func (inv *Invoice) Approve() error { return inv.advance(InvoiceApproved) }

// MarkPaid moves an approved invoice to paid.
func (inv *Invoice) MarkPaid() error { return inv.advance(InvoicePaid) }

func (inv *Invoice) advance(to InvoiceStatus) error {
	if !inv.Status.CanBecome(to) {
		return fmt.Errorf("invoice %d is %s and cannot become %s: %w", inv.ID, inv.Status, to, ErrConflict)
	}
	inv.Status = to
	return nil
}
