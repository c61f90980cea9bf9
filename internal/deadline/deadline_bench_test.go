package deadline_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/deadline"
	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

// benchAgreements is how many agreements BenchmarkAgenda generates:
// IOP_BENCH_AGREEMENTS, else the municipality's 300. Activities are left
// out: no deadline is computed from them.
func benchAgreements() int {
	if n, err := strconv.Atoi(os.Getenv("IOP_BENCH_AGREEMENTS")); err == nil && n > 0 {
		return n
	}
	return 300
}

// benchKeys seal the demo participants' identities in benchData.
var benchKeys = func() *privacy.Keyring {
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		panic(err)
	}
	return keys
}()

// benchData is the demo data (for its users) and a generated data set of
// benchAgreements agreements and 60 000 participants over 10 years.
var benchData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		return err
	}
	if err := demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), benchKeys); err != nil {
		return err
	}
	_, err = demo.Generate(ctx, db, demo.Sizes{
		Agreements: benchAgreements(), Participants: 60_000, Years: 10, LastYear: time.Now().Year(), Seed: 1,
	}, nil)
	return err
})

// BenchmarkAgenda computes an officer's agenda (every agreement's
// deadlines) and takes the first ten with the counts, as the start page
// and /deadlines do.
func BenchmarkAgenda(b *testing.B) {
	db := benchData.New(b)
	ctx := context.Background()
	svc := deadline.NewService(db, time.Now)
	officer := partnership.User{ID: 1, Role: partnership.RoleOfficer, Active: true}
	today := svc.Today()
	ag, err := svc.For(ctx, officer, today)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.Page(ctx, officer, today, deadline.Filter{}, 0, 10); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ag.Agreements)), "agreements")
	b.ReportMetric(float64(len(ag.Deadlines)), "deadlines")
}
