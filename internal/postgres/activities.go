package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Activities stores the activities logged for agreements. Every lookup and
// change names the agreement as well as the activity, so an activity id is
// only ever found through its own agreement; tenancy (which agreements a
// user may reach) is decided before the store is called.
type Activities struct{ db DBTX }

// NewActivities returns an activity store on db (a pool or a transaction).
func NewActivities(db DBTX) *Activities { return &Activities{db: db} }

// activityColumns reads an activity with its type's name and unit and the
// name of the user who logged it, from "a" joined as in activityJoins.
const activityColumns = `a.id, a.agreement_id, a.type_id, t.name AS type_name, t.unit AS type_unit,
	a.activity_date, a.duration_minutes, a.women, a.men, a.non_binary, a.children, a.volunteer_minutes,
	a.staff_present, a.place, a.notes, a.created_by, coalesce(u.name, '') AS created_by_name,
	a.organisation_id, a.version, a.created_at, a.updated_at`

const activityJoins = ` JOIN activity_types t ON t.id = a.type_id LEFT JOIN users u ON u.id = a.created_by`

// activityReturning are the columns an INSERT, UPDATE or DELETE returns
// into the CTE "changed".
const activityReturning = ` RETURNING id, agreement_id, type_id, activity_date, duration_minutes, women, men,
	non_binary, children, volunteer_minutes, staff_present, place, notes, created_by, organisation_id,
	version, created_at, updated_at`

type activityRow struct {
	ID               int64
	AgreementID      int64
	TypeID           int64
	TypeName         string
	TypeUnit         string
	ActivityDate     time.Time
	DurationMinutes  int
	Women            int
	Men              int
	NonBinary        int
	Children         int
	VolunteerMinutes int
	StaffPresent     int
	Place            string
	Notes            string
	CreatedBy        *int64
	CreatedByName    string
	OrganisationID   *int64
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (r activityRow) activity() partnership.Activity {
	return partnership.Activity{
		ID: r.ID, AgreementID: r.AgreementID, TypeID: r.TypeID, TypeName: r.TypeName,
		TypeUnit: partnership.ActivityUnit(r.TypeUnit), Date: r.ActivityDate, DurationMinutes: r.DurationMinutes,
		Women: r.Women, Men: r.Men, NonBinary: r.NonBinary, Children: r.Children,
		VolunteerMinutes: r.VolunteerMinutes, StaffPresent: r.StaffPresent, Place: r.Place, Notes: r.Notes,
		CreatedBy: r.CreatedBy, CreatedByName: r.CreatedByName, OrganisationID: r.OrganisationID,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// msgActivityType is the form message for a type that is not one of the
// agreement's (active) types.
const msgActivityType = "Välj en av överenskommelsens aktivitetstyper."

// activityError maps a type from another agreement to a validation error
// on the type field.
func activityError(err error) error {
	if foreignKeyViolation(err, "activities_type_fkey") {
		return partnership.ValidationError{"type_id": msgActivityType}
	}
	return mapError(err)
}

// collectActivity reads the one activity of a "changed" CTE.
func collectActivity(rows pgx.Rows) (partnership.Activity, error) {
	return pgx.CollectExactlyOneRow(rows, rowTo(activityRow.activity))
}

// Create stores a for a.AgreementID, with its CreatedBy and
// OrganisationID, and returns it as stored (version 1). a must have passed
// Validate. A type that is not an active type of the agreement is a
// partnership.ValidationError on "type_id".
func (s *Activities) Create(ctx context.Context, a partnership.Activity) (partnership.Activity, error) {
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			INSERT INTO activities (agreement_id, type_id, activity_date, duration_minutes, women, men, non_binary,
			                        children, volunteer_minutes, staff_present, place, notes, created_by, organisation_id)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
			FROM activity_types WHERE agreement_id = $1 AND id = $2 AND active`+activityReturning+`)
		SELECT `+activityColumns+` FROM changed a`+activityJoins,
		a.AgreementID, a.TypeID, a.Date, a.DurationMinutes, a.Women, a.Men, a.NonBinary, a.Children,
		a.VolunteerMinutes, a.StaffPresent, a.Place, a.Notes, a.CreatedBy, a.OrganisationID)
	created, err := collectActivity(rows)
	if errors.Is(err, pgx.ErrNoRows) {
		err = partnership.ValidationError{"type_id": msgActivityType}
	}
	if err != nil {
		return partnership.Activity{}, fmt.Errorf("create activity for agreement %d: %w", a.AgreementID, activityError(err))
	}
	return created, nil
}

// Update saves the type, date, duration, attendance, volunteer time, staff,
// place and notes of an activity of a.AgreementID, provided its stored
// version is still a.Version; who logged it does not change. It returns
// the stored activity with the next version, an error wrapping
// partnership.ErrConflict when someone changed it meanwhile, or
// partnership.ErrNotFound when the agreement has no such activity.
func (s *Activities) Update(ctx context.Context, a partnership.Activity) (partnership.Activity, error) {
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (
			UPDATE activities SET type_id = $4, activity_date = $5, duration_minutes = $6, women = $7, men = $8,
			       non_binary = $9, children = $10, volunteer_minutes = $11, staff_present = $12, place = $13,
			       notes = $14, version = version + 1, updated_at = now()
			WHERE agreement_id = $1 AND id = $2 AND version = $3`+activityReturning+`)
		SELECT `+activityColumns+` FROM changed a`+activityJoins,
		a.AgreementID, a.ID, a.Version, a.TypeID, a.Date, a.DurationMinutes, a.Women, a.Men, a.NonBinary,
		a.Children, a.VolunteerMinutes, a.StaffPresent, a.Place, a.Notes)
	updated, err := collectActivity(rows)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, findErr := s.ByID(ctx, a.AgreementID, a.ID); findErr != nil {
			return partnership.Activity{}, fmt.Errorf("update activity %d: %w", a.ID, findErr)
		}
		return partnership.Activity{}, fmt.Errorf("update activity %d from version %d: %w", a.ID, a.Version, partnership.ErrConflict)
	}
	if err != nil {
		return partnership.Activity{}, fmt.Errorf("update activity %d of agreement %d: %w", a.ID, a.AgreementID, activityError(err))
	}
	return updated, nil
}

// Delete removes an activity of an agreement and returns what it was.
func (s *Activities) Delete(ctx context.Context, agreementID, id int64) (partnership.Activity, error) {
	rows, _ := s.db.Query(ctx, `
		WITH changed AS (DELETE FROM activities WHERE agreement_id = $1 AND id = $2`+activityReturning+`)
		SELECT `+activityColumns+` FROM changed a`+activityJoins, agreementID, id)
	deleted, err := collectActivity(rows)
	if err != nil {
		return partnership.Activity{}, fmt.Errorf("delete activity %d of agreement %d: %w", id, agreementID, mapError(err))
	}
	return deleted, nil
}

// ByID finds an activity of an agreement: an id of another agreement's
// activity is partnership.ErrNotFound.
func (s *Activities) ByID(ctx context.Context, agreementID, id int64) (partnership.Activity, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+activityColumns+` FROM activities a`+activityJoins+`
		WHERE a.agreement_id = $1 AND a.id = $2`, agreementID, id)
	found, err := collectActivity(rows)
	if err != nil {
		return partnership.Activity{}, fmt.Errorf("find activity %d of agreement %d: %w", id, agreementID, mapError(err))
	}
	return found, nil
}

// HasActivities reports whether any activity is logged for the agreement.
func (s *Activities) HasActivities(ctx context.Context, agreementID int64) (bool, error) {
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM activities WHERE agreement_id = $1)`,
		agreementID).Scan(&ok); err != nil {
		return false, fmt.Errorf("activities of agreement %d: %w", agreementID, err)
	}
	return ok, nil
}
