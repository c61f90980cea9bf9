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
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
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

// errRollback ends the transaction of a preview: the work is done in full,
// so its counts are exact, and then undone.
var errRollback = errors.New("preview: roll back")

// Preview reports what a run of year would do, exactly, and changes
// nothing: the same work as Run in a transaction that is rolled back. It
// records no run and no audit event, and does not take the run's advisory
// lock, so a preview never makes a run report ErrBusy. It does hold the
// agreements' row locks while it works, as a run does, so a preview made
// during a run waits for it and shows the state after it.
func (s *Service) Preview(ctx context.Context, year int) (Report, error) {
	if err := validYear(year); err != nil {
		return Report{}, err
	}
	var rep Report
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if rep, err = materialise(ctx, tx, s.db.Pool, year); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		return Report{}, err
	}
	rep.DryRun = true
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
// each agreement's amounts are computed from (the agreement, its budget
// lines and locked years) is read first on the pool, a few agreements at a
// time (prefetch), so that a run over hundreds of agreements is not a
// long series of round trips on tx's one connection; only the writes go
// through tx. In READ COMMITTED every statement of tx would read the latest
// committed rows as well, so reading them elsewhere changes nothing.
func materialise(ctx context.Context, tx pgx.Tx, pool postgres.DBTX, year int) (Report, error) {
	amounts := postgres.NewYearAmounts(tx)
	ids, err := amounts.Covering(ctx, year)
	if err != nil {
		return Report{}, err
	}
	decided, err := postgres.NewIndexRates(tx).List(ctx)
	if err != nil {
		return Report{}, err
	}
	stored, err := amounts.ForYear(ctx, year)
	if err != nil {
		return Report{}, err
	}
	before := make(map[int64]money.Amount, len(stored))
	for _, y := range stored {
		before[y.LineID] = y.Amount
	}
	inputs, err := prefetch(ctx, pool, ids)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Year: year}
	for _, in := range inputs {
		ar, err := materialiseAgreement(ctx, tx, in, year, decided, before)
		if err != nil {
			return Report{}, err
		}
		rep.Agreements = append(rep.Agreements, ar)
		rep.Counts = rep.Counts.Add(ar.Counts)
	}
	return rep, nil
}

// agreementInputs is what one agreement's amounts are computed from.
type agreementInputs struct {
	ag    partnership.Agreement
	lines []partnership.BudgetLine
	locks []partnership.YearLock
}

// prefetchWorkers is how many agreements prefetch reads at once.
const prefetchWorkers = 4

// prefetch reads the inputs of the agreements ids on pool with
// prefetchWorkers at a time, in the order of ids.
func prefetch(ctx context.Context, pool postgres.DBTX, ids []int64) ([]agreementInputs, error) {
	inputs := make([]agreementInputs, len(ids))
	errs := make([]error, len(ids))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(prefetchWorkers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				inputs[i], errs[i] = readInputs(ctx, pool, ids[i])
			}
		}()
	}
	for i := range ids {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return inputs, nil
}

func readInputs(ctx context.Context, db postgres.DBTX, id int64) (agreementInputs, error) {
	ag, err := postgres.NewAgreements(db).ByID(ctx, id)
	if err != nil {
		return agreementInputs{}, err
	}
	lines, err := postgres.NewBudgets(db).Lines(ctx, id)
	if err != nil {
		return agreementInputs{}, err
	}
	locks, err := postgres.NewYearAmounts(db).Locks(ctx, id)
	if err != nil {
		return agreementInputs{}, err
	}
	return agreementInputs{ag: ag, lines: lines, locks: locks}, nil
}

// materialiseAgreement computes and upserts the agreement's amounts of year:
// each line compounded from its stated amount (never from stored pro-rated
// amounts) at the agreement's rates and pro-rated for a partial year.
func materialiseAgreement(ctx context.Context, tx pgx.Tx, in agreementInputs, year int, decided []partnership.IndexRate,
	before map[int64]money.Amount) (AgreementReport, error) {
	ag, lines, locks, id := in.ag, in.lines, in.locks, in.ag.ID
	amounts := postgres.NewYearAmounts(tx)
	ar := AgreementReport{AgreementID: id, Title: ag.Title, CaseNumber: ag.CaseNumber}
	for _, l := range locks {
		if l.Year == year {
			ar.Locked, ar.LockReason = true, l.Reason
		}
	}
	start, end, ok := partnership.BudgetPeriod(ag)
	if !ok {
		return AgreementReport{}, fmt.Errorf("agreement %d covers %d but has no budget period", id, year)
	}
	rate := partnership.Rates(ag.IndexMode, ag.IndexRateBP, decided)
	computed := make([]partnership.YearAmount, len(lines))
	for i, l := range lines {
		computed[i] = partnership.YearAmount{LineID: l.ID, Amount: partnership.AmountForYear(l, start, end, year, rate)}
	}
	if len(computed) > 0 {
		var err error
		if ar.Counts, err = amounts.Upsert(ctx, id, year, computed); err != nil {
			return AgreementReport{}, err
		}
	}
	ar.Parties = partyTotals(ag, lines, computed, before, ar.Locked)
	return ar, nil
}

// partyTotals sums, for each party with budget lines, in the agreement's
// party order, the stored amounts of the year and the computed ones. A
// locked year keeps what it holds, so its new total is the old one.
func partyTotals(ag partnership.Agreement, lines []partnership.BudgetLine, computed []partnership.YearAmount,
	before map[int64]money.Amount, locked bool) []PartyTotal {
	byParty := map[int64]*PartyTotal{}
	for i, l := range lines {
		pt, ok := byParty[l.PartyID]
		if !ok {
			pt = &PartyTotal{PartyID: l.PartyID}
			byParty[l.PartyID] = pt
		}
		old, stored := before[l.ID]
		if stored {
			pt.Old = money.Sum(pt.Old, old)
			pt.Materialised = true
		} else {
			pt.Missing++
		}
		if !locked {
			pt.New = money.Sum(pt.New, computed[i].Amount)
		} else if stored {
			pt.New = money.Sum(pt.New, old)
		}
	}
	var out []PartyTotal
	for _, p := range ag.Parties {
		if pt, ok := byParty[p.ID]; ok {
			pt.Name, pt.Role = p.OrganisationName, p.Role
			out = append(out, *pt)
		}
	}
	return out
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
