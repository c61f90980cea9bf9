package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// organisationPageSize is how many organisations one page of the list shows.
const organisationPageSize = 50

// organisationEditors may change organisations; routes.go enforces it, the
// pages use it only to offer the links.
var organisationEditors = []partnership.Role{partnership.RoleAdmin, partnership.RoleOfficer}

func canEditOrganisations(r *http.Request) bool {
	return slices.Contains(organisationEditors, currentUser(r).Role)
}

func organisationPath(id int64) string { return "/organisations/" + strconv.FormatInt(id, 10) }

// organisationListParams is the state of the list as its URL carries it.
type organisationListParams struct {
	query string
	kind  partnership.OrgKind
	sort  postgres.OrganisationSort
	desc  bool
	page  int
}

// parseOrganisationListParams reads the list's URL; unknown values fall
// back to the defaults rather than failing, since links get mangled.
func parseOrganisationListParams(q url.Values) organisationListParams {
	p := organisationListParams{query: strings.TrimSpace(q.Get("q")), sort: postgres.SortOrganisationName, page: 1}
	if k := partnership.OrgKind(q.Get("kind")); k.Valid() {
		p.kind = k
	}
	switch s := postgres.OrganisationSort(q.Get("sort")); s {
	case postgres.SortOrganisationOrgNumber, postgres.SortOrganisationKind:
		p.sort = s
	}
	p.desc = q.Get("dir") == "desc"
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		p.page = n
	}
	return p
}

// url is the list's address for p, leaving out what is the default.
func (p organisationListParams) url() string {
	v := url.Values{}
	if p.query != "" {
		v.Set("q", p.query)
	}
	if p.kind != "" {
		v.Set("kind", string(p.kind))
	}
	if p.sort != postgres.SortOrganisationName {
		v.Set("sort", string(p.sort))
	}
	if p.desc {
		v.Set("dir", "desc")
	}
	if p.page > 1 {
		v.Set("page", strconv.Itoa(p.page))
	}
	if len(v) == 0 {
		return "/organisations"
	}
	return "/organisations?" + v.Encode()
}

func (s *Server) handleOrganisationList(w http.ResponseWriter, r *http.Request) {
	p := parseOrganisationListParams(r.URL.Query())
	result, err := s.searchOrganisations(r.Context(), &p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.OrganisationListVM{
		Base: s.base(r, "Organisationer"), Query: p.query, CanCreate: canEditOrganisations(r),
		Kinds: []templates.Option{{Value: "", Label: "Alla typer"}},
	}
	for _, k := range partnership.OrgKinds {
		vm.Kinds = append(vm.Kinds, templates.Option{Value: string(k), Label: k.Label(), Selected: k == p.kind})
	}
	if p.sort != postgres.SortOrganisationName {
		vm.Sort = string(p.sort)
	}
	if p.desc {
		vm.Dir = "desc"
	}
	for _, c := range []struct {
		label string
		sort  postgres.OrganisationSort
	}{{"Namn", postgres.SortOrganisationName}, {"Organisationsnummer", postgres.SortOrganisationOrgNumber}, {"Typ", postgres.SortOrganisationKind}} {
		col := templates.SortColumn{Label: c.label}
		next := organisationListParams{query: p.query, kind: p.kind, sort: c.sort, page: 1}
		if c.sort == p.sort {
			col.Sort = "ascending"
			if p.desc {
				col.Sort = "descending"
			}
			next.desc = !p.desc // following the sorted column's link reverses it
		}
		col.Href = next.url()
		vm.Columns = append(vm.Columns, col)
	}
	for _, o := range result.Items {
		vm.Rows = append(vm.Rows, templates.OrganisationListRow{
			Href: organisationPath(o.ID), Name: o.Name, OrgNumber: o.OrgNumber.String(), Kind: o.Kind.Label(),
		})
	}
	vm.Summary, vm.Pager = organisationPaging(p, result.Total)
	s.render(w, r, http.StatusOK, templates.OrganisationListPage(vm))
}

// searchOrganisations runs the list's query. A page past the end shows the
// last page instead, so that a stale link still shows something; p.page is
// corrected accordingly.
func (s *Server) searchOrganisations(ctx context.Context, p *organisationListParams) (postgres.OrganisationPage, error) {
	query := func() (postgres.OrganisationPage, error) {
		return s.organisations().Search(ctx, postgres.OrganisationQuery{
			Text: p.query, Kind: p.kind, Sort: p.sort, Desc: p.desc,
			Limit: organisationPageSize, Offset: (p.page - 1) * organisationPageSize,
		})
	}
	result, err := query()
	if err != nil || len(result.Items) > 0 || p.page == 1 {
		return result, err
	}
	p.page = max(1, (result.Total+organisationPageSize-1)/organisationPageSize)
	return query()
}

// organisationPaging describes how many organisations matched and, when they
// do not fit on one page, links to the neighbouring pages.
func organisationPaging(p organisationListParams, total int) (string, *templates.Pager) {
	switch {
	case total == 0 && (p.query != "" || p.kind != ""):
		return "Inga organisationer matchar sökningen.", nil
	case total == 0:
		return "Det finns inga organisationer ännu.", nil
	case total == 1:
		return "1 organisation", nil
	case total <= organisationPageSize:
		return fmt.Sprintf("%d organisationer", total), nil
	}
	pages := (total + organisationPageSize - 1) / organisationPageSize
	first := (p.page-1)*organisationPageSize + 1
	last := min(p.page*organisationPageSize, total)
	pager := pagerFor(p.page, pages, func(n int) string {
		q := p
		q.page = n
		return q.url()
	})
	return fmt.Sprintf("Visar %d–%d av %d organisationer", first, last, total), pager
}

// routeOrganisation reads the organisation {id} of the route.
func (s *Server) routeOrganisation(r *http.Request) (partnership.Organisation, error) {
	id, err := idParam(r)
	if err != nil {
		return partnership.Organisation{}, err
	}
	return s.organisations().ByID(r.Context(), id)
}

func (s *Server) handleOrganisationShow(w http.ResponseWriter, r *http.Request) {
	o, err := s.routeOrganisation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	contacts, err := postgres.NewOrganisationContacts(s.db.Pool).List(r.Context(), o.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	path := organisationPath(o.ID)
	vm := templates.OrganisationVM{
		Base: s.base(r, o.Name), Name: o.Name, OrgNumber: o.OrgNumber.String(), Kind: o.Kind.Label(),
		PostalAddress: addressLines(o.PostalAddress), InvoiceAddress: addressLines(o.InvoiceAddress),
		Updated: formatDateTime(&o.UpdatedAt, ""), CanEdit: canEditOrganisations(r),
		EditHref: path + "/edit", NewContactHref: path + "/contacts/new",
	}
	for _, c := range contacts {
		cp := contactPath(o.ID, c.ID)
		vm.Contacts = append(vm.Contacts, templates.ContactRow{
			Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone, EditHref: cp, DeleteHref: cp + "/delete",
		})
	}
	s.render(w, r, http.StatusOK, templates.OrganisationPage(vm))
}

// addressLines splits a stored address into the lines it is printed in.
func addressLines(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// auditOrganisation records a change to an organisation or its contacts in
// the transaction of the change.
func (s *Server) auditOrganisation(ctx context.Context, tx pgx.Tx, r *http.Request, action string, orgID int64, details map[string]any) error {
	return postgres.NewAudit(tx).Record(ctx, actorOf(r).Event(action, "organisation", strconv.FormatInt(orgID, 10), details))
}
