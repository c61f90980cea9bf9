package report_test

import (
	"context"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

// demoData is the demo data set, loaded once into a template each test
// clones.
var demoData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		return err
	}
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		return err
	}
	return demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), keys)
})

const (
	ikfTitle = "Inkludering på lika villkor"
	smTitle  = "Hoppfull framtid"
)

func agreementID(t *testing.T, db *postgres.DB, title string) int64 {
	t.Helper()
	a, err := postgres.NewAgreements(db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

var officer = partnership.Actor{UserID: 1, Role: partnership.RoleOfficer, Via: "web"}
