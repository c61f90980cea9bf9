package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"iop/internal/partnership"
	"iop/internal/retention"
)

const privacyUsage = `Usage: iop privacy purge [--dry-run]

Erases the personal data whose retention period has ended (gallring), as the
administrator has set the periods on /admin/retention: participants'
identities (name, personnummer, phone, e-mail; their consents end), free-text
notes (decline notes, IUP goal texts and outcome notes, follow-up notes) and
assessments. The participants' statistical fields, dates, exit destinations
and follow-up outcomes stay. Prints the counts per kind. The same purge runs
every day in 'iop serve'; one purge runs at a time. A purge that erases
something is audited with its counts; a second run erases nothing.

  --dry-run    count what would be erased and change nothing
`

func cmdPrivacy(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if shown, err := subcommandHelp("privacy", privacyUsage, args, stdout); shown {
		return err
	}
	if args[0] != "purge" {
		return fmt.Errorf("privacy: unknown subcommand %q\n\n%s", args[0], privacyUsage)
	}
	fs := flag.NewFlagSet("iop privacy purge", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stdout, privacyUsage) }
	dry := fs.Bool("dry-run", false, "count what would be erased and change nothing")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return helpOK(err)
	}
	db, err := openDB(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := retention.NewService(db, time.Now).Purge(ctx, partnership.SystemActor("cli"), *dry)
	if err != nil {
		return fmt.Errorf("privacy purge: %w", err)
	}
	verb := "Gallrades"
	if *dry {
		verb = "Skulle gallras (provkörning, inget ändrades)"
	}
	fmt.Fprintf(stdout, "%s:\n  identiteter      %d\n  samtycken        %d\n  avböjandenoter   %d\n  IUP-mål (texter) %d\n  uppföljningsnoter %d\n  skattningar      %d\n",
		verb, c.Identities, c.Consents, c.DeclineNotes, c.GoalNotes, c.FollowUpNotes, c.Assessments)
	return nil
}
