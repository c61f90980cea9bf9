package deadline_test

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iop/internal/annualreport"
	"iop/internal/deadline"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func dayp(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type world struct {
	db                *postgres.DB
	clock             *clock
	svc               *deadline.Service
	ikf, other        int64
	staff, otherStaff partnership.User
	officer, disabled partnership.User
}

func newWorld(t *testing.T) *world {
	t.Helper()
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	c := &clock{t: time.Date(2025, 3, 10, 11, 0, 0, 0, time.UTC)}
	w := &world{db: db, clock: c, svc: deadline.NewService(db, c.now)}
	orgs := postgres.NewOrganisations(db.Pool)
	org := func(name string, kind partnership.OrgKind) partnership.Organisation {
		o, err := orgs.Create(ctx, partnership.Organisation{Name: name, Kind: kind})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	kommun := org("Linköpings kommun", partnership.OrgMunicipality)
	ikf := org("IKF", partnership.OrgAssociation)
	hm := org("Hela Människan", partnership.OrgAssociation)
	agreement := func(title string, lead partnership.Organisation) int64 {
		a, err := postgres.NewAgreements(db.Pool).Create(ctx, partnership.Agreement{
			Title: title, StartDate: dayp("2023-01-01"), EndDate: dayp("2026-12-31"), Status: partnership.StatusActive,
			ExtensionMonths: 12, MaxExtensions: 1, NoticeMonths: 6, DialogueMeetingsPerYear: 2, ReportingDuties: "Årlig rapport",
			IndexMode: partnership.IndexMunicipal, IndexRateBP: 200,
			Parties: []partnership.Party{
				{OrganisationID: kommun.ID, Role: partnership.PartyMunicipality, Representatives: []string{}},
				{OrganisationID: lead.ID, Role: partnership.PartyLeadAssociation, Representatives: []string{}},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	w.ikf, w.other = agreement("Inkludering på lika villkor", ikf), agreement("Hoppfull framtid", hm)
	users := postgres.NewUsers(db.Pool)
	user := func(email string, role partnership.Role, org *int64) partnership.User {
		u, err := users.Create(ctx, partnership.User{Email: email, Name: "Användare", Role: role, OrganisationID: org, Active: true}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.staff = user("staff@ikf.se", partnership.RoleAssociationStaff, &ikf.ID)
	w.otherStaff = user("staff@hm.se", partnership.RoleAssociationStaff, &hm.ID)
	w.officer = user("handl@kommun.se", partnership.RoleOfficer, nil)
	w.disabled = user("gammal@kommun.se", partnership.RoleOfficer, nil)
	if _, err := users.SetActive(ctx, w.disabled.ID, false); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestStaffSeeOnlyTheirOrganisationsDeadlines(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	today := w.svc.Today()
	all, err := w.svc.For(ctx, w.officer, today)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	kinds := map[partnership.DeadlineKind]bool{}
	for _, d := range all.Deadlines {
		seen[d.AgreementID] = true
		kinds[d.Kind] = true
	}
	if !seen[w.ikf] || !seen[w.other] {
		t.Fatalf("officer sees %v, want both agreements", seen)
	}
	for _, k := range []partnership.DeadlineKind{partnership.DeadlineExtension, partnership.DeadlineReport, partnership.DeadlineMeeting, partnership.DeadlineInvoice} {
		if !kinds[k] {
			t.Errorf("officer has no %s deadline", k)
		}
	}
	for _, tc := range []struct {
		u    partnership.User
		want int64
	}{{w.staff, w.ikf}, {w.otherStaff, w.other}} {
		ag, err := w.svc.For(ctx, tc.u, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(ag.Deadlines) == 0 {
			t.Errorf("%s has no deadlines", tc.u.Email)
		}
		for _, d := range ag.Deadlines {
			if d.AgreementID != tc.want {
				t.Errorf("%s sees %+v of another organisation", tc.u.Email, d)
			}
		}
	}
}

func TestFeedTokenRevoked(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	actor := partnership.ActorOf(w.staff, "192.0.2.1")
	token, err := w.svc.CreateFeed(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := w.svc.FeedUser(ctx, token); err != nil || u.ID != w.staff.ID {
		t.Fatalf("FeedUser = %v, %v", u.ID, err)
	}
	feeds, err := w.svc.Feeds(ctx, actor)
	if err != nil || len(feeds) != 1 {
		t.Fatalf("Feeds = %v, %v", feeds, err)
	}
	if err := w.svc.RevokeFeed(ctx, partnership.ActorOf(w.otherStaff, ""), feeds[0].ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("another user revoked the feed: %v", err)
	}
	if err := w.svc.RevokeFeed(ctx, actor, feeds[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.FeedUser(ctx, token); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("revoked token: %v", err)
	}
	var tokenInAudit bool
	if err := w.db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_events WHERE details::text LIKE '%' || $1 || '%')`, token).Scan(&tokenInAudit); err != nil || tokenInAudit {
		t.Errorf("token in the audit log: %v %v", tokenInAudit, err)
	}
}

func TestRemindersOneDigestPerUserAndDay(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	srv := newSMTPServer(t)
	log := slog.New(slog.DiscardHandler)

	off := &deadline.Reminders{Service: w.svc, Days: 14, BaseURL: "https://iop.example.se", Log: log}
	if n, err := off.Send(ctx); n != 0 || err != nil {
		t.Fatalf("without SMTP_URL: %d, %v", n, err)
	}
	off.RunEvery(ctx, time.Hour) // returns at once without a mailer
	if got := srv.messages(); len(got) != 0 {
		t.Fatalf("sent without SMTP_URL: %d", len(got))
	}

	u, _ := url.Parse("smtp://" + srv.addr())
	on := &deadline.Reminders{Service: w.svc, Mailer: &deadline.Mailer{URL: u, From: "iop@example.se"}, Days: 14, BaseURL: "https://iop.example.se", Log: log}
	n, err := on.Send(ctx)
	if err != nil || n != 3 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	if n, err := on.Send(ctx); err != nil || n != 0 {
		t.Fatalf("second run the same day: %d, %v", n, err)
	}
	msgs := srv.messages()
	to := map[string]int{}
	for _, m := range msgs {
		for _, r := range m.To {
			to[r]++
		}
		if m.From != "iop@example.se" || !strings.Contains(m.Data, "Subject: =?utf-8?q?Att_g=C3=B6ra") ||
			!strings.Contains(m.Data, "charset=utf-8") || !strings.Contains(m.Data, "https://iop.example.se/agreements/") {
			t.Errorf("message: %+v", m)
		}
	}
	want := map[string]int{"staff@ikf.se": 1, "staff@hm.se": 1, "handl@kommun.se": 1}
	if len(to) != len(want) {
		t.Errorf("recipients %v, want %v", to, want)
	}
	for k, v := range want {
		if to[k] != v {
			t.Errorf("recipients %v, want %v", to, want)
		}
	}
	for _, m := range msgs {
		if m.To[0] == "staff@ikf.se" && strings.Contains(m.Data, "Hoppfull framtid") {
			t.Error("IKF's staff got the other organisation's deadlines")
		}
	}

	w.clock.set(w.clock.now().AddDate(0, 0, 1))
	if n, err := on.Send(ctx); err != nil || n != 3 {
		t.Fatalf("next day: %d, %v", n, err)
	}
	if got := len(srv.messages()); got != 6 {
		t.Errorf("%d messages after two days, want 6", got)
	}
}

func TestRemindersSkipWhileAnotherInstanceHoldsTheLock(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	srv := newSMTPServer(t)
	conn, err := w.db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, postgres.ReminderLockKey); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("smtp://" + srv.addr())
	r := &deadline.Reminders{Service: w.svc, Mailer: &deadline.Mailer{URL: u, From: "iop@example.se"}, Days: 14, Log: slog.New(slog.DiscardHandler)}
	if n, err := r.Send(ctx); !errors.Is(err, deadline.ErrBusy) || n != 0 {
		t.Fatalf("with the lock held elsewhere: %d, %v", n, err)
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, postgres.ReminderLockKey); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Send(ctx); err != nil || n != 3 {
		t.Fatalf("after the lock is released: %d, %v", n, err)
	}
	if got := len(srv.messages()); got != 3 {
		t.Errorf("%d messages, want 3", got)
	}
}

// TestReportDeadlineDoneOnceSubmitted: the yearly report is due until the
// association submits it; returned, it is due again; approved, it is done.
func TestReportDeadlineDoneOnceSubmitted(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	today := w.svc.Today() // 2025-03-10: the report of 2024 is due 2025-03-31
	reportDue := func(u partnership.User) (partnership.Deadline, bool) {
		t.Helper()
		ag, err := w.svc.For(ctx, u, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ag.Deadlines {
			if d.Kind == partnership.DeadlineReport && d.AgreementID == w.ikf {
				return d, true
			}
		}
		return partnership.Deadline{}, false
	}
	d, ok := reportDue(w.staff)
	if !ok || d.Ref != "2024" {
		t.Fatalf("report deadline before anything is written: %+v %v", d, ok)
	}
	if want := "/agreements/" + strconv.FormatInt(w.ikf, 10) + "/reports/2024"; d.Link != want {
		t.Errorf("link %q, want the report's page %q", d.Link, want)
	}

	reports := annualreport.NewService(w.db, nil, w.clock.now)
	staff, officer := partnership.ActorOf(w.staff, ""), partnership.ActorOf(w.officer, "")
	n := postgres.Narrative{Activities: "Gruppträffar", Results: "Deltagare", Lessons: "Samverkan",
		Challenges: "Lokaler", NextYear: "Fler träffar"}
	saved, err := reports.SaveDraft(ctx, staff, w.ikf, 2024, 0, n)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := reportDue(w.staff); !ok {
		t.Error("a draft meets the deadline")
	}
	submitted, err := reports.Submit(ctx, staff, w.ikf, 2024, saved.Version, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []partnership.User{w.staff, w.officer} {
		if d, ok := reportDue(u); ok {
			t.Errorf("%s: submitted report still due: %+v", u.Email, d)
		}
	}
	if _, err := reports.Return(ctx, officer, w.ikf, 2024, submitted.Version, "Komplettera resultaten."); err != nil {
		t.Fatal(err)
	}
	if _, ok := reportDue(w.staff); !ok {
		t.Error("a returned report is due again")
	}
}
