// Package annualreport holds the use cases of the yearly report of an
// agreement to the labour market committee (årsrapport): the association
// writes its narrative as a draft and submits it; the municipality's
// officer comments, returns or approves it. Approval stores the computed
// figures (see package report) with the report and locks the year, in one
// transaction, so that what the committee was given never moves. The
// portfolio of a year carries the officer's summary. Each use case takes
// the acting partnership.Actor, decides with the pure rules of rules.go
// what it may do and writes the change with its audit event in one
// transaction.
package annualreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/indexation"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/report"
)

// FigureSource computes a report's figures live: report.Service.
type FigureSource interface {
	Agreement(ctx context.Context, actor partnership.Actor, agreementID int64, year int) (report.Report, error)
}

// Service runs the annual report workflow on the database.
type Service struct {
	db      *postgres.DB
	figures FigureSource
	now     func() time.Time
}

// NewService returns the annual report service on db; figures computes the
// figures that approval stores, now is the clock that decides which years
// can be reported.
func NewService(db *postgres.DB, figures FigureSource, now func() time.Time) *Service {
	return &Service{db: db, figures: figures, now: now}
}

// SaveDraft writes the narrative of the agreement's report of year as a
// draft, over version (0 starts the report). Errors: partnership.ErrForbidden
// for a role that does not write reports, partnership.ErrNotFound for an
// agreement the actor may not see or a year it is not reported for, a
// partnership.ValidationError for a text too long and one wrapping
// partnership.ErrConflict when the report was changed meanwhile or is no
// longer a draft or returned.
func (s *Service) SaveDraft(ctx context.Context, actor partnership.Actor, agreementID int64, year, version int, n postgres.Narrative) (postgres.AnnualReport, error) {
	if err := Check(actor.Role, Draft, ActSave); err != nil {
		return postgres.AnnualReport{}, err
	}
	if verr := ValidateDraft(n); len(verr) > 0 {
		return postgres.AnnualReport{}, verr
	}
	return s.step(ctx, actor, agreementID, year, ActSave, func(tx pgx.Tx, _ partnership.Agreement, _ postgres.AnnualReport) (postgres.AnnualReport, map[string]any, error) {
		saved, err := postgres.NewAnnualReports(tx).SaveNarrative(ctx, agreementID, year, version, n, actor.ActorID())
		return saved, nil, err
	})
}

// Submit saves the narrative like SaveDraft and hands the report in; every
// heading needs a text (a partnership.ValidationError otherwise).
func (s *Service) Submit(ctx context.Context, actor partnership.Actor, agreementID int64, year, version int, n postgres.Narrative) (postgres.AnnualReport, error) {
	if err := Check(actor.Role, Draft, ActSubmit); err != nil {
		return postgres.AnnualReport{}, err
	}
	if verr := ValidateSubmit(n); len(verr) > 0 {
		return postgres.AnnualReport{}, verr
	}
	return s.step(ctx, actor, agreementID, year, ActSubmit, func(tx pgx.Tx, _ partnership.Agreement, _ postgres.AnnualReport) (postgres.AnnualReport, map[string]any, error) {
		store := postgres.NewAnnualReports(tx)
		saved, err := store.SaveNarrative(ctx, agreementID, year, version, n, actor.ActorID())
		if err != nil {
			return saved, nil, err
		}
		saved, err = store.Submit(ctx, agreementID, year, saved.Version, actor.ActorID())
		return saved, nil, err
	})
}

// Comment adds the officer's comment to a submitted report.
func (s *Service) Comment(ctx context.Context, actor partnership.Actor, agreementID int64, year int, body string) (postgres.AnnualReportComment, error) {
	if err := Check(actor.Role, Submitted, ActComment); err != nil {
		return postgres.AnnualReportComment{}, err
	}
	if verr := ValidateComment(body); len(verr) > 0 {
		return postgres.AnnualReportComment{}, verr
	}
	var c postgres.AnnualReportComment
	_, err := s.step(ctx, actor, agreementID, year, ActComment, func(tx pgx.Tx, _ partnership.Agreement, cur postgres.AnnualReport) (postgres.AnnualReport, map[string]any, error) {
		var err error
		c, err = postgres.NewAnnualReports(tx).AddComment(ctx, cur.ID, "comment", body, actor.ActorID())
		return cur, map[string]any{"comment_id": c.ID}, err
	})
	return c, err
}

// Return sends a submitted report at version back to the association with
// the officer's comment, which is required.
func (s *Service) Return(ctx context.Context, actor partnership.Actor, agreementID int64, year, version int, body string) (postgres.AnnualReport, error) {
	if err := Check(actor.Role, Submitted, ActReturn); err != nil {
		return postgres.AnnualReport{}, err
	}
	if verr := ValidateComment(body); len(verr) > 0 {
		return postgres.AnnualReport{}, verr
	}
	return s.step(ctx, actor, agreementID, year, ActReturn, func(tx pgx.Tx, _ partnership.Agreement, cur postgres.AnnualReport) (postgres.AnnualReport, map[string]any, error) {
		store := postgres.NewAnnualReports(tx)
		returned, err := store.Return(ctx, agreementID, year, version)
		if err != nil {
			return returned, nil, err
		}
		c, err := store.AddComment(ctx, cur.ID, "return", body, actor.ActorID())
		return returned, map[string]any{"comment_id": c.ID}, err
	})
}

// Approve approves a submitted report at version. In the same transaction
// it brings the year's budget amounts up to date, locks the year for the
// agreement (as approving an invoice does: activities, budget lines and
// indexation no longer change it) and stores the figures, computed just
// before, with the report. The figures are computed outside the
// transaction (the report service reads on its own); the year is locked
// before they are stored, so a write of the year that commits between the
// two is the only one that could differ, and every later one is refused.
func (s *Service) Approve(ctx context.Context, actor partnership.Actor, agreementID int64, year, version int) (postgres.AnnualReport, error) {
	if err := Check(actor.Role, Submitted, ActApprove); err != nil {
		return postgres.AnnualReport{}, err
	}
	if s.figures == nil {
		return postgres.AnnualReport{}, fmt.Errorf("approve annual report: no figure source")
	}
	figures, err := s.figures.Agreement(ctx, actor, agreementID, year)
	if err != nil {
		return postgres.AnnualReport{}, fmt.Errorf("figures of annual report %d of agreement %d: %w", year, agreementID, err)
	}
	figures.Disclosed = false
	snapshot, err := json.Marshal(figures)
	if err != nil {
		return postgres.AnnualReport{}, fmt.Errorf("snapshot of annual report %d of agreement %d: %w", year, agreementID, err)
	}
	return s.step(ctx, actor, agreementID, year, ActApprove, func(tx pgx.Tx, a partnership.Agreement, _ postgres.AnnualReport) (postgres.AnnualReport, map[string]any, error) {
		counts, err := indexation.MaterialiseYear(ctx, tx, a, year)
		if err != nil {
			return postgres.AnnualReport{}, nil, err
		}
		locked, err := postgres.NewYearAmounts(tx).LockYear(ctx, agreementID, year, fmt.Sprintf("Årsrapport %d godkänd", year))
		if err != nil {
			return postgres.AnnualReport{}, nil, err
		}
		approved, err := postgres.NewAnnualReports(tx).Approve(ctx, agreementID, year, version, actor.ActorID(), snapshot)
		return approved, map[string]any{"locked_year": year, "locked_amounts": locked,
			"materialised": counts.Inserted + counts.Updated}, err
	})
}

// SaveSummary writes the officer's summary of the portfolio of year over
// version (0 for the first). Errors: partnership.ErrForbidden for a role
// that does not write it, partnership.ErrNotFound for a year after this
// one, a partnership.ValidationError for an empty or too long text and
// one wrapping partnership.ErrConflict when it changed meanwhile.
func (s *Service) SaveSummary(ctx context.Context, actor partnership.Actor, year, version int, summary string) (postgres.PortfolioSummary, error) {
	if !MaySaveSummary(actor.Role) {
		return postgres.PortfolioSummary{}, fmt.Errorf("role %q saving the portfolio summary: %w", actor.Role, partnership.ErrForbidden)
	}
	if err := s.validYear(year); err != nil {
		return postgres.PortfolioSummary{}, err
	}
	if verr := ValidateSummary(summary); len(verr) > 0 {
		return postgres.PortfolioSummary{}, verr
	}
	var saved postgres.PortfolioSummary
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if saved, err = postgres.NewAnnualReports(tx).SaveSummary(ctx, year, version, summary, actor.ActorID()); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("portfolio_summary.save", "portfolio", strconv.Itoa(year),
			map[string]any{"year": year, "version": saved.Version}))
	})
	return saved, err
}

// step runs a change of the agreement's report of year in a transaction:
// on an agreement the actor may see, for a year it is reported for, with
// the rules checked against the report's current state (read and locked
// first). change returns the report as it is afterwards and the audit
// event's extra details; the event is recorded on the agreement, with
// ids, year and state only (the narrative stays out of the audit log).
func (s *Service) step(ctx context.Context, actor partnership.Actor, agreementID int64, year int, act Action,
	change func(tx pgx.Tx, a partnership.Agreement, cur postgres.AnnualReport) (postgres.AnnualReport, map[string]any, error)) (postgres.AnnualReport, error) {
	var saved postgres.AnnualReport
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		a, err := s.visibleAgreement(ctx, tx, actor, agreementID, year)
		if err != nil {
			return err
		}
		cur, err := postgres.NewAnnualReports(tx).GetForUpdate(ctx, agreementID, year)
		if err != nil && !(errors.Is(err, partnership.ErrNotFound) && (act == ActSave || act == ActSubmit)) {
			return err
		}
		if err := Check(actor.Role, State(cur.State), act); err != nil {
			return err
		}
		var extra map[string]any
		if saved, extra, err = change(tx, a, cur); err != nil {
			return err
		}
		details := map[string]any{"year": year, "report_id": saved.ID, "state": saved.State, "version": saved.Version}
		for k, v := range extra {
			details[k] = v
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("annual_report."+string(act), "agreement",
			strconv.FormatInt(agreementID, 10), details))
	})
	if err != nil {
		return postgres.AnnualReport{}, err
	}
	return saved, nil
}
