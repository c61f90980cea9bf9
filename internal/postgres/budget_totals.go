package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
)

const statedTotalFields = `id, agreement_id, party_id, section, label, amount, accepted_note`

type statedTotalRow struct {
	ID           int64
	AgreementID  int64
	PartyID      *int64
	Section      string
	Label        string
	Amount       int64
	AcceptedNote string
}

func (r statedTotalRow) total() partnership.StatedTotal {
	t := partnership.StatedTotal{
		ID: r.ID, AgreementID: r.AgreementID, Section: r.Section, Label: r.Label,
		Amount: money.Amount(r.Amount), AcceptedNote: r.AcceptedNote,
	}
	if r.PartyID != nil {
		t.PartyID = *r.PartyID
	}
	return t
}

// partyArg is the party_id column's value: NULL for the whole agreement.
func partyArg(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func collectTotal(rows pgx.Rows, what string) (partnership.StatedTotal, error) {
	t, err := pgx.CollectExactlyOneRow(rows, rowTo(statedTotalRow.total))
	if err != nil {
		return partnership.StatedTotal{}, fmt.Errorf("%s: %w", what, mapBudgetError(err))
	}
	return t, nil
}

// CreateTotal records a total as the source states it and returns it as
// stored. A second total for the same party and section is refused with a
// validation error on "section".
func (s *Budgets) CreateTotal(ctx context.Context, t partnership.StatedTotal) (partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `
		INSERT INTO budget_stated_totals (agreement_id, party_id, section, label, amount, accepted_note)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING `+statedTotalFields,
		t.AgreementID, partyArg(t.PartyID), t.Section, t.Label, int64(t.Amount), t.AcceptedNote)
	return collectTotal(rows, fmt.Sprintf("create stated total for agreement %d", t.AgreementID))
}

// UpdateTotal saves every field of t, a total of t.AgreementID.
func (s *Budgets) UpdateTotal(ctx context.Context, t partnership.StatedTotal) (partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `
		UPDATE budget_stated_totals SET party_id = $3, section = $4, label = $5, amount = $6, accepted_note = $7,
		       updated_at = now()
		WHERE agreement_id = $1 AND id = $2
		RETURNING `+statedTotalFields,
		t.AgreementID, t.ID, partyArg(t.PartyID), t.Section, t.Label, int64(t.Amount), t.AcceptedNote)
	return collectTotal(rows, fmt.Sprintf("update stated total %d of agreement %d", t.ID, t.AgreementID))
}

// AcceptTotalDeviation records note as the explanation that accepts the
// difference between the stated total and the sum of its lines; an empty
// note withdraws the acceptance.
func (s *Budgets) AcceptTotalDeviation(ctx context.Context, agreementID, id int64, note string) (partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `
		UPDATE budget_stated_totals SET accepted_note = $3 WHERE agreement_id = $1 AND id = $2
		RETURNING `+statedTotalFields, agreementID, id, note)
	return collectTotal(rows, fmt.Sprintf("accept deviation of stated total %d of agreement %d", id, agreementID))
}

// DeleteTotal removes a stated total of an agreement and returns what it was.
func (s *Budgets) DeleteTotal(ctx context.Context, agreementID, id int64) (partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `
		DELETE FROM budget_stated_totals WHERE agreement_id = $1 AND id = $2
		RETURNING `+statedTotalFields, agreementID, id)
	return collectTotal(rows, fmt.Sprintf("delete stated total %d of agreement %d", id, agreementID))
}

// Total finds a stated total of an agreement.
func (s *Budgets) Total(ctx context.Context, agreementID, id int64) (partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+statedTotalFields+` FROM budget_stated_totals
		WHERE agreement_id = $1 AND id = $2`, agreementID, id)
	return collectTotal(rows, fmt.Sprintf("find stated total %d of agreement %d", id, agreementID))
}

// Totals returns an agreement's stated totals in party order, each party's
// section totals before its own total, the whole agreement's last.
func (s *Budgets) Totals(ctx context.Context, agreementID int64) ([]partnership.StatedTotal, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT t.id, t.agreement_id, t.party_id, t.section, t.label, t.amount, t.accepted_note
		FROM budget_stated_totals t LEFT JOIN agreement_parties p ON p.id = t.party_id
		WHERE t.agreement_id = $1
		ORDER BY p.position NULLS LAST, p.id NULLS LAST, t.section = '', t.id`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(statedTotalRow.total))
	if err != nil {
		return nil, fmt.Errorf("list stated totals of agreement %d: %w", agreementID, err)
	}
	return list, nil
}
