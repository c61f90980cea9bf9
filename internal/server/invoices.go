package server

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

func invoicesPath(agreementID int64) string { return agreementPath(agreementID) + "/invoices" }

func invoicePath(agreementID, invoiceID int64) string {
	return invoicesPath(agreementID) + "/" + strconv.FormatInt(invoiceID, 10)
}

// agreementAndInvoiceID reads both ids of an invoice route. The agreement
// goes through agreementID, so association staff cannot reach another
// organisation's invoices; the store finds an invoice only through its own
// agreement.
func (s *Server) agreementAndInvoiceID(r *http.Request) (int64, int64, error) {
	id, err := s.agreementID(r)
	if err != nil {
		return 0, 0, err
	}
	invoiceID, err := urlID(r, "invoiceID")
	if err != nil {
		return 0, 0, err
	}
	return id, invoiceID, nil
}

// loadAgreementInvoice reads the agreement and the invoice of the route.
func (s *Server) loadAgreementInvoice(r *http.Request) (partnership.Agreement, partnership.Invoice, error) {
	id, invoiceID, err := s.agreementAndInvoiceID(r)
	if err != nil {
		return partnership.Agreement{}, partnership.Invoice{}, err
	}
	a, err := postgres.NewAgreements(s.db.Pool).ByID(r.Context(), id)
	if err != nil {
		return a, partnership.Invoice{}, err
	}
	inv, err := postgres.NewInvoices(s.db.Pool).ByID(r.Context(), id, invoiceID)
	return a, inv, err
}

// loadExpected reads what the agreement's expected payments are computed from.
func (s *Server) loadExpected(r *http.Request, a partnership.Agreement) (invoiceExpected, error) {
	decided, err := postgres.NewIndexRates(s.db.Pool).List(r.Context())
	if err != nil {
		return invoiceExpected{}, err
	}
	return loadInvoiceExpected(r.Context(), s.db.Pool, a, decided)
}

// handleInvoiceList shows an agreement's expected payments, its invoice
// basis and the invoices received.
func (s *Server) handleInvoiceList(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	exp, err := s.loadExpected(r, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := postgres.NewInvoices(s.db.Pool).List(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := invoicesVM(exp, list, currentUser(r).Role.CanEditAgreements())
	vm.Base = s.base(r, "Fakturor – "+a.Title)
	s.render(w, r, http.StatusOK, templates.InvoicesPage(vm))
}

// invoicesVM shapes the invoices page; canEdit adds what officers may do.
func invoicesVM(exp invoiceExpected, list []partnership.Invoice, canEdit bool) templates.InvoicesVM {
	a := exp.agreement
	vm := templates.InvoicesVM{
		AgreementTitle: a.Title, AgreementURL: agreementPath(a.ID), CanEdit: canEdit,
		Frequency: invoiceFrequencyLabel(a.InvoiceFrequency),
		Basis: []templates.InvoiceBasisField{
			{Label: "Fakturaadress", Value: a.InvoiceAddress, Multiline: true, TestID: "invoice-address"},
			{Label: "Referenskod", Value: a.InvoiceReference, TestID: "invoice-reference"},
			{Label: "Märkning", Value: a.InvoiceMarking, TestID: "invoice-marking"},
			{Label: "Aktivitetskod", Value: a.ActivityCode, TestID: "activity-code"},
		},
	}
	if canEdit {
		vm.NewURL = invoicesPath(a.ID) + "/new"
	}
	if !exp.known {
		vm.Note = "Överenskommelsen saknar startdatum eller slutdatum, så de förväntade utbetalningarna kan inte beräknas."
	}
	type key struct{ year, period int }
	invoiced := map[key]money.Amount{}
	for _, inv := range list {
		k := key{inv.Year, inv.Period}
		invoiced[k] = money.Sum(invoiced[k], inv.Amount)
	}
	for _, year := range exp.years() {
		item := templates.InvoiceYearItem{Year: strconv.Itoa(year), Source: exp.source(year)}
		total, _ := exp.yearTotal(year)
		item.Total = total.String()
		for _, p := range exp.periods(year) {
			period := templates.InvoicePeriodItem{
				Label: p.Label, InvoiceLabel: invoiceLabel(a, p.Label), Expected: p.Amount.String(),
			}
			if sum, ok := invoiced[key{year, p.Period}]; ok {
				period.Invoiced = sum.String()
			}
			item.Periods = append(item.Periods, period)
		}
		vm.Years = append(vm.Years, item)
	}
	for _, inv := range list {
		vm.Invoices = append(vm.Invoices, invoiceItem(exp, inv, canEdit))
	}
	return vm
}

// invoiceItem is one received invoice, compared with what was expected for
// its period.
func invoiceItem(exp invoiceExpected, inv partnership.Invoice, canEdit bool) templates.InvoiceItem {
	a := exp.agreement
	item := templates.InvoiceItem{
		Number: inv.Number, Date: agreementDate(&inv.InvoiceDate), Year: strconv.Itoa(inv.Year),
		Period: partnership.PeriodLabel(a.InvoiceFrequency, inv.Year, inv.Period), Amount: inv.Amount.String(),
		Status: inv.Status.Label(), Badge: invoiceBadge(inv.Status),
	}
	if expected, ok := exp.forPeriod(inv.Year, inv.Period); ok {
		item.Expected = expected.String()
		item.Warning = invoiceWarning(expected, inv.Amount)
	}
	if canEdit {
		path := invoicePath(a.ID, inv.ID)
		item.EditURL = path
		switch inv.Status {
		case partnership.InvoiceReceived:
			item.ApproveURL, item.DeleteURL = path+"/approve", path+"/delete"
		case partnership.InvoiceApproved:
			item.PaidURL = path + "/paid"
		}
	}
	return item
}

// invoiceWarning is the warning for an invoice that differs from the
// expected payment, or "" when it does not.
func invoiceWarning(expected, invoiced money.Amount) string {
	dev := partnership.InvoiceDeviation(expected, invoiced)
	switch {
	case dev < 0:
		return fmt.Sprintf("Avviker från förväntat belopp med %s (lägre än förväntat)", dev)
	case dev > 0:
		return fmt.Sprintf("Avviker från förväntat belopp med %s (högre än förväntat)", dev)
	}
	return ""
}

// invoiceBadge is the badge class of a status, in the colours the
// agreement statuses use: grey while received, blue once approved, green
// when paid.
func invoiceBadge(st partnership.InvoiceStatus) string {
	switch st {
	case partnership.InvoiceApproved:
		return "badge-ended"
	case partnership.InvoicePaid:
		return "badge-active"
	}
	return "badge-draft"
}

// invoiceLabel is what the invoice is to be called for a period: the
// agreement's invoice label (its title when it states none) and the period
// in lower case, e.g. "IOP Internationella kvinnoföreningen IKF, helår 2024".
func invoiceLabel(a partnership.Agreement, periodLabel string) string {
	label := a.InvoiceLabel
	if label == "" {
		label = a.Title
	}
	return label + ", " + strings.ToLower(periodLabel)
}

// invoiceFrequencyLabel names the invoicing frequency; terms not yet
// agreed count as yearly, as for the expected payments.
func invoiceFrequencyLabel(f partnership.InvoiceFrequency) string {
	if f == "" {
		return "Inte angivet (räknas som en gång per år)"
	}
	return f.Label()
}

// invoiceEvent is the audit event of a change to an invoice, recorded on
// its agreement so that it shows in the agreement's history.
func (s *Server) invoiceEvent(r *http.Request, action string, f partnership.InvoiceFrequency, inv partnership.Invoice, extra map[string]any) partnership.AuditEvent {
	details := map[string]any{
		"invoice_id": inv.ID, "number": inv.Number, "year": inv.Year, "period": inv.Period, "amount_ore": inv.Amount.Ore(),
		"invoice": inv.Number + ", " + partnership.PeriodLabel(f, inv.Year, inv.Period) + ", " + inv.Amount.String(),
	}
	maps.Copy(details, extra)
	return s.agreementEvent(r, action, inv.AgreementID, details)
}
