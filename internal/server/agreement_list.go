package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// agreementListParams are the list's query parameters, each kept only when
// valid, so that links built from them carry nothing a user slipped in.
type agreementListParams struct {
	query  postgres.AgreementListQuery
	values url.Values // search and filters
	sort   url.Values // sort and dir, when not the default order
}

// parseAgreementListParams reads the search, filters, order and page of the
// list from the query string. Invalid values are ignored, as a search form
// must never fail.
func parseAgreementListParams(v url.Values, today time.Time) agreementListParams {
	p := agreementListParams{query: postgres.AgreementListQuery{Today: today}, values: url.Values{}, sort: url.Values{}}
	// PostgreSQL text holds neither invalid UTF-8 nor NUL.
	q := strings.TrimSpace(strings.ReplaceAll(strings.ToValidUTF8(v.Get("q"), ""), "\x00", ""))
	if r := []rune(q); len(r) > 200 {
		q = strings.TrimSpace(string(r[:200]))
	}
	if q != "" {
		p.query.Search = q
		p.values.Set("q", q)
	}
	switch st := partnership.AgreementStatus(v.Get("status")); st {
	case partnership.StatusDraft, partnership.StatusActive, partnership.StatusEnded, partnership.StatusTerminated:
		p.query.Status = st
		p.values.Set("status", string(st))
	}
	if id, err := strconv.ParseInt(v.Get("org"), 10, 64); err == nil && id > 0 {
		p.query.OrganisationID = id
		p.values.Set("org", strconv.FormatInt(id, 10))
	}
	if y, err := strconv.Atoi(strings.TrimSpace(v.Get("year"))); err == nil && y >= 1900 && y <= 2200 {
		p.query.Year = y
		p.values.Set("year", strconv.Itoa(y))
	}
	p.query.Sort = postgres.AgreementListByTitle
	if sort := postgres.AgreementListSort(v.Get("sort")); sort.Valid() {
		p.query.Sort = sort
		p.sort.Set("sort", string(sort))
	}
	if v.Get("dir") == "desc" {
		p.query.Desc = true
		p.sort.Set("dir", "desc")
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		p.query.Page = n
	}
	return p
}

// agreementListHref is path with the given parameter sets, later ones
// overriding earlier ones.
func agreementListHref(path string, sets ...url.Values) string {
	v := url.Values{}
	for _, set := range sets {
		for k, vals := range set {
			v[k] = vals
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// agreementListColumns are the table's headings; the sortable ones link to
// the list ordered by them, ascending first, and the column in force to its
// reverse order.
func agreementListColumns(p agreementListParams) []templates.AgreementSortColumn {
	cols := []struct {
		label string
		sort  postgres.AgreementListSort
	}{
		{"Namn", postgres.AgreementListByTitle},
		{"Diarienummer", postgres.AgreementListByCaseNumber},
		{"Parter", ""},
		{"Start", postgres.AgreementListByStart},
		{"Slut", postgres.AgreementListByEnd},
		{"Status", postgres.AgreementListByStatus},
		{"Att uppmärksamma", ""},
	}
	out := make([]templates.AgreementSortColumn, len(cols))
	for i, c := range cols {
		out[i].Label = c.label
		if c.sort == "" {
			continue
		}
		order := url.Values{"sort": {string(c.sort)}}
		if c.sort == p.query.Sort {
			out[i].AriaSort = "ascending"
			if p.query.Desc {
				out[i].AriaSort = "descending"
			} else {
				order.Set("dir", "desc")
			}
		}
		out[i].Href = agreementListHref("/agreements", p.values, order)
	}
	return out
}

// handleAgreementList shows the agreements the user may see: searched,
// filtered, sorted and paged, each with its warnings.
func (s *Server) handleAgreementList(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	today := s.agreementToday()
	p := parseAgreementListParams(r.URL.Query(), today)
	page, err := postgres.NewAgreementList(s.db.Pool).Find(r.Context(), *u, p.query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.AgreementListVM{
		Base:      s.base(r, "Överenskommelser"),
		CanCreate: u.Role.CanEditAgreements(),
		Filter: templates.AgreementFilterVM{
			Search: p.query.Search, Year: p.values.Get("year"),
			Sort: p.sort.Get("sort"), Dir: p.sort.Get("dir"), Active: len(p.values) > 0,
		},
		Columns:  agreementListColumns(p),
		CSVHref:  agreementListHref("/agreements.csv", p.values, p.sort),
		XLSXHref: agreementListHref("/agreements.xlsx", p.values, p.sort),
	}
	vm.Filter.Statuses = []templates.Option{{Value: "", Label: "Alla"}}
	for _, st := range []partnership.AgreementStatus{partnership.StatusDraft, partnership.StatusActive, partnership.StatusEnded, partnership.StatusTerminated} {
		vm.Filter.Statuses = append(vm.Filter.Statuses, templates.Option{Value: string(st), Label: st.Label(), Selected: st == p.query.Status})
	}
	// Association staff see only their own organisation's agreements and
	// may not list the organisations; the others filter by any of them.
	if u.Role != partnership.RoleAssociationStaff {
		orgs, err := s.organisations().List(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		vm.Filter.Organisations = []templates.Option{}
		for _, o := range orgs {
			vm.Filter.Organisations = append(vm.Filter.Organisations, templates.Option{
				Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: o.ID == p.query.OrganisationID,
			})
		}
	}
	for _, row := range page.Rows {
		vm.Rows = append(vm.Rows, agreementListItem(row, today))
	}
	agreementListPaging(&vm, p, page)
	s.render(w, r, http.StatusOK, templates.AgreementListPage(vm))
}

// agreementListPaging fills in the summary and the links to the
// neighbouring pages.
func agreementListPaging(vm *templates.AgreementListVM, p agreementListParams, page postgres.AgreementListPage) {
	if page.Total == 0 {
		vm.Summary = "Det finns inga överenskommelser ännu."
		if vm.Filter.Active {
			vm.Summary = "Inga överenskommelser matchar sökningen."
		}
		return
	}
	first := (page.Page-1)*page.PageSize + 1
	vm.Summary = fmt.Sprintf("Visar %d–%d av %d", first, first+len(page.Rows)-1, page.Total)
	pages := (page.Total + page.PageSize - 1) / page.PageSize
	if pages <= 1 {
		return
	}
	vm.PageLabel = fmt.Sprintf("Sida %d av %d", page.Page, pages)
	link := func(n int) string {
		if n == 1 {
			return agreementListHref("/agreements", p.values, p.sort)
		}
		return agreementListHref("/agreements", p.values, p.sort, url.Values{"page": {strconv.Itoa(n)}})
	}
	if page.Page > 1 {
		vm.PrevHref = link(page.Page - 1)
	}
	if page.Page < pages {
		vm.NextHref = link(page.Page + 1)
	}
}

// agreementListDate shows a date as ISO 8601, or a dash for none.
func agreementListDate(d *time.Time) string {
	if d == nil {
		return "–"
	}
	return d.Format(time.DateOnly)
}

// agreementListParties names each party with its role, in order.
func agreementListParties(row postgres.AgreementListRow) []templates.AgreementListParty {
	out := make([]templates.AgreementListParty, len(row.Parties))
	for i, p := range row.Parties {
		out[i] = templates.AgreementListParty{Name: p.Name, Role: p.Role.Label()}
	}
	return out
}

// agreementListItem is a row as the table shows it; the warnings are the
// domain's, computed for today.
func agreementListItem(row postgres.AgreementListRow, today time.Time) templates.AgreementListItem {
	item := templates.AgreementListItem{
		Href: agreementPath(row.ID), Title: row.Title, CaseNumber: row.CaseNumber,
		Parties: agreementListParties(row), Start: agreementListDate(row.StartDate), End: agreementListDate(row.CurrentEnd),
		Status: row.Status.Label(), StatusKey: string(row.Status), Warnings: row.Agreement().Warnings(today),
	}
	if row.ExtensionCount > 0 {
		times := "gånger"
		if row.ExtensionCount == 1 {
			times = "gång"
		}
		item.Extended = fmt.Sprintf("förlängd %d %s, ursprungligen %s", row.ExtensionCount, times, agreementListDate(row.EndDate))
	}
	return item
}
