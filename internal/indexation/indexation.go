// Package indexation is the yearly indexation run: it materialises the
// amounts of a calendar year for every agreement that covers it, as
// partnership's rules give them, never changes a locked year, and runs
// either on request (command line, browser) or by itself once a day.
package indexation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// ErrBusy means another run of the indexation holds the lock, in this
// instance of the app or another one; nothing was done. Try again later.
var ErrBusy = errors.New("indexation: another run holds the lock")

// Service runs the yearly indexation on the database.
type Service struct {
	db *postgres.DB
}

// NewService returns the indexation service on db.
func NewService(db *postgres.DB) *Service { return &Service{db: db} }

// Preview reports what a run of year would do and changes nothing: it
// reads the same inputs as Run, on the pool and without a transaction, and
// computes the same amounts and counts (plan), so the preview and the run
// that follows it agree to the öre unless something changes in between.
// It records no run and no audit event and takes no lock, so a preview
// never makes a run report ErrBusy nor waits for one: a preview made
// during a run shows the state before the run commits.
func (s *Service) Preview(ctx context.Context, year int) (Report, error) {
	if err := validYear(year); err != nil {
		return Report{}, err
	}
	in, err := readYear(ctx, s.db.Pool, year)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Year: year, DryRun: true}
	for _, a := range in.agreements {
		ar, _, err := plan(a, year, in)
		if err != nil {
			return Report{}, err
		}
		rep.Agreements = append(rep.Agreements, ar)
		rep.Counts = rep.Counts.Add(ar.Counts)
	}
	return rep, nil
}

// Run materialises year for every agreement covering it and returns what it
// did. The whole run is one transaction: it takes the indexation's advisory
// lock first (ErrBusy when another run holds it), then every agreement's
// amounts, the audit events (one per changed agreement, entity "agreement",
// and one for the run, entity "indexation") and the run's record commit
// together or not at all. Every run is recorded and audited, also one that
// changed nothing. Locked years are left as they are and reported. A
// second run finds nothing to change and says so.
func (s *Service) Run(ctx context.Context, year int, actor partnership.Actor) (Report, error) {
	if err := validYear(year); err != nil {
		return Report{}, err
	}
	var rep Report
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		ok, err := postgres.TryAdvisoryLock(ctx, tx, postgres.IndexationLockKey)
		if err != nil {
			return err
		}
		if !ok {
			return ErrBusy
		}
		started := time.Now()
		if rep, err = materialise(ctx, tx, s.db.Pool, year); err != nil {
			return err
		}
		if err := auditAgreements(ctx, tx, rep, actor); err != nil {
			return err
		}
		run, err := postgres.NewYearAmounts(tx).RecordRun(ctx, partnership.IndexationRun{
			Year: year, StartedBy: actor.ActorID(), Agreements: len(rep.Agreements), IndexationCounts: rep.Counts,
			StartedAt: started, FinishedAt: time.Now(),
		})
		if err != nil {
			return err
		}
		rep.RunID = run.ID
		details := countDetails(year, rep.Counts)
		details["agreements"] = len(rep.Agreements)
		details["changed_agreements"] = rep.ChangedAgreements()
		details["run_id"] = run.ID
		details["via"] = actor.Via
		return postgres.NewAudit(tx).Record(ctx, partnership.AuditEvent{
			ActorID: actor.ActorID(), Action: "indexation.run", Entity: "indexation",
			EntityID: strconv.Itoa(year), Details: details, ClientIP: actor.IP,
		})
	})
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// Materialised reports whether year is up to date for every agreement that
// covers it, as far as changed budget lines tell (see
// postgres.YearAmounts.Unmaterialised: a changed rate or date is not
// noticed).
func (s *Service) Materialised(ctx context.Context, year int) (bool, error) {
	return postgres.NewYearAmounts(s.db.Pool).Materialised(ctx, year)
}

// Runs returns the latest recorded runs, newest first, at most limit.
func (s *Service) Runs(ctx context.Context, limit int) ([]partnership.IndexationRun, error) {
	return postgres.NewYearAmounts(s.db.Pool).Runs(ctx, limit)
}

// validYear refuses a year the system keeps no amounts for, keyed by the
// form field "year".
func validYear(year int) error {
	if year < partnership.MinBudgetYear || year > partnership.MaxBudgetYear {
		return partnership.ValidationError{"year": fmt.Sprintf("Ange ett år mellan %d och %d.",
			partnership.MinBudgetYear, partnership.MaxBudgetYear)}
	}
	return nil
}

// materialise upserts year's amounts of every agreement covering it in tx
// and reports, per agreement and party, the totals before and after. What
// the amounts are computed from is read first on the pool, for all the
// agreements at once (readYear), so that a run over hundreds of agreements
// is not a long series of round trips on tx's one connection; only the
// writes go through tx. In READ COMMITTED every statement of tx would read
// the latest committed rows as well, so reading them elsewhere changes
// nothing. The counts are those the upserts report, which plan predicts.
func materialise(ctx context.Context, tx pgx.Tx, pool postgres.DBTX, year int) (Report, error) {
	in, err := readYear(ctx, pool, year)
	if err != nil {
		return Report{}, err
	}
	amounts := postgres.NewYearAmounts(tx)
	rep := Report{Year: year}
	for _, a := range in.agreements {
		ar, computed, err := plan(a, year, in)
		if err != nil {
			return Report{}, err
		}
		if len(computed) > 0 {
			if ar.Counts, err = amounts.Upsert(ctx, a.ag.ID, year, computed); err != nil {
				return Report{}, err
			}
		}
		rep.Agreements = append(rep.Agreements, ar)
		rep.Counts = rep.Counts.Add(ar.Counts)
	}
	return rep, nil
}

// auditAgreements records "budget.indexed" on every agreement whose amounts
// the run changed, so that it shows in the agreement's history.
func auditAgreements(ctx context.Context, tx pgx.Tx, rep Report, actor partnership.Actor) error {
	audit := postgres.NewAudit(tx)
	for _, ar := range rep.Agreements {
		if !ar.Counts.Changed() {
			continue
		}
		details := countDetails(rep.Year, ar.Counts)
		details["via"] = actor.Via
		err := audit.Record(ctx, partnership.AuditEvent{
			ActorID: actor.ActorID(), Action: "budget.indexed", Entity: "agreement",
			EntityID: strconv.FormatInt(ar.AgreementID, 10), Details: details, ClientIP: actor.IP,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func countDetails(year int, c partnership.IndexationCounts) map[string]any {
	return map[string]any{"year": year, "inserted": c.Inserted, "updated": c.Updated,
		"unchanged": c.Unchanged, "locked": c.Locked}
}
