package server

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// invoiceOverviewLine is one agreement's invoicing in the overview's year.
// The invoiced, approved and paid sums are the database's; Expected is the
// year's materialised municipal cash, or, for a year the indexation has not
// materialised yet, computed from the rules (Estimated) as the agreement's
// invoices page does — an honest figure with its source shown beats a
// blank or a sum of whatever lines happen to be materialised.
type invoiceOverviewLine struct {
	postgres.InvoiceOverviewRow
	Estimated bool
}

// Difference is what was invoiced beyond the expected payment (negative
// when less was invoiced).
func (l invoiceOverviewLine) Difference() money.Amount {
	return partnership.InvoiceDeviation(l.Expected, l.Invoiced)
}

// invoiceOverviewParams are the overview's query parameters, each kept
// only when valid.
type invoiceOverviewParams struct {
	year int
	sort string // "", "expected", "invoiced" or "paid"; "" is by title
	desc bool
}

// invoiceOverviewSorts are the columns the overview sorts by, besides the
// title.
var invoiceOverviewSorts = map[string]func(invoiceOverviewLine) money.Amount{
	"expected": func(l invoiceOverviewLine) money.Amount { return l.Expected },
	"invoiced": func(l invoiceOverviewLine) money.Amount { return l.Invoiced },
	"paid":     func(l invoiceOverviewLine) money.Amount { return l.Paid },
}

// parseInvoiceOverviewParams reads the year (this year in Sweden by
// default) and the order; invalid values are ignored.
func (s *Server) parseInvoiceOverviewParams(v url.Values) invoiceOverviewParams {
	p := invoiceOverviewParams{year: s.agreementToday().Year()}
	if y, err := strconv.Atoi(strings.TrimSpace(v.Get("year"))); err == nil && y >= partnership.MinBudgetYear && y <= partnership.MaxBudgetYear {
		p.year = y
	}
	if _, ok := invoiceOverviewSorts[v.Get("sort")]; ok {
		p.sort = v.Get("sort")
	}
	p.desc = v.Get("dir") == "desc"
	return p
}

// query is the parameters as a query string, with the order overridden
// by sort and dir when given.
func (p invoiceOverviewParams) query(sort string, desc bool) url.Values {
	v := url.Values{"year": {strconv.Itoa(p.year)}}
	if sort != "" {
		v.Set("sort", sort)
	}
	if desc {
		v.Set("dir", "desc")
	}
	return v
}

// invoiceOverviewLines are the overview's rows for the user: every
// agreement they may see that covers the year or has invoices for it, in
// the requested order (ties, and the default, in title order).
func (s *Server) invoiceOverviewLines(r *http.Request, p invoiceOverviewParams) ([]invoiceOverviewLine, error) {
	ctx := r.Context()
	rows, err := postgres.NewInvoices(s.db.Pool).InvoiceOverview(ctx, p.year, *currentUser(r))
	if err != nil {
		return nil, err
	}
	lines := make([]invoiceOverviewLine, len(rows))
	var estimate []int64 // the agreements whose year is not materialised
	for i, row := range rows {
		lines[i] = invoiceOverviewLine{InvoiceOverviewRow: row}
		if !row.Materialised {
			estimate = append(estimate, row.AgreementID)
		}
	}
	// Not every municipal cash line of these has an amount for the year
	// yet, so their expected payment is what the rules give (see
	// invoiceExpected).
	estimated, err := s.estimatedMunicipalCash(ctx, estimate, p.year)
	if err != nil {
		return nil, err
	}
	for i := range lines {
		if !lines[i].Materialised {
			lines[i].Expected, lines[i].Estimated = estimated[lines[i].AgreementID], true
		}
	}
	by, ok := invoiceOverviewSorts[p.sort]
	switch {
	case ok:
		slices.SortStableFunc(lines, func(a, b invoiceOverviewLine) int {
			if p.desc {
				a, b = b, a
			}
			return cmp.Compare(by(a), by(b))
		})
	case p.desc:
		slices.Reverse(lines)
	}
	return lines, nil
}

// invoiceOverviewTotal sums the lines.
func invoiceOverviewTotal(lines []invoiceOverviewLine) invoiceOverviewLine {
	var t invoiceOverviewLine
	for _, l := range lines {
		t.Invoices += l.Invoices
		t.Expected = money.Sum(t.Expected, l.Expected)
		t.Invoiced = money.Sum(t.Invoiced, l.Invoiced)
		t.Approved = money.Sum(t.Approved, l.Approved)
		t.Paid = money.Sum(t.Paid, l.Paid)
		t.Estimated = t.Estimated || l.Estimated
	}
	return t
}

// invoiceOverviewColumns are the table's headings; the sortable ones link
// to the overview ordered by them, ascending first, and the column in
// force to its reverse order.
func invoiceOverviewColumns(p invoiceOverviewParams) []templates.AgreementSortColumn {
	cols := []struct{ label, sort string }{
		{"Överenskommelse", "title"}, {"Diarienummer", ""}, {"Fakturor", ""}, {"Förväntat", "expected"},
		{"Fakturerat", "invoiced"}, {"Godkänt", ""}, {"Betalt", "paid"}, {"Differens", ""},
	}
	current := p.sort
	if current == "" {
		current = "title"
	}
	out := make([]templates.AgreementSortColumn, len(cols))
	for i, c := range cols {
		out[i].Label = c.label
		if c.sort == "" {
			continue
		}
		sort, desc := c.sort, false
		if sort == "title" {
			sort = ""
		}
		if c.sort == current {
			out[i].AriaSort = "ascending"
			if p.desc {
				out[i].AriaSort = "descending"
			} else {
				desc = true
			}
		}
		out[i].Href = "/invoices?" + p.query(sort, desc).Encode()
	}
	return out
}

// invoiceOverviewItem shapes one line, or the totals, for the page.
func invoiceOverviewItem(l invoiceOverviewLine) templates.InvoiceOverviewItem {
	return templates.InvoiceOverviewItem{
		Title: l.Title, CaseNumber: l.CaseNumber, Invoices: strconv.Itoa(l.Invoices),
		Expected: l.Expected.String(), Estimated: l.Estimated, Invoiced: l.Invoiced.String(),
		Approved: l.Approved.String(), Paid: l.Paid.String(), Difference: l.Difference().String(),
	}
}

// handleInvoiceOverview shows, for a year, what every agreement the user
// may see is expected to be paid and what has been invoiced, approved and
// paid. Association staff see only their own organisation's agreements.
func (s *Server) handleInvoiceOverview(w http.ResponseWriter, r *http.Request) {
	p := s.parseInvoiceOverviewParams(r.URL.Query())
	lines, err := s.invoiceOverviewLines(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	year := strconv.Itoa(p.year)
	vm := templates.InvoiceOverviewVM{
		Base: s.base(r, "Fakturor "+year), Year: year, Columns: invoiceOverviewColumns(p), Sort: p.sort,
		CSVHref:  "/invoices.csv?" + p.query(p.sort, p.desc).Encode(),
		XLSXHref: "/invoices.xlsx?" + p.query(p.sort, p.desc).Encode(),
	}
	if p.desc {
		vm.Dir = "desc"
	}
	for _, l := range lines {
		item := invoiceOverviewItem(l)
		item.Href = invoicesPath(l.AgreementID)
		vm.Rows = append(vm.Rows, item)
	}
	total := invoiceOverviewTotal(lines)
	vm.Total = invoiceOverviewItem(total)
	vm.Estimated = total.Estimated
	s.render(w, r, http.StatusOK, templates.InvoiceOverviewPage(vm))
}
