package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"iop/internal/config"
	"iop/internal/demo"
	"iop/internal/postgres"
)

const generateHelp = `Usage: iop demo generate [--agreements N] [--participants N] [--activities N] [--years N] [--seed S]

Writes a synthetic municipality-scale data set into DATABASE_URL for load
tests: agreements with parties, activity types and targets, pseudonymous
participants (no identities) and activities over the years, a few agreements
holding most of them. The same sizes and seed give the same data; a seed can
be generated once per database. Not for a production database.
`

// cmdDemoGenerate runs the data generator with a progress line on stderr.
func cmdDemoGenerate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("iop demo generate", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stdout, generateHelp); fs.PrintDefaults() }
	s := demo.Sizes{LastYear: time.Now().Year()}
	fs.IntVar(&s.Agreements, "agreements", 300, "number of agreements")
	fs.IntVar(&s.Participants, "participants", 60_000, "number of participants")
	fs.IntVar(&s.Activities, "activities", 2_000_000, "number of activities")
	fs.IntVar(&s.Years, "years", 10, "calendar years the data spans, ending with --last-year")
	fs.IntVar(&s.LastYear, "last-year", s.LastYear, "the last year of the data")
	fs.Uint64Var(&s.Seed, "seed", 1, "random seed")
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpOK(err)
	}
	if err := s.Validate(); err != nil {
		return fmt.Errorf("demo generate: %w", err)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	// COPY of a batch and the final VACUUM (ANALYZE) outlast a page's statement timeout.
	db, err := postgres.Open(ctx, cfg.DatabaseURL, 10*time.Minute, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	got, err := demo.Generate(ctx, db, s, func(p demo.Progress) {
		secs := max(time.Since(start).Seconds(), 0.001)
		fmt.Fprintf(stderr, "\r%-12s %9d / %-9d  %6.1f s", p.Table, p.Done, p.Total, secs)
	})
	fmt.Fprintln(stderr)
	if err != nil {
		return fmt.Errorf("demo generate: %w", err)
	}
	secs := max(got.Elapsed.Seconds(), 0.001)
	fmt.Fprintf(stdout, "generated %d agreements, %d organisations, %d activity types, %d targets, %d participants, %d activities\n",
		len(got.Agreements), got.Organisations, got.Types, got.Targets, got.Participants, got.Activities)
	fmt.Fprintf(stdout, "%d rows in %.1f s: %.0f rows/s (activities and participants %.0f rows/s, including VACUUM and ANALYZE)\n",
		got.Rows(), secs, float64(got.Rows())/secs, float64(got.Activities+got.Participants)/secs)
	return nil
}
