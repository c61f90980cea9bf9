package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"

	"iop/internal/config"
	"iop/internal/postgres"
)

const backupHelp = `Usage: iop backup --file F

Writes a consistent dump of DATABASE_URL (pg_dump --format=custom) to F: every
table, including users, sessions, the audit log and uploaded documents. The
dump holds personal data: keep it encrypted.
`

const restoreHelp = `Usage: iop restore --file F [--force]

Restores a dump made by 'iop backup' into DATABASE_URL (pg_restore --no-owner
--clean --if-exists). It refuses a database that already holds tables unless
--force is given, since the restore replaces what is there.
`

// cmdBackup dumps the database with pg_dump, which must be on PATH.
func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("iop backup", flag.ContinueOnError)
	file := fs.String("file", "", "the dump file to write")
	fs.Usage = func() { fmt.Fprint(stdout, backupHelp); fs.PrintDefaults() }
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpOK(err)
	}
	if *file == "" {
		return errors.New("backup: give the dump file with --file")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+*file, "--dbname="+cfg.DatabaseURL)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		// A half-written dump must not pass for a backup.
		os.Remove(*file) //nolint:errcheck // best effort; the error below is what matters
		return fmt.Errorf("backup: pg_dump: %w", err)
	}
	fmt.Fprintf(stdout, "backup written to %s\n", *file)
	return nil
}

// cmdRestore restores a dump with pg_restore, which must be on PATH.
func cmdRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("iop restore", flag.ContinueOnError)
	file := fs.String("file", "", "the dump file to read")
	force := fs.Bool("force", false, "restore into a database that already holds tables, replacing them")
	fs.Usage = func() { fmt.Fprint(stdout, restoreHelp); fs.PrintDefaults() }
	if err := parseFlags(fs, args, stdout); err != nil {
		return helpOK(err)
	}
	if *file == "" {
		return errors.New("restore: give the dump file with --file")
	}
	if _, err := os.Stat(*file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if !*force {
		n, err := countTables(ctx, cfg)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("restore: the database already holds %d tables; restore into an empty database, or give --force to replace them", n)
		}
	}
	cmd := exec.CommandContext(ctx, "pg_restore", "--no-owner", "--clean", "--if-exists", "--exit-on-error",
		"--dbname="+cfg.DatabaseURL, *file)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("restore: pg_restore: %w", err)
	}
	fmt.Fprintf(stdout, "restored %s\n", *file)
	return nil
}

// countTables counts the tables outside PostgreSQL's own schemas.
func countTables(ctx context.Context, cfg config.Config) (int, error) {
	db, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.StatementTimeout, 1)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_catalog.pg_tables
		WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&n)
	return n, err
}
