package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"iop/internal/indexation"
	"iop/internal/partnership"
)

const indexUsage = `Usage: iop index run --year Y [--dry-run]

Materialises the budget amounts of calendar year Y for every agreement that
covers it (indexation and pro-rata as the rules give them) and prints, per
agreement, the old and new totals of each party. A year locked for an
agreement (its invoice or annual report approved) is never changed; the run
says which it skipped and why. Running it again changes nothing and says so.

  --year Y     the calendar year, e.g. 2024 (required)
  --dry-run    show what the run would do and change nothing
`

func cmdIndex(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if shown, err := subcommandHelp("index", indexUsage, args, stdout); shown {
		return err
	}
	if args[0] != "run" {
		return fmt.Errorf("index: unknown subcommand %q\n\n%s", args[0], indexUsage)
	}
	fs := flag.NewFlagSet("iop index run", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stdout, indexUsage) }
	year := fs.Int("year", 0, "the calendar year to materialise")
	dryRun := fs.Bool("dry-run", false, "change nothing, only show what would change")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return helpOK(err)
	}
	if *year == 0 {
		return errors.New("index run: --year is required, e.g. --year 2024")
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := indexation.NewService(db)
	var rep indexation.Report
	if *dryRun {
		rep, err = svc.Preview(ctx, *year)
	} else {
		rep, err = svc.Run(ctx, *year, partnership.SystemActor("cli"))
	}
	var verr partnership.ValidationError
	if errors.As(err, &verr) {
		return fmt.Errorf("index run: %s", verr["year"])
	}
	if err != nil {
		return err
	}
	printReport(stdout, rep)
	return nil
}

// printReport writes the report as the officer reads it: per agreement the
// parties' totals before and after, the counts, and what was skipped.
func printReport(w io.Writer, rep indexation.Report) {
	fmt.Fprintf(w, "Indexering av år %d\n", rep.Year)
	for _, a := range rep.Agreements {
		fmt.Fprintf(w, "\n%s", a.Title)
		if a.CaseNumber != "" {
			fmt.Fprintf(w, " (%s)", a.CaseNumber)
		}
		fmt.Fprintln(w)
		if a.Locked {
			fmt.Fprintf(w, "  Hoppades över: året är låst (%s).\n", a.LockReason)
		}
		for _, p := range a.Parties {
			fmt.Fprintf(w, "  %s: %s → %s\n", p.Name, p.OldText(), p.New)
		}
		fmt.Fprintf(w, "  %s\n", indexation.CountsText(a.Counts))
	}
	fmt.Fprintf(w, "\n%s\n", rep.Summary())
	if rep.DryRun {
		fmt.Fprintln(w, "(torrkörning: inget ändrades)")
	}
}
