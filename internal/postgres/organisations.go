package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Organisations stores the organisations that take part in partnerships.
type Organisations struct{ db DBTX }

// NewOrganisations returns an organisation store on db.
func NewOrganisations(db DBTX) *Organisations { return &Organisations{db: db} }

const organisationColumns = `id, name, coalesce(org_number, '') AS org_number, kind,
	postal_address, invoice_address, version, created_at, updated_at`

type organisationRow struct {
	ID             int64
	Name           string
	OrgNumber      string
	Kind           string
	PostalAddress  string
	InvoiceAddress string
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (r organisationRow) organisation() partnership.Organisation {
	return partnership.Organisation{
		ID: r.ID, Name: r.Name, OrgNumber: partnership.OrgNumber(r.OrgNumber), Kind: partnership.OrgKind(r.Kind),
		PostalAddress: r.PostalAddress, InvoiceAddress: r.InvoiceAddress, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
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
		return partnership.ValidationError{"org_number": "Det finns redan en organisation med det organisationsnumret. Ett organisationsnummer kan bara finnas en gång."}
	case uniqueViolation(err, "organisations_name_idx"):
		return partnership.ValidationError{"name": "Det finns redan en organisation med det namnet."}
	}
	return mapError(err)
}

// one runs a query that returns exactly one organisation.
func (s *Organisations) one(ctx context.Context, what, sql string, args ...any) (partnership.Organisation, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	o, err := pgx.CollectExactlyOneRow(rows, rowTo(organisationRow.organisation))
	if err != nil {
		return partnership.Organisation{}, fmt.Errorf("%s: %w", what, mapOrganisationError(err))
	}
	return o, nil
}

// Create inserts o and returns the stored organisation. A taken name or org
// number is a partnership.ValidationError on that field.
func (s *Organisations) Create(ctx context.Context, o partnership.Organisation) (partnership.Organisation, error) {
	return s.one(ctx, "create organisation",
		`INSERT INTO organisations (name, org_number, kind, postal_address, invoice_address)
		 VALUES ($1, $2, $3, $4, $5) RETURNING `+organisationColumns,
		o.Name, nullIfEmpty(string(o.OrgNumber)), o.Kind, o.PostalAddress, o.InvoiceAddress)
}

// Update saves the editable fields of o if the stored version is still
// o.Version, and returns the organisation with its new version. An older
// version is partnership.ErrConflict; a taken name or org number a
// partnership.ValidationError on that field.
func (s *Organisations) Update(ctx context.Context, o partnership.Organisation) (partnership.Organisation, error) {
	updated, err := s.one(ctx, fmt.Sprintf("update organisation %d", o.ID), `
		UPDATE organisations
		SET name = $2, org_number = $3, kind = $4, postal_address = $5, invoice_address = $6,
		    version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $7 RETURNING `+organisationColumns,
		o.ID, o.Name, nullIfEmpty(string(o.OrgNumber)), o.Kind, o.PostalAddress, o.InvoiceAddress, o.Version)
	if !errors.Is(err, partnership.ErrNotFound) {
		return updated, err
	}
	// No row matched: either the organisation is gone or its version moved on.
	if _, findErr := s.ByID(ctx, o.ID); findErr != nil {
		return partnership.Organisation{}, findErr
	}
	return partnership.Organisation{}, fmt.Errorf("update organisation %d from version %d: %w", o.ID, o.Version, partnership.ErrConflict)
}

// ByID finds an organisation.
func (s *Organisations) ByID(ctx context.Context, id int64) (partnership.Organisation, error) {
	return s.one(ctx, fmt.Sprintf("find organisation %d", id),
		`SELECT `+organisationColumns+` FROM organisations WHERE id = $1`, id)
}

// ByName finds an organisation by its name, case-insensitively.
func (s *Organisations) ByName(ctx context.Context, name string) (partnership.Organisation, error) {
	return s.one(ctx, fmt.Sprintf("find organisation %q", name),
		`SELECT `+organisationColumns+` FROM organisations WHERE lower(name) = lower($1)`, name)
}

// List returns every organisation ordered by name.
func (s *Organisations) List(ctx context.Context) ([]partnership.Organisation, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+organisationColumns+` FROM organisations ORDER BY name COLLATE "sv-SE-x-icu", id`)
	return collectOrganisations(rows, "list organisations")
}

func collectOrganisations(rows pgx.Rows, what string) ([]partnership.Organisation, error) {
	list, err := pgx.CollectRows(rows, rowTo(organisationRow.organisation))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return list, nil
}
