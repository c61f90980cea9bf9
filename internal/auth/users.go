package auth

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// CreateUser validates and stores a new user with the given password. An
// empty password means "generate one"; the password set is returned so that
// it can be handed to the user once.
func (s *Service) CreateUser(ctx context.Context, actor partnership.Actor, u partnership.User, password string) (partnership.User, string, error) {
	u.Email = partnership.NormalizeEmail(u.Email)
	if password == "" {
		password = GeneratePassword()
	}
	if err := mergeValidation(u.Validate(), partnership.ValidatePassword(password)); err != nil {
		return partnership.User{}, "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return partnership.User{}, "", err
	}
	var created partnership.User
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := s.checkOrganisation(ctx, tx, u); err != nil {
			return err
		}
		created, err = postgres.NewUsers(tx).Create(ctx, u, hash)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.create", "user", strconv.FormatInt(created.ID, 10), userDetails(created))
	})
	if err != nil {
		return partnership.User{}, "", err
	}
	return created, password, nil
}

// mergeValidation joins the field errors of several validators, so that a
// form shows every problem at once (the first message per field wins). An
// error that is not a ValidationError is returned as it is rather than
// trusted to be one.
func mergeValidation(errs ...error) error {
	verr := partnership.ValidationError{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var fields partnership.ValidationError
		if !errors.As(err, &fields) {
			return err
		}
		for field, msg := range fields {
			verr.Add(field, msg)
		}
	}
	return verr.Err()
}

// UpdateUser changes a user's e-mail, name, role and organisation. A change
// of role or organisation ends the user's sessions.
func (s *Service) UpdateUser(ctx context.Context, actor partnership.Actor, u partnership.User) (partnership.User, error) {
	u.Email = partnership.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return partnership.User{}, err
	}
	var updated partnership.User
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		if err := s.checkOrganisation(ctx, tx, u); err != nil {
			return err
		}
		var err error
		updated, err = postgres.NewUsers(tx).Update(ctx, u)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.update", "user", strconv.FormatInt(u.ID, 10), userDetails(updated))
	})
	return updated, err
}

// SetActive enables or disables a user. Disabling ends their sessions. An
// admin cannot disable themselves, so that the system never loses its last
// way in by a slip of the mouse.
func (s *Service) SetActive(ctx context.Context, actor partnership.Actor, id int64, active bool) (partnership.User, error) {
	if !active && id == actor.UserID {
		return partnership.User{}, partnership.ValidationError{"active": "Du kan inte inaktivera ditt eget konto."}
	}
	action := "user.enable"
	if !active {
		action = "user.disable"
	}
	var u partnership.User
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if u, err = postgres.NewUsers(tx).SetActive(ctx, id, active); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, action, "user", strconv.FormatInt(id, 10), nil)
	})
	return u, err
}

// SetPassword sets a new password (generated when empty), ends the user's
// sessions and returns the password set.
func (s *Service) SetPassword(ctx context.Context, actor partnership.Actor, id int64, password string) (partnership.User, string, error) {
	if password == "" {
		password = GeneratePassword()
	}
	if err := partnership.ValidatePassword(password); err != nil {
		return partnership.User{}, "", err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return partnership.User{}, "", err
	}
	var u partnership.User
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		if u, err = postgres.NewUsers(tx).SetPassword(ctx, id, hash); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "user.password_reset", "user", strconv.FormatInt(id, 10), nil)
	})
	if err != nil {
		return partnership.User{}, "", err
	}
	return u, password, nil
}

// checkOrganisation turns an unknown organisation id into a field error.
func (s *Service) checkOrganisation(ctx context.Context, db postgres.DBTX, u partnership.User) error {
	if u.OrganisationID == nil {
		return nil
	}
	_, err := postgres.NewOrganisations(db).ByID(ctx, *u.OrganisationID)
	if errors.Is(err, partnership.ErrNotFound) {
		return partnership.ValidationError{"organisation_id": "Välj en organisation som finns."}
	}
	return err
}

func userDetails(u partnership.User) map[string]any {
	d := map[string]any{"email": u.Email, "name": u.Name, "role": string(u.Role), "active": u.Active}
	if u.OrganisationID != nil {
		d["organisation_id"] = *u.OrganisationID
	}
	return d
}
