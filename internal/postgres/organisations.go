package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Organisations stores the organisations that take part in partnerships.
type Organisations struct{ db DBTX }

// NewOrganisations returns an organisation store on db.
func NewOrganisations(db DBTX) *Organisations { return &Organisations{db: db} }

const organisationColumns = `id, name, coalesce(org_number, '') AS org_number, kind, created_at, updated_at`

type organisationRow struct {
	ID        int64
	Name      string
	OrgNumber string
	Kind      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (r organisationRow) organisation() partnership.Organisation {
	return partnership.Organisation{
		ID: r.ID, Name: r.Name, OrgNumber: partnership.OrgNumber(r.OrgNumber),
		Kind: partnership.OrgKind(r.Kind), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// mapOrganisationError explains which unique value is taken.
func mapOrganisationError(err error) error {
	switch {
	case uniqueViolation(err, "organisations_org_number_key"):
		return partnership.ValidationError{"org_number": "Det finns redan en organisation med det organisationsnumret."}
	case uniqueViolation(err, "organisations_name_idx"):
		return partnership.ValidationError{"name": "Det finns redan en organisation med det namnet."}
	}
	return mapError(err)
}

// Create inserts o and returns the stored organisation.
func (s *Organisations) Create(ctx context.Context, o partnership.Organisation) (partnership.Organisation, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO organisations (name, org_number, kind) VALUES ($1, $2, $3)
		RETURNING `+organisationColumns, o.Name, nullIfEmpty(string(o.OrgNumber)), o.Kind)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[organisationRow])
	if err != nil {
		return partnership.Organisation{}, fmt.Errorf("create organisation: %w", mapOrganisationError(err))
	}
	return row.organisation(), nil
}

// ByID finds an organisation.
func (s *Organisations) ByID(ctx context.Context, id int64) (partnership.Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+organisationColumns+` FROM organisations WHERE id = $1`, id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[organisationRow])
	if err != nil {
		return partnership.Organisation{}, fmt.Errorf("find organisation %d: %w", id, mapError(err))
	}
	return row.organisation(), nil
}

// ByName finds an organisation by its name, case-insensitively.
func (s *Organisations) ByName(ctx context.Context, name string) (partnership.Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+organisationColumns+` FROM organisations WHERE lower(name) = lower($1)`, name)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[organisationRow])
	if err != nil {
		return partnership.Organisation{}, fmt.Errorf("find organisation %q: %w", name, mapError(err))
	}
	return row.organisation(), nil
}

// List returns every organisation ordered by name.
func (s *Organisations) List(ctx context.Context) ([]partnership.Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+organisationColumns+` FROM organisations ORDER BY name COLLATE "sv-SE-x-icu", id`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[organisationRow])
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	out := make([]partnership.Organisation, len(list))
	for i, r := range list {
		out[i] = r.organisation()
	}
	return out, nil
}
