package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// invoiceValues are the invoice form's values for inv.
func invoiceValues(inv partnership.Invoice) map[string]string {
	return map[string]string{
		"number": inv.Number, "invoice_date": agreementDate(&inv.InvoiceDate), "year": strconv.Itoa(inv.Year),
		"period": strconv.Itoa(inv.Period), "amount": inv.Amount.String(), "note": inv.Note,
		"version": strconv.Itoa(inv.Version),
	}
}

// invoiceFieldNames are the invoice form's fields in form order.
var invoiceFieldNames = func() []string {
	names := make([]string, len(templates.InvoiceFields))
	for i, f := range templates.InvoiceFields {
		names[i] = f.Name
	}
	return names
}()

// parseInvoiceForm reads the invoice form. The values are kept for showing
// the form again; fields that do not parse are reported in verr, and the
// invoice is checked against the agreement's invoicing frequency f.
func parseInvoiceForm(r *http.Request, f partnership.InvoiceFrequency) (partnership.Invoice, map[string]string, partnership.ValidationError) {
	values := map[string]string{"version": r.PostForm.Get("version")}
	for _, name := range invoiceFieldNames {
		values[name] = r.PostForm.Get(name)
	}
	verr := partnership.ValidationError{}
	inv := partnership.Invoice{
		Number: strings.TrimSpace(values["number"]), Year: zeroIfNil(formInt(values, "year", verr)),
		Period: zeroIfNil(formInt(values, "period", verr)), Note: strings.TrimSpace(values["note"]),
		Status: partnership.InvoiceReceived,
	}
	if d := formDate(values, "invoice_date", verr); d != nil {
		inv.InvoiceDate = *d
	}
	amount, err := money.Parse(values["amount"])
	var perr *money.ParseError
	switch {
	case errors.As(err, &perr):
		verr.Add("amount", perr.Msg)
	case err != nil:
		verr.Add("amount", "Ange beloppet i kronor, till exempel 450 000 kr.")
	}
	inv.Amount = amount
	validationOf(verr, inv.Validate(f))
	return inv, values, verr
}

// invoicePeriodOptions are the periods of a year under f, as the period
// select offers them; a single yearly period is chosen from the start.
func invoicePeriodOptions(f partnership.InvoiceFrequency, selected string) []templates.Option {
	n := partnership.PeriodsPerYear(f)
	var opts []templates.Option
	if n > 1 {
		opts = append(opts, templates.Option{Value: "", Label: "Välj period", Selected: selected == ""})
	}
	for p := 1; p <= n; p++ {
		v := strconv.Itoa(p)
		// The period's name without a year: PeriodLabel of year 0 ends in " 0".
		name := strings.TrimSuffix(partnership.PeriodLabel(f, 0, p), " 0")
		opts = append(opts, templates.Option{Value: v, Label: name, Selected: selected == v || n == 1})
	}
	return opts
}

// renderInvoiceForm shows the invoice form of agreement a.
func (s *Server) renderInvoiceForm(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, vm templates.InvoiceFormVM) {
	vm.Base = s.base(r, vm.Heading)
	vm.AgreementTitle = a.Title
	vm.InvoicesURL = invoicesPath(a.ID)
	vm.Frequency = strings.ToLower(invoiceFrequencyLabel(a.InvoiceFrequency))
	vm.Periods = invoicePeriodOptions(a.InvoiceFrequency, vm.Form.Value("period"))
	s.render(w, r, status, templates.InvoiceFormPage(vm))
}

// invoiceDefaultYear is the year a new invoice most likely concerns: this
// year, or the nearest year of the agreement's budget period.
func (s *Server) invoiceDefaultYear(a partnership.Agreement) int {
	year := s.agreementToday().Year()
	if start, end, ok := partnership.BudgetPeriod(a); ok {
		year = min(max(year, start.Year()), end.Year())
	}
	return year
}

func (s *Server) handleInvoiceNew(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{"year": strconv.Itoa(s.invoiceDefaultYear(a))}
	s.renderInvoiceForm(w, r, http.StatusOK, a, templates.InvoiceFormVM{
		Heading: "Registrera faktura", Action: invoicesPath(a.ID), Form: templates.Form{Values: values},
	})
}

func (s *Server) handleInvoiceCreate(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	inv, values, verr := parseInvoiceForm(r, a.InvoiceFrequency)
	inv.AgreementID = a.ID
	vm := templates.InvoiceFormVM{Heading: "Registrera faktura", Action: invoicesPath(a.ID), Form: templates.Form{Values: values, Errors: verr}}
	if len(verr) == 0 {
		ctx := r.Context()
		err = s.db.InTx(ctx, func(tx pgx.Tx) error {
			created, err := postgres.NewInvoices(tx).Create(ctx, inv)
			if err != nil {
				return err
			}
			inv = created
			return postgres.NewAudit(tx).Record(ctx, s.invoiceEvent(r, "invoice.create", a.InvoiceFrequency, created, nil))
		})
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
	}
	if len(verr) > 0 {
		s.renderInvoiceForm(w, r, http.StatusUnprocessableEntity, a, vm)
		return
	}
	s.invoiceSaved(w, r, a, inv, fmt.Sprintf("Faktura %s registrerades.", inv.Number))
}

// invoiceSaved redirects to the agreement's invoices with a flash that
// tells, beside done, whether the invoice differs from what was expected.
func (s *Server) invoiceSaved(w http.ResponseWriter, r *http.Request, a partnership.Agreement, inv partnership.Invoice, done string) {
	exp, err := s.loadExpected(r, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if expected, ok := exp.forPeriod(inv.Year, inv.Period); ok {
		if warning := invoiceWarning(expected, inv.Amount); warning != "" {
			done += " " + warning + "."
		}
	}
	s.flash(r, done)
	http.Redirect(w, r, invoicesPath(a.ID), http.StatusSeeOther)
}

// lockedInvoice shows an invoice that is no longer received: approved and
// paid invoices do not change.
func lockedInvoice(vm *templates.InvoiceFormVM, f partnership.InvoiceFrequency, inv partnership.Invoice) {
	vm.LockedText = fmt.Sprintf("Fakturan är %s och kan inte längre ändras.", strings.ToLower(inv.Status.Label()))
	vm.Locked = invoiceFacts(f, inv)
}

// invoiceFacts are an invoice's details as a description list.
func invoiceFacts(f partnership.InvoiceFrequency, inv partnership.Invoice) []templates.AgreementFact {
	return []templates.AgreementFact{
		{Label: "Fakturanummer", Value: inv.Number}, {Label: "Fakturadatum", Value: agreementDate(&inv.InvoiceDate)},
		{Label: "Period", Value: partnership.PeriodLabel(f, inv.Year, inv.Period)},
		{Label: "Belopp", Value: inv.Amount.String(), TestID: "invoice-fact-amount"},
		{Label: "Status", Value: inv.Status.Label(), TestID: "invoice-fact-status"}, {Label: "Anteckning", Value: inv.Note},
	}
}

func (s *Server) handleInvoiceEdit(w http.ResponseWriter, r *http.Request) {
	a, inv, err := s.loadAgreementInvoice(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.InvoiceFormVM{
		Heading: "Faktura " + inv.Number, Action: invoicePath(a.ID, inv.ID), Editing: true,
		Form: templates.Form{Values: invoiceValues(inv)},
	}
	if inv.Status != partnership.InvoiceReceived {
		lockedInvoice(&vm, a.InvoiceFrequency, inv)
	}
	s.renderInvoiceForm(w, r, http.StatusOK, a, vm)
}

func (s *Server) handleInvoiceUpdate(w http.ResponseWriter, r *http.Request) {
	a, current, err := s.loadAgreementInvoice(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	parsed, values, verr := parseInvoiceForm(r, a.InvoiceFrequency)
	vm := templates.InvoiceFormVM{
		Heading: "Faktura " + current.Number, Action: invoicePath(a.ID, current.ID), Editing: true,
		Form: templates.Form{Values: values, Errors: verr},
	}
	switch {
	case current.Status != partnership.InvoiceReceived:
		lockedInvoice(&vm, a.InvoiceFrequency, current)
		s.renderInvoiceForm(w, r, http.StatusConflict, a, vm)
		return
	case formVersion(r) != current.Version:
		// Sent again, the form saves over the newer version.
		values["version"] = strconv.Itoa(current.Version)
		vm.Conflict = true
		s.renderInvoiceForm(w, r, http.StatusConflict, a, vm)
		return
	case len(verr) > 0:
		s.renderInvoiceForm(w, r, http.StatusUnprocessableEntity, a, vm)
		return
	}
	parsed.ID, parsed.AgreementID, parsed.Version, parsed.Status = current.ID, a.ID, current.Version, current.Status
	ctx := r.Context()
	var saved partnership.Invoice
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if saved, err = postgres.NewInvoices(tx).Update(ctx, parsed); err != nil {
			return err
		}
		changed := changedFields(invoiceFieldNames, invoiceValues(current), invoiceValues(saved))
		return postgres.NewAudit(tx).Record(ctx, s.invoiceEvent(r, "invoice.update", a.InvoiceFrequency, saved, map[string]any{"invoice_fields": changed}))
	})
	switch {
	case isConflict(err):
		s.invoiceConflict(w, r, a, current.ID, vm)
	case err != nil && validationOf(verr, err):
		s.renderInvoiceForm(w, r, http.StatusUnprocessableEntity, a, vm)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.invoiceSaved(w, r, a, saved, fmt.Sprintf("Ändringarna av faktura %s sparades.", saved.Number))
	}
}

// invoiceConflict shows the form again (409) after the invoice changed
// between reading and saving it: with the user's input, based on the
// version stored now, or as locked when it is no longer received.
func (s *Server) invoiceConflict(w http.ResponseWriter, r *http.Request, a partnership.Agreement, invoiceID int64, vm templates.InvoiceFormVM) {
	current, err := postgres.NewInvoices(s.db.Pool).ByID(r.Context(), a.ID, invoiceID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if current.Status != partnership.InvoiceReceived {
		lockedInvoice(&vm, a.InvoiceFrequency, current)
	}
	vm.Form.Values["version"] = strconv.Itoa(current.Version)
	vm.Conflict = true
	s.renderInvoiceForm(w, r, http.StatusConflict, a, vm)
}
