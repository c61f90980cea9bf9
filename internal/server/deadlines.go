package server

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"iop/internal/deadline"
	"iop/internal/partnership"
	"iop/templates"
)

// deadlines is the deadline service on the server's database and clock.
func (s *Server) deadlines() *deadline.Service { return deadline.NewService(s.db, s.now) }

// todoRows is how many deadlines a start page shows.
const todoRows = 10

// deadlineRows are deadlines as the lists show them.
func deadlineRows(ds []partnership.Deadline, today time.Time) []templates.DeadlineRow {
	rows := make([]templates.DeadlineRow, len(ds))
	for i, d := range ds {
		rows[i] = templates.DeadlineRow{
			Date: d.Due.Format(time.DateOnly), Overdue: d.Overdue(today), Kind: d.Kind.Label(), Title: d.Title,
			Link: d.Link, Agreement: d.AgreementTitle, AgreementURL: "/agreements/" + strconv.FormatInt(d.AgreementID, 10),
		}
	}
	return rows
}

// homeTodo is the "Att göra" section of u's start page.
func (s *Server) homeTodo(ctx context.Context, u partnership.User) (templates.DeadlineTodoVM, error) {
	svc := s.deadlines()
	today := svc.Today()
	ag, err := svc.Deadlines(ctx, u, today)
	if err != nil {
		return templates.DeadlineTodoVM{}, err
	}
	vm := templates.DeadlineTodoVM{}
	for _, d := range ag.Deadlines {
		if d.Overdue(today) {
			vm.Overdue++
		}
	}
	shown := ag.Deadlines
	if len(shown) > todoRows {
		vm.More = len(shown) - todoRows
		shown = shown[:todoRows]
	}
	vm.Rows = deadlineRows(shown, today)
	return vm, nil
}

// handleDeadlineList is the full list of the user's deadlines, filtered
// by kind and agreement; unknown filter values are ignored.
func (s *Server) handleDeadlineList(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	svc := s.deadlines()
	today := svc.Today()
	ag, err := svc.Deadlines(r.Context(), *u, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var f deadline.Filter
	if k := partnership.DeadlineKind(q.Get("kind")); k.Valid() {
		f.Kind = k
	}
	if id, err := strconv.ParseInt(q.Get("agreement"), 10, 64); err == nil && id > 0 {
		f.AgreementID = id
	}
	var kept []partnership.Deadline
	for _, d := range ag.Deadlines {
		if f.Keep(d) {
			kept = append(kept, d)
		}
	}
	vm := templates.DeadlinesVM{Base: s.base(r, "Tidsfrister"), Rows: deadlineRows(kept, today), Filtered: f != deadline.Filter{}}
	for _, k := range partnership.DeadlineKinds {
		vm.Kinds = append(vm.Kinds, templates.Option{Value: string(k), Label: k.Label(), Selected: k == f.Kind})
	}
	for _, a := range ag.Agreements {
		vm.Agreements = append(vm.Agreements, templates.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Title, Selected: a.ID == f.AgreementID})
	}
	s.render(w, r, http.StatusOK, templates.DeadlinesPage(vm))
}

// handleCalendar shows the user's calendar feed addresses.
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) {
	s.renderCalendar(w, r, "")
}

// handleCalendarCreate makes a new feed address and shows it in this
// response only: the token is never put in the session or stored, so it
// cannot be shown again (a reload offers to send the form again instead).
func (s *Server) handleCalendarCreate(w http.ResponseWriter, r *http.Request) {
	token, err := s.deadlines().CreateFeed(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.renderCalendar(w, r, strings.TrimSuffix(s.cfg.BaseURL.String(), "/")+"/calendar/"+token+".ics")
}

// handleCalendarRevoke ends one of the user's feed addresses at once.
func (s *Server) handleCalendarRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := urlID(r, "feedID")
	if err == nil {
		err = s.deadlines().RevokeFeed(r.Context(), actorOf(r), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "Kalenderadressen är återkallad och slutar fungera direkt.")
	http.Redirect(w, r, "/calendar", http.StatusSeeOther)
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, feedURL string) {
	feeds, err := s.deadlines().Feeds(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.CalendarVM{Base: s.base(r, "Kalenderprenumeration"), FeedURL: feedURL}
	for _, f := range feeds {
		row := templates.CalendarFeedRow{Created: f.CreatedAt.In(stockholm).Format("2006-01-02 15:04")}
		if f.RevokedAt != nil {
			row.Revoked = f.RevokedAt.In(stockholm).Format(time.DateOnly)
		} else {
			row.RevokeURL = "/calendar/" + strconv.FormatInt(f.ID, 10) + "/revoke"
		}
		vm.Feeds = append(vm.Feeds, row)
	}
	s.render(w, r, http.StatusOK, templates.CalendarPage(vm))
}

// handleCalendarFeed serves a user's deadlines and meetings as iCalendar,
// found by the secret token alone: no session. An unknown or revoked token
// is 404, as is anything that is not a token.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	svc := s.deadlines()
	u, err := svc.FeedUser(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ag, err := svc.For(r.Context(), u, svc.Today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := deadline.WriteICS(&buf, "IOP – tidsfrister och möten", deadline.Events(ag, s.cfg.BaseURL.String()), s.now()); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(buf.Bytes())
}
