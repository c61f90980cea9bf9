package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"time"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/indexation"
	"iop/internal/postgres"
	"iop/internal/retention"
	"iop/internal/server"
)

const usage = `Usage: iop <command> [arguments]

Commands:
  serve                 run the web server (the default)
  migrate up            apply every pending migration
  migrate down N        revert the last N migrations
  migrate status        list migrations and whether they are applied
  user add              create a user
  user passwd           set a user's password
  user disable          disable a user and end their sessions
  demo load             load the demo data (idempotent)
  demo generate         write a synthetic municipality-scale data set (load tests)
  index run --year Y    materialise year Y's budget amounts (--dry-run to preview)
  identity rotate-key   re-encrypt participant identities under IDENTITY_KEY
  privacy purge         erase personal data past its retention period (--dry-run to count)
  backup --file F       dump the database to F with pg_dump
  restore --file F      restore a dump into an empty database with pg_restore (--force to replace)

Run 'iop <command> --help' for a command's flags. Configuration comes from
the environment; see README.md.
`

// run is the whole program, with its environment passed in so that tests can
// run it as a function.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	args = args[1:]
	if len(args) == 0 {
		args = []string{"serve"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(rest, getenv, stdout)
	case "user":
		return cmdUser(ctx, rest, getenv, stdin, stdout)
	case "demo":
		if len(rest) > 0 && rest[0] == "generate" {
			return cmdDemoGenerate(ctx, rest[1:], getenv, stdout, stderr)
		}
		return cmdDemo(ctx, rest, getenv, stdout)
	case "index":
		return cmdIndex(ctx, rest, getenv, stdout)
	case "identity":
		return cmdIdentity(ctx, rest, getenv, stdout)
	case "privacy":
		return cmdPrivacy(ctx, rest, getenv, stdout)
	case "backup":
		return cmdBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// parseFlags parses a command's flags; --help prints the usage and returns
// errHelp, which callers turn into a clean exit.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	return nil
}

var errHelp = errors.New("help shown")

func helpOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// subcommandHelp prints usage, and reports that it did, when args name no
// subcommand or ask for help; only the missing subcommand is an error.
func subcommandHelp(cmd, usage string, args []string, stdout io.Writer) (shown bool, err error) {
	if len(args) > 0 && args[0] != "--help" && args[0] != "-h" {
		return false, nil
	}
	fmt.Fprint(stdout, usage)
	if len(args) == 0 {
		return true, fmt.Errorf("%s: missing subcommand", cmd)
	}
	return true, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB loads the configuration from getenv and opens its database, as
// every command that works on the data begins.
func openDB(ctx context.Context, getenv func(string) string) (*postgres.DB, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	return postgres.Open(ctx, cfg.DatabaseURL, cfg.StatementTimeout, cfg.MaxConns)
}

func newAuth(db *postgres.DB) (*auth.Service, error) {
	hasher, err := auth.NewHasher(auth.DefaultParams, runtime.NumCPU())
	if err != nil {
		return nil, err
	}
	return auth.NewService(db, hasher, time.Now), nil
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("iop serve", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(stdout, "Usage: iop serve\n\nRuns the web server on HTTP_ADDR until SIGINT or SIGTERM, then shuts down gracefully.")
	}
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpOK(err)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	// Participants' identities are encrypted with these keys: without them
	// the server does not start, rather than start and fail on first use.
	keyring, err := cfg.Keyring()
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log := newLogger(cfg, stderr)
	if cfg.MigrateOnStart {
		if err := migrateUp(cfg.DatabaseURL); err != nil {
			return err
		}
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.StatementTimeout, cfg.MaxConns)
	if err != nil {
		return err
	}
	defer db.Close()
	authSvc, err := newAuth(db)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Deps{Config: cfg, DB: db, Auth: authSvc, Logger: log, SessionCleanup: 5 * time.Minute, Keyring: keyring})
	if err != nil {
		return err
	}
	// The yearly indexation runs by itself; it stops with the server, and
	// before the pool closes.
	indexCtx, stopIndex := context.WithCancel(ctx)
	indexDone := make(chan struct{})
	go func() {
		defer close(indexDone)
		indexation.NewService(db).RunDaily(indexCtx, time.Now, log)
	}()
	defer func() { stopIndex(); <-indexDone }()
	// The daily e-mail digest of deadlines, when SMTP_URL is set.
	remindCtx, stopRemind := context.WithCancel(ctx)
	remindDone := make(chan struct{})
	go func() {
		defer close(remindDone)
		reminders(db, cfg, log).RunEvery(remindCtx, time.Hour)
	}()
	defer func() { stopRemind(); <-remindDone }()
	// Likewise the retention purge (gallring), daily.
	purgeDone := make(chan struct{})
	go func() {
		defer close(purgeDone)
		retention.NewService(db, time.Now).RunDaily(indexCtx, log)
	}()
	defer func() { stopIndex(); <-purgeDone }()
	log.Info("listening", "addr", cfg.HTTPAddr, "base_url", cfg.BaseURL.String(), "identity_key_id", keyring.CurrentKeyID())
	return srv.ListenAndServe(ctx, cfg.HTTPAddr)
}

func migrateUp(databaseURL string) error {
	m, err := postgres.NewMigrator(databaseURL)
	if err != nil {
		return err
	}
	defer m.Close()
	return m.Up()
}

func cmdMigrate(args []string, getenv func(string) string, stdout io.Writer) error {
	const help = "Usage: iop migrate up | down N | status"
	usage := help + "\n\nApplies, reverts or lists the embedded schema migrations on DATABASE_URL.\n"
	if shown, err := subcommandHelp("migrate", usage, args, stdout); shown {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	m, err := postgres.NewMigrator(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "up":
		if err := m.Up(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied")
		return m.PrintStatus(stdout)
	case "down":
		if len(args) != 2 {
			return errors.New("migrate down: give the number of migrations to revert, e.g. 'iop migrate down 1'")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			return fmt.Errorf("migrate down: %q is not a positive number", args[1])
		}
		if err := m.Down(n); err != nil {
			return err
		}
		return m.PrintStatus(stdout)
	case "status":
		return m.PrintStatus(stdout)
	}
	return fmt.Errorf("migrate: unknown subcommand %q\n%s", args[0], help)
}
