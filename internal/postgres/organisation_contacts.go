package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// OrganisationContacts stores the contact people of organisations. Every
// method is scoped by the organisation: a contact id of another organisation
// is not found.
type OrganisationContacts struct{ db DBTX }

// NewOrganisationContacts returns a contact store on db.
func NewOrganisationContacts(db DBTX) *OrganisationContacts { return &OrganisationContacts{db: db} }

const contactColumns = `id, organisation_id, name, title, email, phone, created_at, updated_at`

func (s *OrganisationContacts) one(ctx context.Context, what, sql string, args ...any) (partnership.Contact, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[partnership.Contact])
	if err != nil {
		if foreignKeyViolation(err, "") { // the organisation does not exist
			err = partnership.ErrNotFound
		}
		return partnership.Contact{}, fmt.Errorf("%s: %w", what, mapError(err))
	}
	return c, nil
}

// Create adds c to its organisation and returns the stored contact.
func (s *OrganisationContacts) Create(ctx context.Context, c partnership.Contact) (partnership.Contact, error) {
	return s.one(ctx, fmt.Sprintf("create contact of organisation %d", c.OrganisationID),
		`INSERT INTO organisation_contacts (organisation_id, name, title, email, phone)
		 VALUES ($1, $2, $3, $4, $5) RETURNING `+contactColumns,
		c.OrganisationID, c.Name, c.Title, c.Email, c.Phone)
}

// ByID finds a contact of the organisation.
func (s *OrganisationContacts) ByID(ctx context.Context, organisationID, id int64) (partnership.Contact, error) {
	return s.one(ctx, fmt.Sprintf("find contact %d of organisation %d", id, organisationID),
		`SELECT `+contactColumns+` FROM organisation_contacts WHERE organisation_id = $1 AND id = $2`,
		organisationID, id)
}

// Update saves the name, title, e-mail and phone of c.
func (s *OrganisationContacts) Update(ctx context.Context, c partnership.Contact) (partnership.Contact, error) {
	return s.one(ctx, fmt.Sprintf("update contact %d of organisation %d", c.ID, c.OrganisationID), `
		UPDATE organisation_contacts SET name = $3, title = $4, email = $5, phone = $6, updated_at = now()
		WHERE organisation_id = $1 AND id = $2 RETURNING `+contactColumns,
		c.OrganisationID, c.ID, c.Name, c.Title, c.Email, c.Phone)
}

// Delete removes a contact of the organisation and returns what was removed.
func (s *OrganisationContacts) Delete(ctx context.Context, organisationID, id int64) (partnership.Contact, error) {
	return s.one(ctx, fmt.Sprintf("delete contact %d of organisation %d", id, organisationID),
		`DELETE FROM organisation_contacts WHERE organisation_id = $1 AND id = $2 RETURNING `+contactColumns,
		organisationID, id)
}

// List returns the contacts of an organisation ordered by name.
func (s *OrganisationContacts) List(ctx context.Context, organisationID int64) ([]partnership.Contact, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+contactColumns+` FROM organisation_contacts
		WHERE organisation_id = $1 ORDER BY name COLLATE "sv-SE-x-icu", id`, organisationID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.Contact])
	if err != nil {
		return nil, fmt.Errorf("list contacts of organisation %d: %w", organisationID, err)
	}
	return list, nil
}
