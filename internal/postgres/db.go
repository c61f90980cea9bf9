// Package postgres stores the domain in PostgreSQL: the pool, migrations,
// transactions, one store per aggregate and the mapping of database errors
// to domain errors.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"iop/internal/partnership"
)

// DBTX is what a store needs to run queries: a pool or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// DB is the application's connection pool.
type DB struct {
	Pool *pgxpool.Pool
}

// Open connects to databaseURL with a per-statement timeout and checks the
// connection before returning.
func Open(ctx context.Context, databaseURL string, statementTimeout time.Duration, maxConns int32) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(statementTimeout.Milliseconds())
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.RuntimeParams["application_name"] = "iop"
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Close releases every connection.
func (db *DB) Close() { db.Pool.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.Pool.Ping(ctx) }

// InTx runs fn in a transaction that is committed when fn returns nil and
// rolled back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.Pool, fn)
}

// The SQLSTATE codes of the constraint violations the stores explain.
const (
	codeForeignKeyViolation = "23503"
	codeUniqueViolation     = "23505"
)

// mapError turns database errors into domain errors: no rows is
// partnership.ErrNotFound, a unique violation partnership.ErrConflict.
func mapError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return partnership.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation {
		return fmt.Errorf("%w: %s", partnership.ErrConflict, pgErr.ConstraintName)
	}
	return err
}

// violation reports whether err is a violation with the SQLSTATE code of
// the named constraint, or of any constraint when constraint is "".
func violation(err error, code, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == code && (constraint == "" || pgErr.ConstraintName == constraint)
}

// uniqueViolation reports whether err is a unique violation of the named index or constraint.
func uniqueViolation(err error, constraint string) bool {
	return violation(err, codeUniqueViolation, constraint)
}

// foreignKeyViolation reports whether err is a foreign key violation of the
// named constraint, or of any foreign key when constraint is "".
func foreignKeyViolation(err error, constraint string) bool {
	return violation(err, codeForeignKeyViolation, constraint)
}

// rowTo is the pgx row function that scans a row by name into the store's
// row struct R and turns it into the domain value with conv, e.g.
// pgx.CollectRows(rows, rowTo(budgetLineRow.line)).
func rowTo[R, T any](conv func(R) T) pgx.RowToFunc[T] {
	return func(row pgx.CollectableRow) (T, error) {
		r, err := pgx.RowToStructByName[R](row)
		if err != nil {
			var zero T
			return zero, err
		}
		return conv(r), nil
	}
}
