package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// copier is what Import needs beyond DBTX: a pool and a transaction both
// have it.
type copier interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

var importColumns = []string{
	"agreement_id", "type_id", "activity_date", "duration_minutes", "women", "men", "non_binary", "children",
	"volunteer_minutes", "staff_present", "place", "notes", "created_by", "organisation_id",
}

// Import stores the activities of an import file for the agreement with
// one COPY, all or nothing: if any row is refused (a type of another
// agreement, a value out of range) none is stored. Every activity is
// recorded as logged by createdBy for organisationID (nil for municipal
// staff). The activities must have passed Validate (ParseActivityImport
// returns only such); one for another agreement is refused before
// anything is written. Run it in the transaction that audits the import.
func (s *Activities) Import(ctx context.Context, agreementID int64, createdBy, organisationID *int64,
	list []partnership.Activity) (int64, error) {
	c, ok := s.db.(copier)
	if !ok {
		return 0, fmt.Errorf("import activities for agreement %d: the store's connection cannot COPY", agreementID)
	}
	for i, a := range list {
		if a.AgreementID != agreementID {
			return 0, fmt.Errorf("import activities for agreement %d: activity %d belongs to agreement %d",
				agreementID, i+1, a.AgreementID)
		}
	}
	n, err := c.CopyFrom(ctx, pgx.Identifier{"activities"}, importColumns,
		pgx.CopyFromSlice(len(list), func(i int) ([]any, error) {
			a := list[i]
			return []any{
				agreementID, a.TypeID, a.Date, a.DurationMinutes, a.Women, a.Men, a.NonBinary, a.Children,
				a.VolunteerMinutes, a.StaffPresent, a.Place, a.Notes, createdBy, organisationID,
			}, nil
		}))
	if err != nil {
		return 0, fmt.Errorf("import %d activities for agreement %d: %w", len(list), agreementID, activityError(err))
	}
	return n, nil
}
