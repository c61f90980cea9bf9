// Package deadline gathers every deadline of the agreements a user may see
// — computed by partnership's rules from what is already recorded, never
// typed in twice — and offers them as the start page's "Att göra", a
// calendar feed behind a secret token and a daily e-mail digest.
package deadline

import (
	"context"
	"fmt"
	"slices"
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
	Until       time.Time // the last due date kept (overdue ones included); zero keeps every date
}

// Keep reports whether d passes the filter.
func (f Filter) Keep(d partnership.Deadline) bool {
	return f.keepsKind(d.Kind) && (f.AgreementID == 0 || d.AgreementID == f.AgreementID) &&
		(f.Until.IsZero() || !d.Due.After(f.Until))
}

// keepsKind reports whether deadlines of kind k may pass the filter, so
// that a rule whose deadlines would all be dropped is not computed.
func (f Filter) keepsKind(k partnership.DeadlineKind) bool { return f.Kind == "" || f.Kind == k }

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
// those of the agreements their organisation is a party to. The meetings
// are read too, for the calendar feed.
func (s *Service) For(ctx context.Context, u partnership.User, today time.Time) (Agenda, error) {
	return s.agenda(ctx, u, today, true)
}

// Deadlines is For without the meetings, for the pages that list only
// the deadlines (the start page and /deadlines).
func (s *Service) Deadlines(ctx context.Context, u partnership.User, today time.Time) (Agenda, error) {
	return s.agenda(ctx, u, today, false)
}

// agenda computes the agenda, sorted.
func (s *Service) agenda(ctx context.Context, u partnership.User, today time.Time, withMeetings bool) (Agenda, error) {
	ag, err := s.collect(ctx, u, today, withMeetings, Filter{})
	if err != nil {
		return Agenda{}, err
	}
	partnership.SortDeadlines(ag.Deadlines)
	return ag, nil
}

// deadlinesPerAgreement is room for an agreement's usual deadlines in a
// year: a few dialogue meetings and invoices, a report, an extension.
const deadlinesPerAgreement = 8

// collect computes the agenda's deadlines that pass f, unsorted, in a
// fixed number of queries whatever the number of agreements: each input of
// the rules is read for all the agreements at once. Agreements lists every
// agreement u may see, whatever f.
func (s *Service) collect(ctx context.Context, u partnership.User, today time.Time, withMeetings bool, f Filter) (Agenda, error) {
	store := postgres.NewDeadlines(s.db.Pool)
	in, err := store.Inputs(ctx, u, today.Year(), today.Year()-1, mayReadFollowUps(u.Role) && f.keepsKind(partnership.DeadlineFollowUp))
	if err != nil {
		return Agenda{}, err
	}
	var meetings map[int64][]partnership.Meeting
	if withMeetings {
		if meetings, err = store.MeetingsOf(ctx, in.IDs()); err != nil {
			return Agenda{}, err
		}
	}
	// Room for the usual handful per agreement, so the list is not copied
	// again and again as it grows.
	ag := Agenda{
		Agreements: make([]AgreementRef, 0, len(in.Agreements)),
		Deadlines:  make([]partnership.Deadline, 0, deadlinesPerAgreement*len(in.Agreements)),
	}
	var reports []partnership.Deadline
	for _, a := range in.Agreements {
		id := a.ID
		ag.Agreements = append(ag.Agreements, AgreementRef{ID: a.ID, Title: a.Title})
		for _, m := range meetings[id] {
			ag.Meetings = append(ag.Meetings, Meeting{Meeting: m, AgreementTitle: a.Title})
		}
		if f.AgreementID != 0 && f.AgreementID != id {
			continue
		}
		if d, ok := partnership.ExtensionDeadline(a, today); ok && f.keepsKind(d.Kind) {
			ag.Deadlines = append(ag.Deadlines, d)
		}
		if d, ok := partnership.ReportDeadline(a, today); ok && f.keepsKind(d.Kind) {
			reports = append(reports, d)
		}
		if f.keepsKind(partnership.DeadlineMeeting) {
			ag.Deadlines = append(ag.Deadlines, partnership.MissingMeetingDeadlines(a, in.DialogueMeetings[id], today)...)
		}
		if f.keepsKind(partnership.DeadlineInvoice) {
			ag.Deadlines = append(ag.Deadlines, partnership.InvoiceDeadlines(a, in.Invoices[id], today)...)
		}
		if f.keepsKind(partnership.DeadlineActionItem) {
			ag.Deadlines = append(ag.Deadlines, partnership.ActionItemDeadlines(a, in.ActionItems[id])...)
		}
		for _, fu := range in.FollowUps[id] {
			ag.Deadlines = append(ag.Deadlines, partnership.FollowUpDeadline(a, fu))
		}
	}
	if len(reports) > 0 {
		due, err := reportsDue(ctx, store, reports, u.Role)
		if err != nil {
			return Agenda{}, err
		}
		ag.Deadlines = append(ag.Deadlines, due...)
	}
	if !f.Until.IsZero() {
		ag.Deadlines = slices.DeleteFunc(ag.Deadlines, func(d partnership.Deadline) bool { return !f.Keep(d) })
	}
	return ag, nil
}

// reportsDue are the yearly report deadlines ds whose report has not been
// handed in (submitted or approved): one handed in is met and no longer
// listed. A report still due links to its page for the roles that open
// reports.
func reportsDue(ctx context.Context, store *postgres.Deadlines, ds []partnership.Deadline, role partnership.Role) ([]partnership.Deadline, error) {
	ids := make([]int64, len(ds))
	years := make([]int, len(ds))
	for i, d := range ds {
		year, err := strconv.Atoi(d.Ref)
		if err != nil {
			return nil, fmt.Errorf("report deadline of agreement %d: year %q: %w", d.AgreementID, d.Ref, err)
		}
		ids[i], years[i] = d.AgreementID, year
	}
	states, err := store.ReportStates(ctx, ids, years)
	if err != nil {
		return nil, err
	}
	var out []partnership.Deadline
	for i, d := range ds {
		if annualreport.State(states[[2]int64{ids[i], int64(years[i])}]).Done() {
			continue
		}
		if annualreport.MayRead(role) {
			d.Link = fmt.Sprintf("/agreements/%d/reports/%d", d.AgreementID, years[i])
		}
		out = append(out, d)
	}
	return out, nil
}

// mayReadFollowUps reports whether a role sees follow-ups after exit, as
// the follow-up pages allow: coordinators and viewers do not.
func mayReadFollowUps(r partnership.Role) bool {
	return r != partnership.RoleCoordinator && r != partnership.RoleViewer
}
