package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

const (
	ikfTitle       = "Inkludering på lika villkor"
	hoppfullTitle  = "Hoppfull framtid"
	ikfLabel2024   = "IOP Internationella kvinnoföreningen IKF, helår 2024"
	deviation9000  = "Avviker från förväntat belopp med -9\u00a0000\u00a0kr"
	approveSuccess = "godkändes"
)

// invDemoAgreement finds a demo agreement by its title.
func invDemoAgreement(t *testing.T, a *app, title string) partnership.Agreement {
	t.Helper()
	ag, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// storeInvoice records a received invoice of 100 kr for 2024 through the
// store.
func storeInvoice(t *testing.T, a *app, agreementID int64, number string) int64 {
	t.Helper()
	inv, err := postgres.NewInvoices(a.db.Pool).Create(context.Background(), partnership.Invoice{
		AgreementID: agreementID, Number: number, InvoiceDate: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC),
		Year: 2024, Period: 1, Amount: money.Kronor(100),
	})
	if err != nil {
		t.Fatal(err)
	}
	return inv.ID
}

// readInvoice reads an invoice back from the database.
func readInvoice(t *testing.T, a *app, agreementID, id int64) partnership.Invoice {
	t.Helper()
	inv, err := postgres.NewInvoices(a.db.Pool).ByID(context.Background(), agreementID, id)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// invoiceByNumber finds an invoice of an agreement by its number.
func invoiceByNumber(t *testing.T, a *app, agreementID int64, number string) partnership.Invoice {
	t.Helper()
	list, err := postgres.NewInvoices(a.db.Pool).List(context.Background(), agreementID)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range list {
		if inv.Number == number {
			return inv
		}
	}
	t.Fatalf("no invoice %s", number)
	return partnership.Invoice{}
}

// invFragment is the part of body from the element with the data-testid
// to the first end after it, e.g. "</table>".
func invFragment(t *testing.T, body, testID, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `data-testid="`+testID+`"`)
	if !ok {
		t.Fatalf("no %s in the page", testID)
	}
	fragment, _, _ := strings.Cut(rest, end)
	return fragment
}

// invoiceForm is the invoice form as a browser sends it.
func invoiceForm(number, date, year, period, amount string) url.Values {
	return url.Values{"number": {number}, "invoice_date": {date}, "year": {year}, "period": {period},
		"amount": {amount}, "note": {""}}
}

// invoiceAudits counts the audit events of an action on an agreement.
func invoiceAudits(t *testing.T, a *app, agreementID int64, action string) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE entity = 'agreement' AND entity_id = $1 AND action = $2 AND actor_id IS NOT NULL`,
		itoa(agreementID), action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInvoiceExpectedPaymentsAndBasis(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	res := loggedIn(a, viewerEmail).get(invoicesURL(ikf.ID))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("invoices page: %d", res.StatusCode)
	}
	for year, want := range map[string][]string{
		"2023": {"Helår 2023", "IOP Internationella kvinnoföreningen IKF, helår 2023", kr("450 000 kr")},
		"2024": {"Helår 2024", ikfLabel2024, kr("459 000 kr")},
	} {
		table := invFragment(t, res.Body, "expected-"+year, "</table>")
		for _, w := range want {
			if !strings.Contains(table, w) {
				t.Errorf("expected payments of %s lack %q:\n%s", year, w, table)
			}
		}
	}
	if !strings.Contains(res.Body, "Året är ännu inte indexerat") {
		t.Error("the page does not say that the amounts are computed, not indexed")
	}
	basis := invFragment(t, res.Body, "invoice-basis", "</dl>")
	for _, w := range []string{
		"Linköpings Kommun, Integration- och arbetsmarknadsförvaltningen\nSkanningcentralen 150Z\n581 81 LINKÖPING",
		"150Z", "ID 150010", "450211", "En gång per år",
	} {
		if !strings.Contains(basis, w) {
			t.Errorf("invoice basis lacks %q:\n%s", w, basis)
		}
	}
	if strings.Contains(res.Body, `data-testid="new-invoice"`) {
		t.Error("a viewer is offered to record invoices")
	}

	// The agreement page links to its invoices.
	if page := loggedIn(a, viewerEmail).get(agreementURL(ikf.ID)); !strings.Contains(page.Body, `href="`+invoicesURL(ikf.ID)+`"`) {
		t.Error("the agreement page does not link to the invoices")
	}
}

func invoicesURL(id int64) string  { return "/agreements/" + itoa(id) + "/invoices" }
func agreementURL(id int64) string { return "/agreements/" + itoa(id) }

func TestInvoiceRecordShowsDeviation(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	c := loggedIn(a, officerEmail)
	if res := c.get(invoicesURL(ikf.ID) + "/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `<option value="1" selected>Helår</option>`) {
		t.Fatalf("new invoice form: %d\n%s", res.StatusCode, res.Body)
	}
	res := c.post(invoicesURL(ikf.ID), invoiceForm("2024-17", "2024-02-15", "2024", "1", "450 000 kr"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != invoicesURL(ikf.ID) {
		t.Fatalf("record invoice: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page := c.get(invoicesURL(ikf.ID))
	if flash := invFragment(t, page.Body, "flash", "</div>"); !strings.Contains(flash, "Faktura 2024-17 registrerades.") || !strings.Contains(flash, deviation9000) {
		t.Errorf("flash %q", flash)
	}
	row := invFragment(t, page.Body, "invoices", "</table>")
	for _, w := range []string{"2024-17", "2024-02-15", "Helår 2024", kr("450 000 kr"), "Mottagen", kr("459 000 kr"), deviation9000} {
		if !strings.Contains(row, w) {
			t.Errorf("the invoice row lacks %q:\n%s", w, row)
		}
	}
	if got := invoiceAudits(t, a, ikf.ID, "invoice.create"); got != 1 {
		t.Errorf("invoice.create events: %d", got)
	}
	inv := invoiceByNumber(t, a, ikf.ID, "2024-17")
	if inv.Amount != money.Kronor(450000) || inv.Status != partnership.InvoiceReceived || inv.Year != 2024 || inv.Period != 1 {
		t.Errorf("stored %+v", inv)
	}

	// The expected amount leaves no warning.
	c.post(invoicesURL(ikf.ID), invoiceForm("2023-5", "2023-03-01", "2023", "1", "450000"))
	page = c.get(invoicesURL(ikf.ID))
	if n := strings.Count(page.Body, `data-testid="invoice-warning"`); n != 1 {
		t.Errorf("%d warnings, want only the one of 2024-17", n)
	}
}

func TestInvoiceFormKeepsValuesAndNamesErrors(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	c := loggedIn(a, officerEmail)
	form := invoiceForm("", "2024-13-45", "tjugo", "2", "45 0000")
	form.Set("note", "Kom med posten")
	res := c.post(invoicesURL(ikf.ID), form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid invoice: %d", res.StatusCode)
	}
	summary := invFragment(t, res.Body, "error-summary", "</div>")
	for _, w := range []string{"Fakturanummer", "Fakturadatum", "År", "Period", "Belopp"} {
		if !strings.Contains(summary, `>`+w+`:`) {
			t.Errorf("error summary lacks %s:\n%s", w, summary)
		}
	}
	for _, w := range []string{`value="2024-13-45"`, `value="tjugo"`, `value="45 0000"`, `Kom med posten`, `id="amount-error"`} {
		if !strings.Contains(res.Body, w) {
			t.Errorf("the form shown again lacks %s", w)
		}
	}
	if list, _ := postgres.NewInvoices(a.db.Pool).List(context.Background(), ikf.ID); len(list) != 0 {
		t.Errorf("an invalid invoice was stored: %+v", list)
	}

	// The same number twice for one agreement is refused on the number.
	c.post(invoicesURL(ikf.ID), invoiceForm("F-1", "2024-01-31", "2024", "1", "459 000"))
	res = c.post(invoicesURL(ikf.ID), invoiceForm("F-1", "2024-02-28", "2024", "1", "1 000"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "En faktura med det numret finns redan") {
		t.Errorf("duplicate number: %d", res.StatusCode)
	}
}

func TestInvoiceEditConflictKeepsInput(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	id := storeInvoice(t, a, ikf.ID, "K-1")
	path := invoicesURL(ikf.ID) + "/" + itoa(id)
	c := loggedIn(a, officerEmail)
	if res := c.get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="version" value="1"`) {
		t.Fatalf("edit form: %d", res.StatusCode)
	}
	form := invoiceForm("K-1", "2024-01-31", "2024", "1", "459 000 kr")
	form.Set("version", "1")
	if res := c.post(path, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, res.Body)
	}
	// A second officer's form, based on version 1, is refused with the input kept.
	stale := invoiceForm("K-1", "2024-01-31", "2024", "1", "123 456 kr")
	stale.Set("version", "1")
	res := c.post(path, stale)
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, `data-testid="conflict"`) ||
		!strings.Contains(res.Body, `value="123 456 kr"`) || !strings.Contains(res.Body, `name="version" value="2"`) {
		t.Fatalf("stale edit: %d\n%s", res.StatusCode, res.Body)
	}
	if got := readInvoice(t, a, ikf.ID, id); got.Amount != money.Kronor(459000) || got.Version != 2 {
		t.Errorf("after the conflict: %+v", got)
	}
	// Sent again, the form saves over the newer version.
	stale.Set("version", "2")
	if res := c.post(path, stale); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend: %d", res.StatusCode)
	}
	if got := readInvoice(t, a, ikf.ID, id); got.Amount != money.Kronor(123456) {
		t.Errorf("after resending: %+v", got)
	}
	if got := invoiceAudits(t, a, ikf.ID, "invoice.update"); got != 2 {
		t.Errorf("invoice.update events: %d", got)
	}
}

func TestInvoiceTenancyAndRoles(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	hoppfull := invDemoAgreement(t, a, hoppfullTitle)
	ikfInvoice := storeInvoice(t, a, ikf.ID, "T-1")
	otherInvoice := storeInvoice(t, a, hoppfull.ID, "T-2")

	staff := loggedIn(a, ikfEmail)
	if res := staff.get(invoicesURL(ikf.ID)); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "T-1") ||
		strings.Contains(res.Body, `data-testid="new-invoice"`) || strings.Contains(res.Body, "approve-link") {
		t.Errorf("IKF's invoices as IKF staff: %d", res.StatusCode)
	}
	if res := staff.get(invoicesURL(hoppfull.ID)); res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "T-2") {
		t.Errorf("another organisation's invoices as IKF staff: %d", res.StatusCode)
	}
	// Writes are for admins and officers only, whatever the agreement.
	for _, c := range []*client{staff, loggedIn(a, viewerEmail), loggedIn(a, coordinatorEmail)} {
		for _, path := range []string{invoicesURL(ikf.ID) + "/new", invoicesURL(ikf.ID) + "/" + itoa(ikfInvoice) + "/approve",
			invoicesURL(hoppfull.ID) + "/" + itoa(otherInvoice)} {
			if res := c.get(path); res.StatusCode != http.StatusForbidden {
				t.Errorf("GET %s: %d, want 403", path, res.StatusCode)
			}
		}
		res := c.post(invoicesURL(ikf.ID), invoiceForm("X-1", "2024-01-31", "2024", "1", "1 kr"))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("record an invoice: %d, want 403", res.StatusCode)
		}
		if res := c.post(invoicesURL(ikf.ID)+"/"+itoa(ikfInvoice)+"/approve", url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("approve: %d, want 403", res.StatusCode)
		}
	}
	if got := readInvoice(t, a, ikf.ID, ikfInvoice); got.Status != partnership.InvoiceReceived {
		t.Errorf("a refused approval changed the invoice: %+v", got)
	}
	// An invoice is found only through its own agreement.
	if res := loggedIn(a, officerEmail).get(invoicesURL(ikf.ID) + "/" + itoa(otherInvoice)); res.StatusCode != http.StatusNotFound {
		t.Errorf("another agreement's invoice under IKF's: %d", res.StatusCode)
	}
}
