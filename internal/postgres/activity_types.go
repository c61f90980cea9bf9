package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// ActivityTypes stores the activity types of agreements and their yearly
// targets. Every lookup and change names the agreement as well as the type,
// so a type id is only ever found through its own agreement.
type ActivityTypes struct{ db DBTX }

// NewActivityTypes returns an activity type store on db (a pool or a
// transaction).
func NewActivityTypes(db DBTX) *ActivityTypes { return &ActivityTypes{db: db} }

const activityTypeColumns = `id, agreement_id, name, unit, per_participant_min, per_participant_max,
	position, active, created_at, updated_at`

type activityTypeRow struct {
	ID                int64
	AgreementID       int64
	Name              string
	Unit              string
	PerParticipantMin *int
	PerParticipantMax *int
	Position          int
	Active            bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (r activityTypeRow) activityType() partnership.ActivityType {
	return partnership.ActivityType{
		ID: r.ID, AgreementID: r.AgreementID, Name: r.Name, Unit: partnership.ActivityUnit(r.Unit),
		PerParticipantMin: r.PerParticipantMin, PerParticipantMax: r.PerParticipantMax,
		Position: r.Position, Active: r.Active, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// msgTypeNameTaken is the form message for a name the agreement already uses.
const msgTypeNameTaken = "Överenskommelsen har redan en aktivitetstyp med det namnet."

// typeError maps a duplicate name to a validation error on the name field.
func typeError(err error) error {
	if uniqueViolation(err, "activity_types_name_idx") {
		return partnership.ValidationError{"name": msgTypeNameTaken}
	}
	return mapError(err)
}

// CreateType stores t for t.AgreementID. A zero Position puts the type
// last. A name the agreement already has (ignoring case) is a
// partnership.ValidationError on "name".
func (s *ActivityTypes) CreateType(ctx context.Context, t partnership.ActivityType) (partnership.ActivityType, error) {
	rows, _ := s.db.Query(ctx, `
		INSERT INTO activity_types (agreement_id, name, unit, per_participant_min, per_participant_max, position, active)
		VALUES ($1, $2, $3, $4, $5,
		        CASE WHEN $6::int <> 0 THEN $6::int
		             ELSE (SELECT coalesce(max(position), 0) + 1 FROM activity_types WHERE agreement_id = $1) END,
		        $7)
		RETURNING `+activityTypeColumns,
		t.AgreementID, t.Name, string(t.Unit), t.PerParticipantMin, t.PerParticipantMax, t.Position, t.Active)
	typ, err := pgx.CollectExactlyOneRow(rows, rowTo(activityTypeRow.activityType))
	if err != nil {
		return partnership.ActivityType{}, fmt.Errorf("create activity type %q for agreement %d: %w", t.Name, t.AgreementID, typeError(err))
	}
	return typ, nil
}

// UpdateType saves the name, unit, target per participant, position and
// active flag of a type of t.AgreementID.
func (s *ActivityTypes) UpdateType(ctx context.Context, t partnership.ActivityType) (partnership.ActivityType, error) {
	rows, _ := s.db.Query(ctx, `
		UPDATE activity_types SET name = $3, unit = $4, per_participant_min = $5, per_participant_max = $6,
		       position = $7, active = $8, updated_at = now()
		WHERE agreement_id = $1 AND id = $2
		RETURNING `+activityTypeColumns,
		t.AgreementID, t.ID, t.Name, string(t.Unit), t.PerParticipantMin, t.PerParticipantMax, t.Position, t.Active)
	typ, err := pgx.CollectExactlyOneRow(rows, rowTo(activityTypeRow.activityType))
	if err != nil {
		return partnership.ActivityType{}, fmt.Errorf("update activity type %d of agreement %d: %w", t.ID, t.AgreementID, typeError(err))
	}
	return typ, nil
}

// DeleteType removes a type with its targets and returns what it was. A
// type that has activities cannot be deleted (deactivate it instead): that
// is an error wrapping partnership.ErrConflict.
func (s *ActivityTypes) DeleteType(ctx context.Context, agreementID, id int64) (partnership.ActivityType, error) {
	rows, _ := s.db.Query(ctx, `DELETE FROM activity_types WHERE agreement_id = $1 AND id = $2
		RETURNING `+activityTypeColumns, agreementID, id)
	typ, err := pgx.CollectExactlyOneRow(rows, rowTo(activityTypeRow.activityType))
	if err != nil {
		if foreignKeyViolation(err, "") {
			err = fmt.Errorf("%w: the type has activities", partnership.ErrConflict)
		}
		return partnership.ActivityType{}, fmt.Errorf("delete activity type %d of agreement %d: %w", id, agreementID, mapError(err))
	}
	return typ, nil
}

// Type finds a type of an agreement.
func (s *ActivityTypes) Type(ctx context.Context, agreementID, id int64) (partnership.ActivityType, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+activityTypeColumns+` FROM activity_types
		WHERE agreement_id = $1 AND id = $2`, agreementID, id)
	typ, err := pgx.CollectExactlyOneRow(rows, rowTo(activityTypeRow.activityType))
	if err != nil {
		return partnership.ActivityType{}, fmt.Errorf("find activity type %d of agreement %d: %w", id, agreementID, mapError(err))
	}
	return typ, nil
}

// Types returns every type of an agreement, active or not, in position
// order.
func (s *ActivityTypes) Types(ctx context.Context, agreementID int64) ([]partnership.ActivityType, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+activityTypeColumns+` FROM activity_types
		WHERE agreement_id = $1 ORDER BY position, lower(name), id`, agreementID)
	list, err := pgx.CollectRows(rows, rowTo(activityTypeRow.activityType))
	if err != nil {
		return nil, fmt.Errorf("list activity types of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// SetTarget creates or replaces the target of t.TypeID for t.Year. A type
// that is not the agreement's is partnership.ErrNotFound.
func (s *ActivityTypes) SetTarget(ctx context.Context, t partnership.Target) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO activity_targets (agreement_id, type_id, year, target_min, target_max)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (agreement_id, type_id, year)
		DO UPDATE SET target_min = excluded.target_min, target_max = excluded.target_max, updated_at = now()`,
		t.AgreementID, t.TypeID, t.Year, t.Min, t.Max)
	if err != nil {
		if foreignKeyViolation(err, "") {
			err = partnership.ErrNotFound
		}
		return fmt.Errorf("set %d target of activity type %d of agreement %d: %w", t.Year, t.TypeID, t.AgreementID, err)
	}
	return nil
}

// DeleteTarget removes the target of a type for a year; none is
// partnership.ErrNotFound.
func (s *ActivityTypes) DeleteTarget(ctx context.Context, agreementID, typeID int64, year int) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM activity_targets WHERE agreement_id = $1 AND type_id = $2 AND year = $3`,
		agreementID, typeID, year)
	if err == nil && tag.RowsAffected() == 0 {
		err = partnership.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("delete %d target of activity type %d of agreement %d: %w", year, typeID, agreementID, err)
	}
	return nil
}

// Targets returns an agreement's targets for a year, in type position order.
func (s *ActivityTypes) Targets(ctx context.Context, agreementID int64, year int) ([]partnership.Target, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT g.agreement_id, g.type_id, g.year, g.target_min AS min, g.target_max AS max
		FROM activity_targets g JOIN activity_types t ON t.id = g.type_id
		WHERE g.agreement_id = $1 AND g.year = $2
		ORDER BY t.position, lower(t.name), t.id`, agreementID, year)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.Target])
	if err != nil {
		return nil, fmt.Errorf("targets of agreement %d for %d: %w", agreementID, year, err)
	}
	return list, nil
}
