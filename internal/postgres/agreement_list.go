package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// AgreementListSort is a column the agreement list can be ordered by.
type AgreementListSort string

// The sortable columns of the agreement list.
const (
	AgreementListByTitle      AgreementListSort = "title"
	AgreementListByCaseNumber AgreementListSort = "case_number"
	AgreementListByStart      AgreementListSort = "start"
	AgreementListByEnd        AgreementListSort = "end"
	AgreementListByStatus     AgreementListSort = "status"
)

// agreementListOrder maps each sortable column to its SQL expression; the
// sort key is only ever looked up here, never written into SQL as given.
var agreementListOrder = map[AgreementListSort]string{
	AgreementListByTitle:      `l.title COLLATE "sv-SE-x-icu"`,
	AgreementListByCaseNumber: `l.case_number COLLATE "sv-SE-x-icu"`,
	AgreementListByStart:      `l.start_date`,
	AgreementListByEnd:        `l.current_end`,
	// The lifecycle order, not the alphabetical one.
	AgreementListByStatus: `CASE l.status WHEN 'draft' THEN 1 WHEN 'active' THEN 2 WHEN 'ended' THEN 3 ELSE 4 END`,
}

// Valid reports whether s is a sortable column.
func (s AgreementListSort) Valid() bool {
	_, ok := agreementListOrder[s]
	return ok
}

// AgreementListPageSize is how many agreements one page of the list shows.
const AgreementListPageSize = 25

// AgreementListQuery selects, orders and pages the agreement list. The zero
// value of each filter means "any".
type AgreementListQuery struct {
	Search         string                      // in title, case number and party names, case-insensitive
	Status         partnership.AgreementStatus // as shown on Today: "ended" is computed
	OrganisationID int64                       // a party to the agreement
	Year           int                         // the period [start, current end] overlaps this calendar year
	Sort           AgreementListSort           // default title
	Desc           bool
	Page           int // 1-based; clamped to the pages that exist
	PageSize       int // default AgreementListPageSize
	// Today is the calendar day (its year, month and day) on which an active
	// agreement past its current end counts as ended.
	Today time.Time
}

// AgreementListParty is a party as the list shows it.
type AgreementListParty struct {
	Name string
	Role partnership.PartyRole
}

// AgreementListRow is an agreement as the list and its exports show it.
type AgreementListRow struct {
	ID              int64
	Title           string
	CaseNumber      string
	Parties         []AgreementListParty // in the agreement's order
	StartDate       *time.Time
	EndDate         *time.Time // as signed
	CurrentEnd      *time.Time // after every decided extension
	ExtensionCount  int
	ExtensionMonths int
	MaxExtensions   int
	NoticeMonths    int
	Status          partnership.AgreementStatus // on the query's Today
}

// Agreement is the row as a partnership.Agreement with what the list knows,
// enough for Warnings and DecisionNeededBy.
func (r AgreementListRow) Agreement() partnership.Agreement {
	a := partnership.Agreement{
		ID: r.ID, Title: r.Title, CaseNumber: r.CaseNumber, StartDate: r.StartDate, EndDate: r.CurrentEnd,
		ExtensionMonths: r.ExtensionMonths, MaxExtensions: r.MaxExtensions, NoticeMonths: r.NoticeMonths,
		Status: r.Status,
	}
	if r.CurrentEnd != nil {
		a.Extensions = make([]partnership.Extension, r.ExtensionCount)
		for i := range a.Extensions {
			a.Extensions[i].NewEndDate = *r.CurrentEnd
		}
	}
	return a
}

// AgreementListPage is one page of the list and the number of agreements
// that match in all.
type AgreementListPage struct {
	Rows     []AgreementListRow
	Total    int
	Page     int // the page shown, after clamping
	PageSize int
}

// AgreementList reads the agreement register as a searchable, sortable list.
type AgreementList struct{ db DBTX }

// NewAgreementList returns the agreement list on db.
func NewAgreementList(db DBTX) *AgreementList { return &AgreementList{db: db} }

// agreementListFrom selects the agreements that match the filters, with the
// current end and the status on $1 computed. Association staff ($2) see only
// the agreements their organisation is a party to.
const agreementListFrom = `
	FROM (
		SELECT a.id, a.title, a.case_number, a.start_date, a.end_date, a.terminated_on,
		       a.extension_months, a.max_extensions, a.notice_months,
		       GREATEST(a.end_date, x.last_end) AS current_end, x.n AS extension_count,
		       CASE WHEN a.status = 'active' AND GREATEST(a.end_date, x.last_end) < $1::date
		            THEN 'ended' ELSE a.status END AS status
		FROM agreements a
		CROSS JOIN LATERAL (
			SELECT count(*)::int AS n, max(e.new_end_date) AS last_end
			FROM agreement_extensions e WHERE e.agreement_id = a.id) x
	) l
	WHERE ($2::bigint IS NULL OR EXISTS (
			SELECT 1 FROM agreement_parties p WHERE p.agreement_id = l.id AND p.organisation_id = $2))
	  AND ($3::text = '' OR l.status = $3)
	  AND ($4::bigint = 0 OR EXISTS (
			SELECT 1 FROM agreement_parties p WHERE p.agreement_id = l.id AND p.organisation_id = $4))
	  AND ($5::int = 0 OR (l.start_date <= make_date($5, 12, 31)
	       AND coalesce(LEAST(l.current_end, l.terminated_on), 'infinity'::date) >= make_date($5, 1, 1)))
	  AND ($6::text = '' OR l.title ILIKE $6 OR l.case_number ILIKE $6 OR EXISTS (
			SELECT 1 FROM agreement_parties p JOIN organisations o ON o.id = p.organisation_id
			WHERE p.agreement_id = l.id AND o.name ILIKE $6))`

// agreementListSelect adds the parties, in the agreement's order, to the
// matching agreements; ORDER BY, LIMIT ($7) and OFFSET ($8) follow.
const agreementListSelect = `
	WITH listed AS (
		SELECT l.id, l.title, l.case_number, l.start_date, l.end_date, l.current_end, l.extension_count,
		       l.extension_months, l.max_extensions, l.notice_months, l.status` + agreementListFrom + `
	)
	SELECT l.id, l.title, l.case_number, l.start_date, l.end_date, l.current_end, l.extension_count,
	       l.extension_months, l.max_extensions, l.notice_months, l.status,
	       pt.party_names, pt.party_roles
	FROM listed l
	CROSS JOIN LATERAL (
		SELECT coalesce(array_agg(o.name ORDER BY p.position, p.id), '{}') AS party_names,
		       coalesce(array_agg(p.role ORDER BY p.position, p.id), '{}') AS party_roles
		FROM agreement_parties p JOIN organisations o ON o.id = p.organisation_id
		WHERE p.agreement_id = l.id) pt`

type agreementListRow struct {
	ID              int64
	Title           string
	CaseNumber      string
	StartDate       *time.Time
	EndDate         *time.Time
	CurrentEnd      *time.Time
	ExtensionCount  int
	ExtensionMonths int
	MaxExtensions   int
	NoticeMonths    int
	Status          string
	PartyNames      []string
	PartyRoles      []string
}

func (r agreementListRow) row() AgreementListRow {
	out := AgreementListRow{
		ID: r.ID, Title: r.Title, CaseNumber: r.CaseNumber, StartDate: r.StartDate, EndDate: r.EndDate,
		CurrentEnd: r.CurrentEnd, ExtensionCount: r.ExtensionCount, ExtensionMonths: r.ExtensionMonths,
		MaxExtensions: r.MaxExtensions, NoticeMonths: r.NoticeMonths, Status: partnership.AgreementStatus(r.Status),
		Parties: make([]AgreementListParty, len(r.PartyNames)),
	}
	for i, name := range r.PartyNames {
		out.Parties[i] = AgreementListParty{Name: name, Role: partnership.PartyRole(r.PartyRoles[i])}
	}
	return out
}

// args are the filter parameters $1–$6 of agreementListFrom.
func (q AgreementListQuery) args(u partnership.User) ([]any, error) {
	switch q.Status {
	case "", partnership.StatusDraft, partnership.StatusActive, partnership.StatusEnded, partnership.StatusTerminated:
	default:
		return nil, fmt.Errorf("unknown agreement status %q", q.Status)
	}
	if q.Today.IsZero() {
		return nil, fmt.Errorf("agreement list: no today given")
	}
	y, m, d := q.Today.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	pattern := ""
	if s := strings.TrimSpace(q.Search); s != "" {
		pattern = "%" + escapeLike(s) + "%"
	}
	return []any{today, staffScope(u), string(q.Status), q.OrganisationID, q.Year, pattern}, nil
}

// orderBy is the ORDER BY clause: the chosen column, undated agreements
// last in either direction, then title and id so that pages are stable.
func (q AgreementListQuery) orderBy() string {
	expr, ok := agreementListOrder[q.Sort]
	if !ok {
		expr = agreementListOrder[AgreementListByTitle]
	}
	dir := "ASC"
	if q.Desc {
		dir = "DESC"
	}
	return fmt.Sprintf(" ORDER BY %s %s NULLS LAST, l.title COLLATE \"sv-SE-x-icu\", l.id", expr, dir)
}

// Find returns the page of matching agreements that u may see, and how many
// match in all. A page past the last one shows the last one.
func (s *AgreementList) Find(ctx context.Context, u partnership.User, q AgreementListQuery) (AgreementListPage, error) {
	args, err := q.args(u)
	if err != nil {
		return AgreementListPage{}, err
	}
	page := AgreementListPage{Page: max(q.Page, 1), PageSize: q.PageSize}
	if page.PageSize <= 0 {
		page.PageSize = AgreementListPageSize
	}
	if err := s.db.QueryRow(ctx, `SELECT count(*)`+agreementListFrom, args...).Scan(&page.Total); err != nil {
		return AgreementListPage{}, fmt.Errorf("count agreements: %w", err)
	}
	if last := max((page.Total+page.PageSize-1)/page.PageSize, 1); page.Page > last {
		page.Page = last
	}
	args = append(args, page.PageSize, (page.Page-1)*page.PageSize)
	page.Rows, err = s.query(ctx, agreementListSelect+q.orderBy()+` LIMIT $7 OFFSET $8`, args)
	if err != nil {
		return AgreementListPage{}, err
	}
	return page, nil
}

// All returns every matching agreement that u may see, in the query's
// order and without paging, for the exports.
func (s *AgreementList) All(ctx context.Context, u partnership.User, q AgreementListQuery) ([]AgreementListRow, error) {
	args, err := q.args(u)
	if err != nil {
		return nil, err
	}
	return s.query(ctx, agreementListSelect+q.orderBy(), args)
}

func (s *AgreementList) query(ctx context.Context, sql string, args []any) ([]AgreementListRow, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	list, err := pgx.CollectRows(rows, rowTo(agreementListRow.row))
	if err != nil {
		return nil, fmt.Errorf("list agreements: %w", err)
	}
	return list, nil
}
