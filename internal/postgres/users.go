package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Users stores the users who sign in.
type Users struct{ db DBTX }

// NewUsers returns a user store on db (a pool or a transaction).
func NewUsers(db DBTX) *Users { return &Users{db: db} }

const userColumns = `id, email, name, role, organisation_id, active, session_epoch, last_login_at, created_at, updated_at`

type userRow struct {
	ID             int64
	Email          string
	Name           string
	Role           string
	OrganisationID *int64
	Active         bool
	SessionEpoch   int
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (r userRow) user() partnership.User {
	return partnership.User{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: partnership.Role(r.Role),
		OrganisationID: r.OrganisationID, Active: r.Active, SessionEpoch: r.SessionEpoch,
		LastLoginAt: r.LastLoginAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func (s *Users) one(ctx context.Context, what, sql string, args ...any) (partnership.User, error) {
	rows, _ := s.db.Query(ctx, sql, args...)
	u, err := pgx.CollectExactlyOneRow(rows, rowTo(userRow.user))
	if err != nil {
		return partnership.User{}, fmt.Errorf("%s: %w", what, mapUserError(err))
	}
	return u, nil
}

// mapUserError explains which unique value is taken.
func mapUserError(err error) error {
	if uniqueViolation(err, "users_email_idx") {
		return partnership.ValidationError{"email": "Det finns redan en användare med den e-postadressen."}
	}
	return mapError(err)
}

// Create inserts u with its password hash and returns the stored user.
func (s *Users) Create(ctx context.Context, u partnership.User, passwordHash string) (partnership.User, error) {
	return s.one(ctx, "create user",
		`INSERT INTO users (email, name, role, organisation_id, password_hash)
		 VALUES ($1, $2, $3, $4, $5) RETURNING `+userColumns,
		partnership.NormalizeEmail(u.Email), u.Name, u.Role, u.OrganisationID, passwordHash)
}

// ByID finds a user.
func (s *Users) ByID(ctx context.Context, id int64) (partnership.User, error) {
	return s.one(ctx, fmt.Sprintf("find user %d", id), `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
}

// ByEmail finds a user by e-mail, case-insensitively.
func (s *Users) ByEmail(ctx context.Context, email string) (partnership.User, error) {
	return s.one(ctx, "find user by e-mail",
		`SELECT `+userColumns+` FROM users WHERE lower(email) = $1`, partnership.NormalizeEmail(email))
}

// Credentials returns the user with the e-mail and the stored password hash.
func (s *Users) Credentials(ctx context.Context, email string) (partnership.User, string, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE lower(email) = $1`,
		partnership.NormalizeEmail(email))
	type credRow struct {
		userRow
		PasswordHash string
	}
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[credRow])
	if err != nil {
		return partnership.User{}, "", fmt.Errorf("find credentials: %w", mapError(err))
	}
	return row.user(), row.PasswordHash, nil
}

// UserListItem is a user with the name of their organisation.
type UserListItem struct {
	partnership.User
	OrganisationName string
}

// List returns every user ordered by name.
func (s *Users) List(ctx context.Context) ([]UserListItem, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.organisation_id, u.active, u.session_epoch,
		       u.last_login_at, u.created_at, u.updated_at, coalesce(o.name, '') AS organisation_name
		FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
		ORDER BY u.name COLLATE "sv-SE-x-icu", u.id`)
	type listRow struct {
		userRow
		OrganisationName string
	}
	list, err := pgx.CollectRows(rows, rowTo(func(r listRow) UserListItem {
		return UserListItem{User: r.user(), OrganisationName: r.OrganisationName}
	}))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return list, nil
}

// Update saves the editable fields of u: e-mail, name, role and organisation.
// A changed role or organisation ends the user's sessions.
func (s *Users) Update(ctx context.Context, u partnership.User) (partnership.User, error) {
	return s.one(ctx, fmt.Sprintf("update user %d", u.ID), `
		UPDATE users SET email = $2, name = $3, role = $4, organisation_id = $5, updated_at = now(),
		       session_epoch = session_epoch + CASE WHEN role <> $4 OR organisation_id IS DISTINCT FROM $5 THEN 1 ELSE 0 END
		WHERE id = $1 RETURNING `+userColumns,
		u.ID, partnership.NormalizeEmail(u.Email), u.Name, u.Role, u.OrganisationID)
}

// SetActive enables or disables a user; disabling ends every session of theirs.
func (s *Users) SetActive(ctx context.Context, id int64, active bool) (partnership.User, error) {
	return s.one(ctx, fmt.Sprintf("set user %d active=%t", id, active), `
		UPDATE users SET active = $2, updated_at = now(),
		       session_epoch = session_epoch + CASE WHEN active AND NOT $2 THEN 1 ELSE 0 END
		WHERE id = $1 RETURNING `+userColumns, id, active)
}

// SetPassword replaces the password hash and ends every session of the user.
func (s *Users) SetPassword(ctx context.Context, id int64, passwordHash string) (partnership.User, error) {
	return s.one(ctx, fmt.Sprintf("set password of user %d", id), `
		UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1, updated_at = now()
		WHERE id = $1 RETURNING `+userColumns, id, passwordHash)
}

// RecordLogin notes the time of a successful login.
func (s *Users) RecordLogin(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.db.Exec(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, id, at); err != nil {
		return fmt.Errorf("record login of user %d: %w", id, err)
	}
	return nil
}
