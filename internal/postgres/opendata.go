package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
)

// OpenData reads what the municipality publishes about its partnerships as
// open data: organisations, titles, periods and amounts, never a person.
type OpenData struct{ db DBTX }

// NewOpenData returns the open data store on db.
func NewOpenData(db DBTX) *OpenData { return &OpenData{db: db} }

// GrantRow is one agreement's grant in a calendar year: the municipality's
// cash contribution to the association that leads the partnership.
type GrantRow struct {
	AgreementID int64
	Title       string
	Committee   string
	// From and To are the part of the year the agreement covers.
	From, To time.Time
	// AwardDate is the day the municipality signed, or the start date when
	// no signature date is recorded.
	AwardDate time.Time
	// The funder: the agreement's (first) municipal party.
	FunderID        int64
	FunderName      string
	FunderOrgNumber string // "" when not recorded
	// The recipient: the lead association, else the first partner association.
	RecipientID        int64
	RecipientName      string
	RecipientOrgNumber string // "" when not recorded
	// Expected is the sum of the year's materialised amounts of the
	// municipality's cash lines; Materialised says whether every such line
	// has one (otherwise the amount must be computed from the rules).
	Expected     money.Amount
	Materialised bool
}

type grantRow struct {
	AgreementID        int64
	Title              string
	Committee          string
	FromDate           time.Time
	ToDate             time.Time
	AwardDate          time.Time
	FunderID           int64
	FunderName         string
	FunderOrgNumber    *string
	RecipientID        int64
	RecipientName      string
	RecipientOrgNumber *string
	Expected           int64
	Materialised       bool
}

func (r grantRow) row() GrantRow {
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return GrantRow{
		AgreementID: r.AgreementID, Title: r.Title, Committee: r.Committee, From: r.FromDate, To: r.ToDate,
		AwardDate: r.AwardDate, FunderID: r.FunderID, FunderName: r.FunderName, FunderOrgNumber: str(r.FunderOrgNumber),
		RecipientID: r.RecipientID, RecipientName: r.RecipientName, RecipientOrgNumber: str(r.RecipientOrgNumber),
		Expected: money.Amount(r.Expected), Materialised: r.Materialised,
	}
}

// Grants returns the grants of year: every agreement in force some day of
// the year (active or terminated, never a draft) that has a municipal party
// and an association party, in id order. The period is the one the budget
// follows (partnership.BudgetPeriod): start to the latest of the end date
// and the extensions' end dates, cut at a termination.
//
// Only organisation data is read: no signatory, representative or contact
// person, so nothing personal can reach the open data.
func (s *OpenData) Grants(ctx context.Context, year int) ([]GrantRow, error) {
	rows, _ := s.db.Query(ctx, `
		WITH period AS (
			SELECT a.id, a.start_date,
			       least(greatest(a.end_date, (SELECT max(e.new_end_date) FROM agreement_extensions e
			                                   WHERE e.agreement_id = a.id)),
			             a.terminated_on) AS last_day
			FROM agreements a
			WHERE a.status <> 'draft' AND a.start_date IS NOT NULL
		), expected AS (
			SELECT l.agreement_id, coalesce(sum(y.amount), 0)::bigint AS expected,
			       bool_and(y.line_id IS NOT NULL) AS materialised
			FROM budget_lines l
			JOIN agreement_parties p ON p.id = l.party_id AND p.role = 'municipality'
			LEFT JOIN budget_year_amounts y ON y.line_id = l.id AND y.year = $1
			WHERE l.kind = 'cash'
			GROUP BY l.agreement_id)
		SELECT a.id AS agreement_id, a.title, a.committee,
		       greatest(pe.start_date, make_date($1::integer, 1, 1)) AS from_date,
		       least(pe.last_day, make_date($1::integer, 12, 31)) AS to_date,
		       coalesce(f.signed_on, pe.start_date) AS award_date,
		       f.id AS funder_id, f.name AS funder_name, f.org_number AS funder_org_number,
		       r.id AS recipient_id, r.name AS recipient_name, r.org_number AS recipient_org_number,
		       coalesce(e.expected, 0) AS expected, coalesce(e.materialised, true) AS materialised
		FROM period pe
		JOIN agreements a ON a.id = pe.id
		JOIN LATERAL (
			SELECT o.id, o.name, o.org_number, ap.signed_on
			FROM agreement_parties ap JOIN organisations o ON o.id = ap.organisation_id
			WHERE ap.agreement_id = a.id AND ap.role = 'municipality'
			ORDER BY ap.position, ap.id LIMIT 1) f ON true
		JOIN LATERAL (
			SELECT o.id, o.name, o.org_number
			FROM agreement_parties ap JOIN organisations o ON o.id = ap.organisation_id
			WHERE ap.agreement_id = a.id AND ap.role IN ('lead_association', 'partner_association')
			ORDER BY ap.role <> 'lead_association', ap.position, ap.id LIMIT 1) r ON true
		LEFT JOIN expected e ON e.agreement_id = a.id
		WHERE pe.last_day >= pe.start_date
		  AND pe.start_date <= make_date($1::integer, 12, 31) AND pe.last_day >= make_date($1::integer, 1, 1)
		ORDER BY a.id`, year)
	list, err := pgx.CollectRows(rows, rowTo(grantRow.row))
	if err != nil {
		return nil, fmt.Errorf("grants of %d: %w", year, err)
	}
	return list, nil
}

// MunicipalityNames returns the names of the municipal parties of the
// agreements, in name order without repeats: whose header a report carries.
func (s *OpenData) MunicipalityNames(ctx context.Context, agreementIDs []int64) ([]string, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT DISTINCT o.name FROM agreement_parties ap JOIN organisations o ON o.id = ap.organisation_id
		WHERE ap.agreement_id = ANY($1) AND ap.role = 'municipality'
		ORDER BY o.name`, agreementIDs)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("municipalities of agreements %v: %w", agreementIDs, err)
	}
	return names, nil
}
