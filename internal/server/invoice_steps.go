package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"

	"iop/internal/indexation"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// invoiceStep is a step of an invoice's handling that is confirmed on a
// page of its own: approval, payment or removal.
type invoiceStep struct {
	path    string // the step's path below the invoice
	heading string
	text    string // what the step does, %d is the invoice's year
	confirm string
	danger  bool
	allowed func(partnership.InvoiceStatus) bool
}

var (
	approveStep = invoiceStep{
		path: "/approve", heading: "Godkänn faktura", confirm: "Godkänn faktura",
		text:    "När fakturan godkänns låses budgetens belopp för %d för överenskommelsen: indexeringen ändrar dem inte längre.",
		allowed: func(st partnership.InvoiceStatus) bool { return st.CanBecome(partnership.InvoiceApproved) },
	}
	paidStep = invoiceStep{
		path: "/paid", heading: "Markera faktura som betald", confirm: "Markera som betald",
		text:    "Markera fakturan som betald när kommunen har betalat den. Den avser %d.",
		allowed: func(st partnership.InvoiceStatus) bool { return st.CanBecome(partnership.InvoicePaid) },
	}
	deleteStep = invoiceStep{
		path: "/delete", heading: "Ta bort faktura", confirm: "Ta bort faktura", danger: true,
		text:    "Fakturan för %d tas bort och kan inte återställas. Bara fakturor som inte har godkänts kan tas bort.",
		allowed: func(st partnership.InvoiceStatus) bool { return st == partnership.InvoiceReceived },
	}
)

// confirmInvoiceStep asks before a step; a step the invoice's status does
// not allow is refused as a conflict.
func (s *Server) confirmInvoiceStep(w http.ResponseWriter, r *http.Request, step invoiceStep) {
	a, inv, err := s.loadAgreementInvoice(r)
	if err == nil && !step.allowed(inv.Status) {
		err = fmt.Errorf("invoice %d is %s: %s refused: %w", inv.ID, inv.Status, step.path, partnership.ErrConflict)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.InvoiceConfirmPage(templates.InvoiceConfirmVM{
		Base: s.base(r, step.heading), Heading: step.heading + " " + inv.Number,
		Facts: invoiceFacts(a.InvoiceFrequency, inv), Text: fmt.Sprintf(step.text, inv.Year),
		Action: invoicePath(a.ID, inv.ID) + step.path, Version: strconv.Itoa(inv.Version),
		Confirm: step.confirm, Danger: step.danger, Cancel: invoicesPath(a.ID),
	}))
}

func (s *Server) handleInvoiceApproveConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmInvoiceStep(w, r, approveStep)
}

func (s *Server) handleInvoicePaidConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmInvoiceStep(w, r, paidStep)
}

func (s *Server) handleInvoiceDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	s.confirmInvoiceStep(w, r, deleteStep)
}

// changeInvoice runs a step in one transaction with its audit event: step
// changes the invoice (the store refuses anything but the invoice's
// current version and a status that allows the step) and returns the
// event's extra details. Afterwards it redirects to the agreement's
// invoices with the flash done.
func (s *Server) changeInvoice(w http.ResponseWriter, r *http.Request, action string,
	step func(tx pgx.Tx, a partnership.Agreement, invoiceID int64, version int) (partnership.Invoice, map[string]any, error),
	done func(partnership.Invoice) string) {
	id, invoiceID, err := s.agreementAndInvoiceID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	var inv partnership.Invoice
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		a, err := postgres.NewAgreements(tx).ByID(ctx, id)
		if err != nil {
			return err
		}
		var extra map[string]any
		if inv, extra, err = step(tx, a, invoiceID, formVersion(r)); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, s.invoiceEvent(r, action, a.InvoiceFrequency, inv, extra))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, done(inv))
	http.Redirect(w, r, invoicesPath(id), http.StatusSeeOther)
}

// handleInvoiceApprove approves a received invoice and, in the same
// transaction, locks its year's budget amounts for the agreement, after
// bringing them up to date (see indexation.MaterialiseYear).
func (s *Server) handleInvoiceApprove(w http.ResponseWriter, r *http.Request) {
	s.changeInvoice(w, r, "invoice.approve", func(tx pgx.Tx, a partnership.Agreement, invoiceID int64, version int) (partnership.Invoice, map[string]any, error) {
		ctx := r.Context()
		inv, err := postgres.NewInvoices(tx).SetStatus(ctx, a.ID, invoiceID, version, partnership.InvoiceApproved)
		if err != nil {
			return inv, nil, err
		}
		counts, err := indexation.MaterialiseYear(ctx, tx, a, inv.Year)
		if err != nil {
			return inv, nil, err
		}
		locked, err := postgres.NewYearAmounts(tx).LockYear(ctx, a.ID, inv.Year, "Faktura "+inv.Number+" godkänd")
		if err != nil {
			return inv, nil, err
		}
		return inv, map[string]any{
			"locked_year": inv.Year, "locked_amounts": locked,
			"materialised": counts.Inserted + counts.Updated,
		}, nil
	}, func(inv partnership.Invoice) string {
		return fmt.Sprintf("Faktura %s godkändes. Budgetens belopp för %d är låsta.", inv.Number, inv.Year)
	})
}

func (s *Server) handleInvoicePaid(w http.ResponseWriter, r *http.Request) {
	s.changeInvoice(w, r, "invoice.pay", func(tx pgx.Tx, a partnership.Agreement, invoiceID int64, version int) (partnership.Invoice, map[string]any, error) {
		inv, err := postgres.NewInvoices(tx).SetStatus(r.Context(), a.ID, invoiceID, version, partnership.InvoicePaid)
		return inv, nil, err
	}, func(inv partnership.Invoice) string {
		return fmt.Sprintf("Faktura %s är markerad som betald.", inv.Number)
	})
}

func (s *Server) handleInvoiceDelete(w http.ResponseWriter, r *http.Request) {
	s.changeInvoice(w, r, "invoice.delete", func(tx pgx.Tx, a partnership.Agreement, invoiceID int64, version int) (partnership.Invoice, map[string]any, error) {
		inv, err := postgres.NewInvoices(tx).Delete(r.Context(), a.ID, invoiceID, version)
		return inv, nil, err
	}, func(inv partnership.Invoice) string {
		return fmt.Sprintf("Faktura %s togs bort.", inv.Number)
	})
}
