package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	feedToken     = regexp.MustCompile(`/calendar/([A-Za-z0-9_-]{43})\.ics`)
	revokeForm    = regexp.MustCompile(`action="(/calendar/\d+/revoke)"`)
	agreementLink = regexp.MustCompile(`href="(/agreements/\d+)"`)
	icsUID        = regexp.MustCompile(`(?m)^UID:(.*)\r$`)
)

func TestDeadlinesOnStartPageAndList(t *testing.T) {
	a := newApp(t)
	officer := a.client()
	officer.login(officerEmail)
	home := officer.get("/")
	if home.StatusCode != http.StatusOK || !strings.Contains(home.Body, `data-testid="todo"`) || !strings.Contains(home.Body, "Att göra") {
		t.Fatalf("officer start page: %d, no Att göra", home.StatusCode)
	}
	all := officer.get("/deadlines")
	invoices := officer.get("/deadlines?kind=invoice")
	if all.StatusCode != http.StatusOK || invoices.StatusCode != http.StatusOK {
		t.Fatalf("lists: %d %d", all.StatusCode, invoices.StatusCode)
	}
	if strings.Count(invoices.Body, `data-testid="deadline"`) > strings.Count(all.Body, `data-testid="deadline"`) {
		t.Error("the filter adds deadlines")
	}
	if strings.Contains(invoices.Body, "(Årsrapport)") {
		t.Error("the invoice filter shows a yearly report")
	}
	staff := a.client()
	staff.login(ikfEmail)
	if res := staff.get("/"); !strings.Contains(res.Body, `data-testid="todo"`) {
		t.Error("no Att göra on the staff start page")
	}
}

// TestStaffNeverSeeAnotherOrganisationsDeadlines: every agreement the IKF
// staff's deadlines name is one they may open; the officer's list names
// more agreements than theirs.
func TestStaffNeverSeeAnotherOrganisationsDeadlines(t *testing.T) {
	a := newApp(t)
	staff := a.client()
	staff.login(ikfEmail)
	officer := a.client()
	officer.login(officerEmail)
	links := func(body string) []string {
		var out []string
		for _, m := range agreementLink.FindAllStringSubmatch(body, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		return out
	}
	mine := links(staff.get("/deadlines").Body)
	for _, l := range mine {
		if res := staff.get(l); res.StatusCode != http.StatusOK {
			t.Errorf("IKF's staff see a deadline of %s, which they may not open (%d)", l, res.StatusCode)
		}
	}
	if all := links(officer.get("/deadlines").Body); len(all) <= len(mine) {
		t.Errorf("officer sees %d agreements, staff %d: the test shows nothing", len(all), len(mine))
	}
}

func TestCalendarFeed(t *testing.T) {
	a := newApp(t)
	staff := a.client()
	staff.login(ikfEmail)
	page := staff.post("/calendar", url.Values{})
	m := feedToken.FindStringSubmatch(page.Body)
	if page.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("create: %d, no feed address", page.StatusCode)
	}
	if again := staff.get("/calendar"); feedToken.MatchString(again.Body) {
		t.Error("the feed address is shown again")
	}
	feed := "/calendar/" + m[1] + ".ics"
	anon := a.client()
	first, second := anon.get(feed), anon.get(feed)
	if first.StatusCode != http.StatusOK || !strings.HasPrefix(first.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", first.StatusCode, first.Header.Get("Content-Type"))
	}
	body := first.Body
	if !strings.HasPrefix(body, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
		t.Error("not a calendar")
	}
	if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Error("a line end without CR")
	}
	for _, l := range strings.Split(body, "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line of %d octets or split character: %q", len(l), l)
		}
	}
	if !strings.Contains(body, "TZID:Europe/Stockholm") || !strings.Contains(body, "BEGIN:VEVENT") {
		t.Error("no time zone or no events")
	}
	if !strings.Contains(body, "UID:meeting-") {
		t.Error("the demo meetings of IKF's agreement are not in the feed")
	}
	uids := func(s string) []string {
		var out []string
		for _, m := range icsUID.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return out
	}
	if u1, u2 := uids(body), uids(second.Body); len(u1) == 0 || !slices.Equal(u1, u2) {
		t.Errorf("UIDs differ between fetches: %v / %v", u1, u2)
	}

	cal := staff.get("/calendar")
	rm := revokeForm.FindStringSubmatch(cal.Body)
	if rm == nil {
		t.Fatal("no revoke form")
	}
	if res := staff.post(rm[1], url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := anon.get(feed); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoked feed: %d, want 404", res.StatusCode)
	}
	other := a.client()
	other.login(officerEmail)
	if res := other.post(rm[1], url.Values{}); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoking another user's feed: %d, want 404", res.StatusCode)
	}
}

// TestDeadlineListPeriodAndPages: the period filter keeps what it says,
// a page past the end shows the last page, and nonsense parameters are
// ignored rather than refused.
func TestDeadlineListPeriodAndPages(t *testing.T) {
	a := newApp(t)
	officer := a.client()
	officer.login(officerEmail)
	all := officer.get("/deadlines")
	overdue := officer.get("/deadlines?period=overdue")
	if all.StatusCode != http.StatusOK || overdue.StatusCode != http.StatusOK {
		t.Fatalf("lists: %d %d", all.StatusCode, overdue.StatusCode)
	}
	rows := strings.Count(overdue.Body, `data-testid="deadline"`)
	if rows == 0 || rows != strings.Count(overdue.Body, `data-testid="overdue"`) {
		t.Errorf("overdue list: %d rows, %d marked overdue", rows, strings.Count(overdue.Body, `data-testid="overdue"`))
	}
	if !strings.Contains(all.Body, `data-testid="result-count"`) {
		t.Error("no count of the deadlines")
	}
	if !strings.Contains(overdue.Body, `<option value="overdue" selected>`) {
		t.Error("the chosen period is not selected")
	}
	past := officer.get("/deadlines?page=999")
	if past.StatusCode != http.StatusOK || strings.Count(past.Body, `data-testid="deadline"`) == 0 {
		t.Errorf("page past the end: %d, %d rows", past.StatusCode, strings.Count(past.Body, `data-testid="deadline"`))
	}
	if res := officer.get("/deadlines?page=x&period=y&kind=z&agreement=-1"); res.StatusCode != http.StatusOK ||
		strings.Count(res.Body, `data-testid="deadline"`) != strings.Count(all.Body, `data-testid="deadline"`) {
		t.Errorf("nonsense parameters: %d", res.StatusCode)
	}
}

// TestFollowUpDeadlinesByRole: an open follow-up is a deadline for the
// officer but never for the viewer or the coordinator, who may not open
// follow-ups.
func TestFollowUpDeadlinesByRole(t *testing.T) {
	a := newApp(t)
	f := newFollowUpFixture(t, a)
	for _, tc := range []struct {
		email string
		see   bool
	}{{officerEmail, true}, {viewerEmail, false}, {coordinatorEmail, false}} {
		c := loggedIn(a, tc.email)
		res := c.get("/deadlines?kind=followup")
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "deltagare "+f.code) != tc.see {
			t.Errorf("as %s: %d, follow-up shown: %v, want %v", tc.email, res.StatusCode, !tc.see, tc.see)
		}
	}
}
