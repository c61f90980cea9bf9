package indexation_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"iop/internal/demo"
	"iop/internal/indexation"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// benchSizes is the generated data set of BenchmarkIndexationRun, read
// from the same variables as the server's BenchmarkPages (IOP_BENCH_*;
// 300 agreements for the municipality scale). Only the agreements and
// their budget lines matter to the indexation, so the default makes few
// participants and activities.
func benchSizes() demo.Sizes {
	size := func(name string, def int) int {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
			return n
		}
		return def
	}
	return demo.Sizes{
		Agreements:   size("IOP_BENCH_AGREEMENTS", 300),
		Participants: size("IOP_BENCH_PARTICIPANTS", 1_000),
		Activities:   size("IOP_BENCH_ACTIVITIES", 10_000),
		Years:        size("IOP_BENCH_YEARS", 10),
		LastYear:     time.Now().Year(),
		Seed:         1,
	}
}

var benchGenerated demo.Generated

var benchData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	var err error
	benchGenerated, err = demo.Generate(ctx, db, benchSizes(), nil)
	return err
})

// BenchmarkIndexationRun runs the yearly indexation of all generated
// agreements (every one covers the current year) as the scheduler and
// `iop index run` do: one transaction with the lock, the amounts of every
// budget line, the audit events and the run's record. The first run, which
// writes every amount, is reported apart (first-run-ms); the timed runs
// find the amounts in place. Timings are reported, never asserted.
func BenchmarkIndexationRun(b *testing.B) {
	db := benchData.New(b)
	ctx := context.Background()
	svc := indexation.NewService(db)
	year := time.Now().Year()
	actor := partnership.SystemActor("bench")
	t0 := time.Now()
	rep, err := svc.Run(ctx, year, actor)
	if err != nil {
		b.Fatal(err)
	}
	first := time.Since(t0)
	if len(rep.Agreements) != len(benchGenerated.Agreements) {
		b.Fatalf("indexed %d agreements, generated %d", len(rep.Agreements), len(benchGenerated.Agreements))
	}
	for b.Loop() {
		if _, err := svc.Run(ctx, year, actor); err != nil {
			b.Fatal(err)
		}
	}
	// After the loop: b.Loop's start deletes metrics reported before it.
	b.ReportMetric(float64(first.Microseconds())/1000, "first-run-ms")
	b.ReportMetric(float64(len(rep.Agreements)), "agreements")
	b.ReportMetric(float64(benchGenerated.BudgetLines), "budget-lines")
}
