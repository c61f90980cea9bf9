package postgres

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // the pgx5:// driver
	"github.com/golang-migrate/migrate/v4/source/iofs"

	"iop/migrations"
)

// Migrator applies the embedded migrations. golang-migrate takes an advisory
// lock, so several instances starting at once migrate only once.
type Migrator struct {
	m *migrate.Migrate
}

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Version uint
	Name    string
	Applied bool
}

// NewMigrator prepares migrations against databaseURL (postgres:// form).
func NewMigrator(databaseURL string) (*Migrator, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("open embedded migrations: %w", err)
	}
	u := databaseURL
	for _, prefix := range []string{"postgres://", "postgresql://"} {
		if strings.HasPrefix(u, prefix) {
			u = "pgx5://" + strings.TrimPrefix(u, prefix)
		}
	}
	m, err := migrate.NewWithSourceInstance("iofs", src, u)
	if err != nil {
		return nil, fmt.Errorf("prepare migrations: %w", err)
	}
	return &Migrator{m: m}, nil
}

// Close releases the migrator's connection.
func (mg *Migrator) Close() error {
	srcErr, dbErr := mg.m.Close()
	return errors.Join(srcErr, dbErr)
}

// Up applies every pending migration.
func (mg *Migrator) Up() error {
	if err := mg.m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// Down reverts the last n migrations.
func (mg *Migrator) Down(n int) error {
	if n <= 0 {
		return fmt.Errorf("migrate down: step count must be positive, got %d", n)
	}
	if err := mg.m.Steps(-n); err != nil {
		return fmt.Errorf("migrate down %d: %w", n, err)
	}
	return nil
}

// Status lists every embedded migration and whether it is applied. dirty is
// true when a migration failed halfway and needs a person to look at it.
func (mg *Migrator) Status() (list []MigrationStatus, dirty bool, err error) {
	current, dirty, err := mg.m.Version()
	if err != nil && !errors.Is(err, migrate.ErrNilVersion) {
		return nil, false, fmt.Errorf("read schema version: %w", err)
	}
	entries, err := migrations.FS.ReadDir(".")
	if err != nil {
		return nil, false, err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".up.sql")
		if !ok {
			continue
		}
		var v uint
		if _, err := fmt.Sscanf(name, "%d_", &v); err != nil {
			return nil, false, fmt.Errorf("migration %s: bad version: %w", e.Name(), err)
		}
		list = append(list, MigrationStatus{Version: v, Name: name, Applied: v <= current})
	}
	return list, dirty, nil
}

// PrintStatus writes the status as one line per migration.
func (mg *Migrator) PrintStatus(w io.Writer) error {
	list, dirty, err := mg.Status()
	if err != nil {
		return err
	}
	for _, s := range list {
		mark := "pending"
		if s.Applied {
			mark = "applied"
		}
		fmt.Fprintf(w, "%-8s %s\n", mark, s.Name)
	}
	if dirty {
		fmt.Fprintln(w, "WARNING: the database is marked dirty: a migration failed part-way; repair the schema by hand and the version in schema_migrations before migrating again")
	}
	return nil
}
