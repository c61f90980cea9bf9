package postgres

import (
	"context"
	"fmt"
	"strings"

	"iop/internal/partnership"
)

// OrganisationSort names a column the organisation list can be sorted by.
type OrganisationSort string

// The sortable columns of the organisation list.
const (
	SortOrganisationName      OrganisationSort = "name"
	SortOrganisationOrgNumber OrganisationSort = "org_number"
	SortOrganisationKind      OrganisationSort = "kind"
)

// OrganisationQuery selects, orders and pages the organisation list.
type OrganisationQuery struct {
	// Text matches part of the name, case-insensitively, or part of the org
	// number when it holds only digits, hyphens and spaces.
	Text   string
	Kind   partnership.OrgKind // "" for every kind
	Sort   OrganisationSort    // name when unknown
	Desc   bool
	Limit  int // 0 for no limit
	Offset int
}

// OrganisationPage is one page of a search and the number of matches in all.
type OrganisationPage struct {
	Items []partnership.Organisation
	Total int
}

// orderBy is the ORDER BY clause of each sort, for the direction dir. Names
// sort in Swedish order (å, ä, ö last); kinds by their Swedish label, which
// $6 and $7 (kinds and labels) supply; organisations without a number come
// last in either direction (the column is qualified: a bare org_number
// would name the coalesced output column). The id makes the order total, so
// pages neither repeat nor skip a row.
func orderBy(sort OrganisationSort, dir string) string {
	name := `name COLLATE "sv-SE-x-icu" ` + dir
	switch sort {
	case SortOrganisationOrgNumber:
		return `organisations.org_number ` + dir + ` NULLS LAST, ` + name + `, id`
	case SortOrganisationKind:
		return `(SELECT k.label FROM unnest($6::text[], $7::text[]) AS k(kind, label) WHERE k.kind = organisations.kind)
			COLLATE "sv-SE-x-icu" ` + dir + `, name COLLATE "sv-SE-x-icu", id`
	}
	return name + `, id`
}

// Search returns the page of organisations that q selects.
func (s *Organisations) Search(ctx context.Context, q OrganisationQuery) (OrganisationPage, error) {
	text := strings.TrimSpace(q.Text)
	namePattern := ""
	if text != "" {
		namePattern = "%" + escapeLike(text) + "%"
	}
	digits := ""
	if numberish(text) {
		digits = "%" + strings.Map(keepDigits, text) + "%"
	}
	where := `WHERE ($1 = '' OR name ILIKE $1 COLLATE "sv-SE-x-icu" OR ($2 <> '' AND org_number LIKE $2))
		AND ($3 = '' OR kind = $3)`

	var page OrganisationPage
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM organisations `+where, namePattern, digits, q.Kind).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("count organisations: %w", err)
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	var limit *int
	if q.Limit > 0 {
		limit = &q.Limit
	}
	args := []any{namePattern, digits, q.Kind, limit, max(q.Offset, 0)}
	if q.Sort == SortOrganisationKind {
		kinds := make([]string, len(partnership.OrgKinds))
		labels := make([]string, len(partnership.OrgKinds))
		for i, k := range partnership.OrgKinds {
			kinds[i], labels[i] = string(k), k.Label()
		}
		args = append(args, kinds, labels)
	}
	rows, _ := s.db.Query(ctx, `SELECT `+organisationColumns+` FROM organisations `+where+`
		ORDER BY `+orderBy(q.Sort, dir)+` LIMIT $4 OFFSET $5`, args...)
	items, err := collectOrganisations(rows, "search organisations")
	if err != nil {
		return page, err
	}
	page.Items = items
	return page, nil
}

// escapeLike makes s match literally inside a LIKE or ILIKE pattern, whose
// default escape character is the backslash.
func escapeLike(s string) string { return likeEscaper.Replace(s) }

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// numberish reports whether s looks like (part of) an org number.
func numberish(s string) bool {
	hasDigit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			hasDigit = true
		case r == '-' || r == ' ':
		default:
			return false
		}
	}
	return hasDigit
}

func keepDigits(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}
