package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
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

// homeTodo is the "Att göra" section of u's start page: the first
// todoRows deadlines and how many there are.
func (s *Server) homeTodo(ctx context.Context, u partnership.User) (templates.DeadlineTodoVM, error) {
	svc := s.deadlines()
	today := svc.Today()
	p, err := svc.Page(ctx, u, today, deadline.Filter{}, 0, todoRows)
	if err != nil {
		return templates.DeadlineTodoVM{}, err
	}
	return templates.DeadlineTodoVM{
		Rows: deadlineRows(p.Deadlines, today), More: p.Total - len(p.Deadlines), Overdue: p.Overdue,
	}, nil
}

// deadlinePageSize is how many deadlines a page of /deadlines shows.
const deadlinePageSize = 50

// deadlinePeriods are the choices of the period filter of /deadlines, by
// their query value: how far ahead of today the list reaches (overdue
// deadlines always included).
var deadlinePeriods = []struct {
	value, label string
	until        func(today time.Time) time.Time
}{
	{"overdue", "Försenade", func(t time.Time) time.Time { return t.AddDate(0, 0, -1) }},
	{"4w", "Försenade och de närmaste 4 veckorna", func(t time.Time) time.Time { return t.AddDate(0, 0, 28) }},
	{"3m", "Försenade och de närmaste 3 månaderna", func(t time.Time) time.Time { return t.AddDate(0, 3, 0) }},
}

// deadlineListParams are the filters and page of /deadlines; unknown
// values are ignored.
type deadlineListParams struct {
	kind      partnership.DeadlineKind
	agreement int64
	period    string
	page      int
}

func parseDeadlineListParams(q url.Values) deadlineListParams {
	var p deadlineListParams
	if k := partnership.DeadlineKind(q.Get("kind")); k.Valid() {
		p.kind = k
	}
	if id, err := strconv.ParseInt(q.Get("agreement"), 10, 64); err == nil && id > 0 {
		p.agreement = id
	}
	for _, d := range deadlinePeriods {
		if q.Get("period") == d.value {
			p.period = d.value
		}
	}
	p.page = 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		p.page = n
	}
	return p
}

// filter is the service's filter for p on today.
func (p deadlineListParams) filter(today time.Time) deadline.Filter {
	f := deadline.Filter{Kind: p.kind, AgreementID: p.agreement}
	for _, d := range deadlinePeriods {
		if p.period == d.value {
			f.Until = d.until(today)
		}
	}
	return f
}

// url is the address of the list with p's filters and page.
func (p deadlineListParams) url() string {
	q := url.Values{}
	if p.kind != "" {
		q.Set("kind", string(p.kind))
	}
	if p.agreement != 0 {
		q.Set("agreement", strconv.FormatInt(p.agreement, 10))
	}
	if p.period != "" {
		q.Set("period", p.period)
	}
	if p.page > 1 {
		q.Set("page", strconv.Itoa(p.page))
	}
	if len(q) == 0 {
		return "/deadlines"
	}
	return "/deadlines?" + q.Encode()
}

// handleDeadlineList is the user's deadlines, filtered by kind, agreement
// and period, a page at a time: only the page is rendered.
func (s *Server) handleDeadlineList(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	svc := s.deadlines()
	today := svc.Today()
	p := parseDeadlineListParams(r.URL.Query())
	f := p.filter(today)
	page, err := svc.Page(r.Context(), *u, today, f, (p.page-1)*deadlinePageSize, deadlinePageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.page = page.Offset/deadlinePageSize + 1
	vm := templates.DeadlinesVM{
		Base: s.base(r, "Tidsfrister"), Rows: deadlineRows(page.Deadlines, today), Filtered: f != deadline.Filter{},
	}
	vm.Summary, vm.Pager = deadlinePaging(p, page)
	for _, k := range partnership.DeadlineKinds {
		vm.Kinds = append(vm.Kinds, templates.Option{Value: string(k), Label: k.Label(), Selected: k == p.kind})
	}
	for _, d := range deadlinePeriods {
		vm.Periods = append(vm.Periods, templates.Option{Value: d.value, Label: d.label, Selected: d.value == p.period})
	}
	vm.Agreements = make([]templates.Option, 0, len(page.Agreements))
	for _, a := range page.Agreements {
		vm.Agreements = append(vm.Agreements, templates.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Title, Selected: a.ID == p.agreement})
	}
	s.render(w, r, http.StatusOK, templates.DeadlinesPage(vm))
}

// deadlinePaging is the summary above the list ("Visar 51–100 av 1 807
// tidsfrister, varav 1 504 försenade") and the links to the neighbouring
// pages, nil when everything fits on one page.
func deadlinePaging(p deadlineListParams, page deadline.Page) (string, *templates.Pager) {
	if page.Total == 0 {
		return "", nil
	}
	overdue := ""
	if page.Overdue > 0 {
		overdue = ", varav " + formatCount(int64(page.Overdue)) + " försenade"
	}
	noun := " tidsfrister"
	if page.Total == 1 {
		noun = " tidsfrist"
	}
	if page.Total <= deadlinePageSize {
		return formatCount(int64(page.Total)) + noun + overdue, nil
	}
	pages := (page.Total + deadlinePageSize - 1) / deadlinePageSize
	pager := pagerFor(p.page, pages, func(n int) string {
		q := p
		q.page = n
		return q.url()
	})
	first, last := page.Offset+1, page.Offset+len(page.Deadlines)
	return "Visar " + formatCount(int64(first)) + "–" + formatCount(int64(last)) + " av " +
		formatCount(int64(page.Total)) + noun + overdue, pager
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
