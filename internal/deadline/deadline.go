// Package deadline gathers every deadline of the agreements a user may see
// — computed by partnership's rules from what is already recorded, never
// typed in twice — and offers them as the start page's "Att göra", a
// calendar feed behind a secret token and a daily e-mail digest.
package deadline

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"iop/internal/annualreport"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// Service computes deadlines and manages calendar feeds on the database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the deadline service on db; now is the clock that
// decides which day it is.
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// Today is the calendar date in Sweden on the service's clock, as UTC
// midnight like every stored date.
func (s *Service) Today() time.Time {
	return partnership.Today(s.now())
}

// Filter narrows a list of deadlines; the zero value keeps every one.
type Filter struct {
	Kind        partnership.DeadlineKind
	AgreementID int64
}

// Keep reports whether d passes the filter.
func (f Filter) Keep(d partnership.Deadline) bool {
	return (f.Kind == "" || d.Kind == f.Kind) && (f.AgreementID == 0 || d.AgreementID == f.AgreementID)
}

// Agenda is what a user has to do and attend: their deadlines, sorted by
// date (so the overdue ones come first), and the meetings of their
// agreements.
type Agenda struct {
	Deadlines  []partnership.Deadline
	Meetings   []Meeting
	Agreements []AgreementRef // the agreements looked at, for filters
}

// Meeting is a meeting as the calendar shows it.
type Meeting struct {
	partnership.Meeting
	AgreementTitle string
}

// AgreementRef names an agreement.
type AgreementRef struct {
	ID    int64
	Title string
}

// For computes the agenda of u on today: officers, admins, viewers and
// coordinators get every agreement's deadlines, association staff only
// those of the agreements their organisation is a party to.
func (s *Service) For(ctx context.Context, u partnership.User, today time.Time) (Agenda, error) {
	pool := s.db.Pool
	rows, err := postgres.NewAgreementList(pool).All(ctx, u, postgres.AgreementListQuery{
		Sort: postgres.AgreementListByEnd, Today: today,
	})
	if err != nil {
		return Agenda{}, err
	}
	var ag Agenda
	store := postgres.NewDeadlines(pool)
	for _, row := range rows {
		a, err := postgres.NewAgreements(pool).ByID(ctx, row.ID)
		if err != nil {
			return Agenda{}, err
		}
		ag.Agreements = append(ag.Agreements, AgreementRef{ID: a.ID, Title: a.Title})
		meetings, err := postgres.NewMeetings(pool).List(ctx, a.ID)
		if err != nil {
			return Agenda{}, err
		}
		invoices, err := postgres.NewInvoices(pool).List(ctx, a.ID)
		if err != nil {
			return Agenda{}, err
		}
		items, err := store.OpenActionItems(ctx, a.ID)
		if err != nil {
			return Agenda{}, err
		}
		var followUps []partnership.OpenFollowUp
		if mayReadFollowUps(u.Role) {
			if followUps, err = store.OpenFollowUps(ctx, a.ID); err != nil {
				return Agenda{}, err
			}
		}
		if d, ok := partnership.ExtensionDeadline(a, today); ok {
			ag.Deadlines = append(ag.Deadlines, d)
		}
		if d, ok := partnership.ReportDeadline(a, today); ok {
			done, err := reportDone(ctx, pool, &d, u.Role)
			if err != nil {
				return Agenda{}, err
			}
			if !done {
				ag.Deadlines = append(ag.Deadlines, d)
			}
		}
		ag.Deadlines = append(ag.Deadlines, partnership.MeetingDeadlines(a, meetings, today)...)
		ag.Deadlines = append(ag.Deadlines, partnership.InvoiceDeadlines(a, invoices, today)...)
		ag.Deadlines = append(ag.Deadlines, partnership.ActionItemDeadlines(a, items)...)
		for _, f := range followUps {
			ag.Deadlines = append(ag.Deadlines, partnership.FollowUpDeadline(a, f))
		}
		for _, m := range meetings {
			ag.Meetings = append(ag.Meetings, Meeting{Meeting: m, AgreementTitle: a.Title})
		}
	}
	partnership.SortDeadlines(ag.Deadlines)
	return ag, nil
}

// reportDone reports whether the yearly report of the deadline d has been
// handed in (submitted or approved): then the deadline is met and no
// longer listed. A report still due links to its page for the roles that
// open reports.
func reportDone(ctx context.Context, db postgres.DBTX, d *partnership.Deadline, role partnership.Role) (bool, error) {
	year, err := strconv.Atoi(d.Ref)
	if err != nil {
		return false, fmt.Errorf("report deadline of agreement %d: year %q: %w", d.AgreementID, d.Ref, err)
	}
	r, err := postgres.NewAnnualReports(db).Get(ctx, d.AgreementID, year)
	if err != nil && !errors.Is(err, partnership.ErrNotFound) {
		return false, err
	}
	if annualreport.State(r.State).Done() {
		return true, nil
	}
	if annualreport.MayRead(role) {
		d.Link = fmt.Sprintf("/agreements/%d/reports/%d", d.AgreementID, year)
	}
	return false, nil
}

// mayReadFollowUps reports whether a role sees follow-ups after exit, as
// the follow-up pages allow: coordinators do not.
func mayReadFollowUps(r partnership.Role) bool { return r != partnership.RoleCoordinator }
