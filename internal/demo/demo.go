// Package demo loads the demo data set: the organisations and agreements of
// the source documents of shared/seeds, a user of every role, and a year of
// activities and of participants for the signed agreements. Loading is
// idempotent: what exists is left as it is.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/auth"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/privacy"
)

// Password is the password of every demo user.
const Password = "demo-iop-2026"

// The organisations of the source documents, with org numbers only where a
// document gives one.
var organisations = []partnership.Organisation{
	{Name: "Linköpings kommun", OrgNumber: "2120000449", Kind: partnership.OrgMunicipality},
	{Name: "KISAM-Världens mammor", Kind: partnership.OrgAssociation},
	{Name: "Internationella Kvinnoföreningen Linköping (IKF)", OrgNumber: "8220013331", Kind: partnership.OrgAssociation},
	{Name: "Linköpings Stadsmission", OrgNumber: "8220010022", Kind: partnership.OrgAssociation},
	{Name: "Botkyrka kommun", Kind: partnership.OrgMunicipality},
	{Name: "Arbetsförmedlingen", Kind: partnership.OrgAuthority},
	{Name: "Hela Människan", Kind: partnership.OrgAssociation},
	{Name: "Studieförbundet Bilda", Kind: partnership.OrgAssociation},
	{Name: "Botkyrka folkhögskola", Kind: partnership.OrgAssociation},
}

// DemoUser is a demo login; Organisation names the organisation of
// association staff. TOTPSecret is the fixed, published two-factor secret
// (base32) of the roles that must give a one-time code after the password,
// so that anyone trying the demo can add it to an authenticator app.
type DemoUser struct {
	Email        string
	Name         string
	Role         partnership.Role
	Organisation string
	TOTPSecret   string
}

// Users are the demo logins, one or more per role.
var Users = []DemoUser{
	{Email: "admin@iop.example", Name: "Maria Lindqvist", Role: partnership.RoleAdmin, TOTPSecret: "IOPDEMOADMINMARIALINDQVISTTOTPAA"},
	{Email: "handlaggare@iop.example", Name: "Erik Johansson", Role: partnership.RoleOfficer, TOTPSecret: "IOPDEMOHANDLAGGAREERIKJOHANSSONA"},
	{Email: "koordinator@iop.example", Name: "Sara Nilsson", Role: partnership.RoleCoordinator},
	{Email: "lasare@iop.example", Name: "Lena Berg", Role: partnership.RoleViewer},
	{Email: "ikf@iop.example", Name: "Amina Hassan", Role: partnership.RoleAssociationStaff, Organisation: "Internationella Kvinnoföreningen Linköping (IKF)"},
	{Email: "stadsmissionen@iop.example", Name: "Johan Ek", Role: partnership.RoleAssociationStaff, Organisation: "Linköpings Stadsmission"},
}

// Load creates whatever of the demo data is missing. Participants'
// identities are sealed with keys.
func Load(ctx context.Context, db *postgres.DB, accounts *auth.Service, keys *privacy.Keyring) error {
	ids := map[string]int64{}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewOrganisations(tx)
		for _, o := range organisations {
			found, err := store.ByName(ctx, o.Name)
			if errors.Is(err, partnership.ErrNotFound) {
				found, err = store.Create(ctx, o)
			}
			if err != nil {
				return fmt.Errorf("demo organisation %s: %w", o.Name, err)
			}
			ids[o.Name] = found.ID
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := loadAgreements(ctx, db, ids); err != nil {
		return err
	}
	users := postgres.NewUsers(db.Pool)
	for _, d := range Users {
		u, err := users.ByEmail(ctx, d.Email)
		if errors.Is(err, partnership.ErrNotFound) {
			u = partnership.User{Email: d.Email, Name: d.Name, Role: d.Role}
			if d.Organisation != "" {
				id := ids[d.Organisation]
				u.OrganisationID = &id
			}
			u, _, err = accounts.CreateUser(ctx, partnership.SystemActor("cli"), u, Password)
		}
		if err != nil {
			return fmt.Errorf("demo user %s: %w", d.Email, err)
		}
		if d.TOTPSecret != "" {
			// Only where the user has none: an app the user set up stays.
			if err := accounts.TOTP(keys).EnrolFixed(ctx, u.ID, d.TOTPSecret); err != nil {
				return fmt.Errorf("demo user %s two-factor: %w", d.Email, err)
			}
		}
	}
	if err := loadBudgets(ctx, db); err != nil {
		return err
	}
	if err := loadMeetings(ctx, db); err != nil {
		return err
	}
	now := time.Now()
	if err := loadActivities(ctx, db, now); err != nil {
		return err
	}
	if err := loadParticipants(ctx, db, keys, now); err != nil {
		return err
	}
	if err := loadFollowUps(ctx, db, now); err != nil {
		return err
	}
	if err := loadPlans(ctx, db, keys, now); err != nil {
		return err
	}
	return loadAnnualReports(ctx, db, now)
}
