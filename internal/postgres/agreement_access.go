package postgres

import (
	"context"
	"fmt"

	"iop/internal/partnership"
)

// AgreementVisible returns nil when the agreement exists and u may see it,
// and partnership.ErrNotFound otherwise: association staff see only the
// agreements their organisation is a party to, and cannot tell another
// organisation's agreement from one that does not exist.
func AgreementVisible(ctx context.Context, db DBTX, agreementID int64, u partnership.User) error {
	var ok bool
	err := db.QueryRow(ctx, `
		SELECT EXISTS (
			SELECT 1 FROM agreements a
			WHERE a.id = $1
			  AND ($2::bigint IS NULL OR EXISTS (
				SELECT 1 FROM agreement_parties p WHERE p.agreement_id = a.id AND p.organisation_id = $2)))`,
		agreementID, staffScope(u)).Scan(&ok)
	if err != nil {
		return fmt.Errorf("check access to agreement %d: %w", agreementID, err)
	}
	if !ok {
		return partnership.ErrNotFound
	}
	return nil
}

// staffScope is the organisation an association staff member is limited to,
// or nil for the municipality's roles, who see every agreement.
func staffScope(u partnership.User) *int64 {
	if u.Role == partnership.RoleAssociationStaff {
		if u.OrganisationID == nil {
			zero := int64(0) // a staff user without organisation sees nothing
			return &zero
		}
		return u.OrganisationID
	}
	return nil
}
