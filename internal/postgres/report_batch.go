package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// The reads of this file take a set of agreements and answer for all of
// them with one query per kind, so that a page over every agreement (the
// portfolio, the invoice overview, the list of annual reports) costs a
// constant number of queries. Each returns per agreement exactly what its
// one-agreement counterpart (ByID, Lines, Totals, ForAgreement) returns.

// ByIDs returns the whole agreements with the ids, in the order of ids,
// each as ByID returns it; partnership.ErrNotFound when one does not
// exist.
func (s *Agreements) ByIDs(ctx context.Context, ids []int64) ([]partnership.Agreement, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+agreementColumns+` FROM agreements WHERE id = ANY($1)`, ids)
	list, err := pgx.CollectRows(rows, rowTo(agreementRow.agreement))
	if err != nil {
		return nil, fmt.Errorf("find %d agreements: %w", len(ids), err)
	}
	byID := make(map[int64]*partnership.Agreement, len(list))
	for i := range list {
		list[i].Parties, list[i].Extensions = []partnership.Party{}, []partnership.Extension{}
		byID[list[i].ID] = &list[i]
	}
	parties, err := s.partiesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range parties {
		if a := byID[p.AgreementID]; a != nil {
			a.Parties = append(a.Parties, p.partyRow.party())
		}
	}
	exts, err := s.extensionsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range exts {
		if a := byID[e.AgreementID]; a != nil {
			a.Extensions = append(a.Extensions, e.Extension)
		}
	}
	out := make([]partnership.Agreement, len(ids))
	for i, id := range ids {
		a := byID[id]
		if a == nil {
			return nil, fmt.Errorf("find agreement %d: %w", id, partnership.ErrNotFound)
		}
		out[i] = *a
	}
	return out, nil
}

type agreementPartyRow struct {
	AgreementID int64
	partyRow
}

func (s *Agreements) partiesOf(ctx context.Context, ids []int64) ([]agreementPartyRow, error) {
	rows, _ := s.db.Query(ctx, `SELECT p.agreement_id, p.id, p.organisation_id, o.name AS organisation_name,
		       o.kind AS organisation_kind, p.role, p.signatory_name, p.signatory_title, p.signed_on,
		       p.representatives, p.contribution
		FROM agreement_parties p JOIN organisations o ON o.id = p.organisation_id
		WHERE p.agreement_id = ANY($1) ORDER BY p.agreement_id, p.position, p.id`, ids)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[agreementPartyRow])
	if err != nil {
		return nil, fmt.Errorf("parties of %d agreements: %w", len(ids), err)
	}
	return list, nil
}

type agreementExtensionRow struct {
	AgreementID int64
	partnership.Extension
}

func (s *Agreements) extensionsOf(ctx context.Context, ids []int64) ([]agreementExtensionRow, error) {
	rows, _ := s.db.Query(ctx, `SELECT agreement_id, id, decided_on, decision_ref, new_end_date
		FROM agreement_extensions WHERE agreement_id = ANY($1) ORDER BY agreement_id, new_end_date, id`, ids)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[agreementExtensionRow])
	if err != nil {
		return nil, fmt.Errorf("extensions of %d agreements: %w", len(ids), err)
	}
	return list, nil
}

// LinesOf returns the budget lines of the agreements, each agreement's in
// the order of Lines; agreements without lines are absent.
func (s *Budgets) LinesOf(ctx context.Context, ids []int64) (map[int64][]partnership.BudgetLine, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+budgetLineColumns+` FROM budget_lines l`+budgetLinePartyJoin+`
		WHERE l.agreement_id = ANY($1) ORDER BY l.agreement_id, p.position, p.id, l.position, l.id`, ids)
	// Scanned by position (the columns of budgetLineColumns, in order):
	// a portfolio reads thousands of lines, and matching names per row
	// cost more than the query.
	out := map[int64][]partnership.BudgetLine{}
	var r budgetLineRow
	_, err := pgx.ForEachRow(rows, []any{&r.ID, &r.AgreementID, &r.PartyID, &r.Position, &r.Section, &r.Text,
		&r.Category, &r.Kind, &r.Indexed, &r.Amount, &r.BasisQuantity, &r.BasisUnitPrice, &r.BasisUnit,
		&r.BasisShareBP, &r.BasisPeriods, &r.BasisPersons, &r.BasisDescription, &r.AcceptedNote, &r.UpdatedAt},
		func() error {
			out[r.AgreementID] = append(out[r.AgreementID], r.line())
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("list budget lines of %d agreements: %w", len(ids), err)
	}
	return out, nil
}

// TotalsOf returns the stated totals of the agreements, each agreement's
// in the order of Totals; agreements without totals are absent.
func (s *Budgets) TotalsOf(ctx context.Context, ids []int64) (map[int64][]partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT t.id, t.agreement_id, t.party_id, t.section, t.label, t.amount, t.accepted_note
		FROM budget_stated_totals t LEFT JOIN agreement_parties p ON p.id = t.party_id
		WHERE t.agreement_id = ANY($1)
		ORDER BY t.agreement_id, p.position NULLS LAST, p.id NULLS LAST, t.section = '', t.id`, ids)
	list, err := pgx.CollectRows(rows, rowTo(statedTotalRow.total))
	if err != nil {
		return nil, fmt.Errorf("list stated totals of %d agreements: %w", len(ids), err)
	}
	out := map[int64][]partnership.StatedTotal{}
	for _, t := range list {
		out[t.AgreementID] = append(out[t.AgreementID], t)
	}
	return out, nil
}

// OrgNumbers returns the organisation numbers of the organisations, as
// their String form, by id.
func (s *Organisations) OrgNumbers(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+organisationColumns+` FROM organisations WHERE id = ANY($1)`, ids)
	list, err := collectOrganisations(rows, fmt.Sprintf("find %d organisations", len(ids)))
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(list))
	for _, o := range list {
		out[o.ID] = o.OrgNumber.String()
	}
	return out, nil
}

// ForAgreements reads the annual reports of the agreements, each
// agreement's newest first as ForAgreement returns them.
func (s *AnnualReports) ForAgreements(ctx context.Context, ids []int64) (map[int64][]AnnualReport, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+annualReportColumns+annualReportFrom+`
		WHERE r.agreement_id = ANY($1) ORDER BY r.agreement_id, r.year DESC`, ids)
	list, err := pgx.CollectRows(rows, rowTo(annualReportRow.report))
	if err != nil {
		return nil, fmt.Errorf("annual reports of %d agreements: %w", len(ids), err)
	}
	out := map[int64][]AnnualReport{}
	for _, r := range list {
		out[r.AgreementID] = append(out[r.AgreementID], r)
	}
	return out, nil
}
