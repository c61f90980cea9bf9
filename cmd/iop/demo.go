package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"iop/internal/config"
	"iop/internal/demo"
	"iop/internal/postgres"
)

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	const help = "Usage: iop demo load\n\nLoads the demo organisations and users (idempotent) and prints the demo logins."
	if len(args) == 0 || args[0] != "load" {
		fmt.Fprintln(stdout, help)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return fmt.Errorf("demo: expected 'load'")
	}
	fs := flag.NewFlagSet("iop demo load", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(stdout, help) }
	if err := parseFlags(fs, args[1:], stdout); err != nil {
		return helpOK(err)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	keys, err := cfg.Keyring()
	if err != nil {
		return fmt.Errorf("demo load: %w", err)
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.StatementTimeout, cfg.MaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := newAuth(db)
	if err != nil {
		return err
	}
	if err := demo.Load(ctx, db, svc, keys); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "demo data loaded; demo logins (password for all: "+demo.Password+"):")
	for _, u := range demo.Users {
		if u.TOTPSecret != "" {
			fmt.Fprintf(stdout, "  %-28s %-18s one-time code: TOTP secret %s (see README, Demo logins)\n", u.Email, u.Role.Label(), u.TOTPSecret)
			continue
		}
		fmt.Fprintf(stdout, "  %-28s %s\n", u.Email, u.Role.Label())
	}
	return nil
}
