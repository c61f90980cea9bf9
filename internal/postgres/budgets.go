package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
)

// Budgets stores the budget lines of agreements and the totals their
// sources state. Every lookup names the agreement as well as the line or
// total, so a line id is only ever found through its own agreement.
type Budgets struct{ db DBTX }

// NewBudgets returns a budget store on db (a pool or a transaction).
func NewBudgets(db DBTX) *Budgets { return &Budgets{db: db} }

// budgetLineFields are the columns of a line; budgetLineColumns the same
// through the alias l.
const budgetLineFields = `id, agreement_id, party_id, position, section, text, category, kind,
	indexed, amount, basis_quantity, basis_unit_price, basis_unit, basis_share_bp, basis_periods,
	basis_persons, basis_description, accepted_note, updated_at`

const budgetLineColumns = `l.id, l.agreement_id, l.party_id, l.position, l.section, l.text, l.category, l.kind,
	l.indexed, l.amount, l.basis_quantity, l.basis_unit_price, l.basis_unit, l.basis_share_bp, l.basis_periods,
	l.basis_persons, l.basis_description, l.accepted_note, l.updated_at`

// budgetLinePartyJoin reaches the party of line l, for budget order.
const budgetLinePartyJoin = ` JOIN agreement_parties p ON p.id = l.party_id`

type budgetLineRow struct {
	ID               int64
	AgreementID      int64
	PartyID          int64
	Position         int
	Section          string
	Text             string
	Category         string
	Kind             string
	Indexed          bool
	Amount           int64
	BasisQuantity    *int64
	BasisUnitPrice   *int64
	BasisUnit        *string
	BasisShareBP     *int64 `db:"basis_share_bp"`
	BasisPeriods     *int64
	BasisPersons     *int64
	BasisDescription *string
	AcceptedNote     string
	UpdatedAt        time.Time
}

func (r budgetLineRow) line() partnership.BudgetLine {
	l := partnership.BudgetLine{
		ID: r.ID, AgreementID: r.AgreementID, PartyID: r.PartyID, Position: r.Position, Section: r.Section,
		Text: r.Text, Category: r.Category, Kind: partnership.ContributionKind(r.Kind), Indexed: r.Indexed,
		Amount: money.Amount(r.Amount), AcceptedNote: r.AcceptedNote, UpdatedAt: r.UpdatedAt,
	}
	// The schema sets the basis columns all or none.
	if r.BasisQuantity != nil && r.BasisUnitPrice != nil && r.BasisUnit != nil && r.BasisShareBP != nil &&
		r.BasisPeriods != nil && r.BasisPersons != nil && r.BasisDescription != nil {
		l.Basis = &partnership.Basis{
			Quantity: *r.BasisQuantity, UnitPrice: money.Amount(*r.BasisUnitPrice), Unit: *r.BasisUnit,
			ShareBP: *r.BasisShareBP, Periods: *r.BasisPeriods, Persons: *r.BasisPersons,
			Description: *r.BasisDescription,
		}
	}
	return l
}

// basisArgs are the seven basis columns' values: all NULL without a basis.
func basisArgs(b *partnership.Basis) []any {
	if b == nil {
		return []any{nil, nil, nil, nil, nil, nil, nil}
	}
	return []any{b.Quantity, int64(b.UnitPrice), b.Unit, b.ShareBP, b.Periods, b.Persons, b.Description}
}

// collectLine reads the one line a statement returned.
func collectLine(rows pgx.Rows, what string) (partnership.BudgetLine, error) {
	l, err := pgx.CollectExactlyOneRow(rows, rowTo(budgetLineRow.line))
	if err != nil {
		return partnership.BudgetLine{}, fmt.Errorf("%s: %w", what, mapBudgetError(err))
	}
	return l, nil
}

// CreateLine adds l to its agreement's budget and returns it as stored. A
// Position of 0 places it after the party's other lines.
func (s *Budgets) CreateLine(ctx context.Context, l partnership.BudgetLine) (partnership.BudgetLine, error) {
	args := append([]any{l.AgreementID, l.PartyID, l.Position, l.Section, l.Text, l.Category, string(l.Kind),
		l.Indexed, int64(l.Amount), l.AcceptedNote}, basisArgs(l.Basis)...)
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			INSERT INTO budget_lines (agreement_id, party_id, position, section, text, category, kind, indexed,
			                          amount, accepted_note, basis_quantity, basis_unit_price, basis_unit,
			                          basis_share_bp, basis_periods, basis_persons, basis_description)
			VALUES ($1, $2, CASE WHEN $3::integer > 0 THEN $3::integer ELSE (
			            SELECT coalesce(max(position), 0) + 1 FROM budget_lines
			            WHERE agreement_id = $1 AND party_id = $2) END,
			        $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
			RETURNING `+budgetLineFields+`)
		SELECT `+budgetLineColumns+` FROM changed l`, args...)
	return collectLine(rows, fmt.Sprintf("create budget line for agreement %d", l.AgreementID))
}

// UpdateLine saves every field of l, a line of l.AgreementID; a Position of
// 0 keeps the line where it is. The materialised year amounts stay as they
// are until the indexation runs again.
func (s *Budgets) UpdateLine(ctx context.Context, l partnership.BudgetLine) (partnership.BudgetLine, error) {
	args := append([]any{l.AgreementID, l.ID, l.PartyID, l.Position, l.Section, l.Text, l.Category, string(l.Kind),
		l.Indexed, int64(l.Amount), l.AcceptedNote}, basisArgs(l.Basis)...)
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			UPDATE budget_lines SET party_id = $3, position = CASE WHEN $4::integer > 0 THEN $4::integer ELSE position END,
			       section = $5, text = $6, category = $7, kind = $8, indexed = $9, amount = $10, accepted_note = $11,
			       basis_quantity = $12, basis_unit_price = $13, basis_unit = $14, basis_share_bp = $15,
			       basis_periods = $16, basis_persons = $17, basis_description = $18, updated_at = now()
			WHERE agreement_id = $1 AND id = $2
			RETURNING `+budgetLineFields+`)
		SELECT `+budgetLineColumns+` FROM changed l`, args...)
	return collectLine(rows, fmt.Sprintf("update budget line %d of agreement %d", l.ID, l.AgreementID))
}

// AcceptLineDeviation records note as the explanation that accepts the
// difference between the line's basis and its stated amount; an empty note
// withdraws the acceptance.
func (s *Budgets) AcceptLineDeviation(ctx context.Context, agreementID, id int64, note string) (partnership.BudgetLine, error) {
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			UPDATE budget_lines SET accepted_note = $3 WHERE agreement_id = $1 AND id = $2 RETURNING `+budgetLineFields+`)
		SELECT `+budgetLineColumns+` FROM changed l`, agreementID, id, note)
	return collectLine(rows, fmt.Sprintf("accept deviation of budget line %d of agreement %d", id, agreementID))
}

// DeleteLine removes a line of an agreement with its materialised amounts and
// returns what it was. A line with an amount in a locked year is kept: the
// error wraps partnership.ErrYearLocked.
func (s *Budgets) DeleteLine(ctx context.Context, agreementID, id int64) (partnership.BudgetLine, error) {
	what := fmt.Sprintf("delete budget line %d of agreement %d", id, agreementID)
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			DELETE FROM budget_lines d WHERE d.agreement_id = $1 AND d.id = $2
			  AND NOT EXISTS (SELECT 1 FROM budget_year_amounts y WHERE y.line_id = d.id AND y.locked)
			RETURNING `+budgetLineFields+`)
		SELECT `+budgetLineColumns+` FROM changed l`, agreementID, id)
	l, err := collectLine(rows, what)
	if errors.Is(err, partnership.ErrNotFound) {
		if _, lerr := s.Line(ctx, agreementID, id); lerr == nil {
			return partnership.BudgetLine{}, fmt.Errorf("%s: %w", what, partnership.ErrYearLocked)
		}
	}
	return l, err
}

// Line finds a line of an agreement.
func (s *Budgets) Line(ctx context.Context, agreementID, id int64) (partnership.BudgetLine, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+budgetLineColumns+` FROM budget_lines l
		WHERE l.agreement_id = $1 AND l.id = $2`, agreementID, id)
	return collectLine(rows, fmt.Sprintf("find budget line %d of agreement %d", id, agreementID))
}

// Lines returns an agreement's budget lines in party order, then line order.
func (s *Budgets) Lines(ctx context.Context, agreementID int64) ([]partnership.BudgetLine, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+budgetLineColumns+` FROM budget_lines l`+budgetLinePartyJoin+`
		WHERE l.agreement_id = $1 ORDER BY p.position, p.id, l.position, l.id`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(budgetLineRow.line))
	if err != nil {
		return nil, fmt.Errorf("list budget lines of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// Budget returns an agreement's whole budget: its lines and stated totals.
func (s *Budgets) Budget(ctx context.Context, agreementID int64) (partnership.Budget, error) {
	lines, err := s.Lines(ctx, agreementID)
	if err != nil {
		return partnership.Budget{}, err
	}
	totals, err := s.Totals(ctx, agreementID)
	if err != nil {
		return partnership.Budget{}, err
	}
	return partnership.Budget{AgreementID: agreementID, Lines: lines, Totals: totals}, nil
}

// mapBudgetError explains the constraint violations a budget change can
// meet: a party that is not one of the agreement's, a total stated twice
// for the same place, an agreement that does not exist.
func mapBudgetError(err error) error {
	switch {
	case foreignKeyViolation(err, "budget_lines_party_fkey"), foreignKeyViolation(err, "budget_stated_totals_party_fkey"):
		return partnership.ValidationError{"party_id": "Välj en av överenskommelsens parter."}
	case uniqueViolation(err, "budget_stated_totals_place_key"):
		return partnership.ValidationError{"section": "Det finns redan en summa för den här parten och det här avsnittet."}
	case foreignKeyViolation(err, "budget_lines_agreement_id_fkey"), foreignKeyViolation(err, "budget_stated_totals_agreement_id_fkey"):
		return partnership.ErrNotFound
	}
	return mapError(err)
}
