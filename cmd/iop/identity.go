package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"iop/internal/config"
	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

const identityUsage = `Usage: iop identity rotate-key [--batch N]

Re-encrypts every participant identity that is not sealed under the current
key (IDENTITY_KEY) with that key, N identities per transaction, and prints
how many it re-encrypted; likewise the two-factor (TOTP) secrets of local
accounts, which are sealed with the same keys. The keys the identities are sealed under now must
be given in IDENTITY_KEYS_PREVIOUS (comma-separated). Rotate like this:

  1. set IDENTITY_KEY to a new key and add the old one to
     IDENTITY_KEYS_PREVIOUS, and restart the app;
  2. run 'iop identity rotate-key';
  3. when it reports 0 and 0 on a second run, drop the old key.

IDENTITY_INDEX_KEY (the blind index of personnummer) is not rotated. No
identity is shown; each batch is audited.

  --batch N    identities per transaction (default 200)
`

func cmdIdentity(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if shown, err := subcommandHelp("identity", identityUsage, args, stdout); shown {
		return err
	}
	if args[0] != "rotate-key" {
		return fmt.Errorf("identity: unknown subcommand %q\n\n%s", args[0], identityUsage)
	}
	fs := flag.NewFlagSet("iop identity rotate-key", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stdout, identityUsage) }
	batch := fs.Int("batch", participant.DefaultRotationBatch, "identities per transaction")
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return helpOK(err)
	}
	if *batch < 1 {
		return fmt.Errorf("identity rotate-key: --batch must be at least 1")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	keys, err := cfg.Keyring()
	if err != nil {
		return fmt.Errorf("identity rotate-key: %w", err)
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.StatementTimeout, cfg.MaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := participant.NewService(db, keys, time.Now).RotateKey(ctx, partnership.SystemActor("cli"), *batch)
	if err != nil {
		return fmt.Errorf("identity rotate-key: %d re-encrypted before: %w", n, err)
	}
	fmt.Fprintf(stdout, "%d identiteter krypterades om med nyckeln %s.\n", n, keys.CurrentKeyID())
	// The two-factor secrets of local accounts are sealed with the same keyring.
	svc, err := newAuth(db)
	if err != nil {
		return err
	}
	m, err := svc.TOTP(keys).RotateKey(ctx, partnership.SystemActor("cli"))
	if err != nil {
		return fmt.Errorf("identity rotate-key: two-factor secrets: %w", err)
	}
	fmt.Fprintf(stdout, "%d tvåfaktorsnycklar krypterades om med nyckeln %s.\n", m, keys.CurrentKeyID())
	return nil
}
