package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

var (
	accessHandlers        = want{login, 200, 200, 403, 403, 403}
	accessHandlersInvalid = want{login, 422, 422, 403, 403, 403}
)

func TestRetentionPage(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	page := c.get("/admin/retention")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `value="24"`) || !strings.Contains(page.Body, `value="60"`) ||
		!strings.Contains(page.Body, `data-testid="retention-preview"`) {
		t.Fatalf("retention page: %d\n%s", page.StatusCode, page.Body)
	}
	bad := c.post("/admin/retention", url.Values{"identity_months": {"0"}, "notes_months": {"tolv"}, "assessment_months": {"60"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `value="tolv"`) ||
		!strings.Contains(bad.Body, "Ange ett helt antal månader") {
		t.Fatalf("invalid periods: %d\n%s", bad.StatusCode, bad.Body)
	}
	ok := c.post("/admin/retention", url.Values{"identity_months": {"18"}, "notes_months": {"12"}, "assessment_months": {"48"}})
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/admin/retention" {
		t.Fatalf("save periods: %d\n%s", ok.StatusCode, ok.Body)
	}
	if page = c.get("/admin/retention"); !strings.Contains(page.Body, `value="18"`) || !strings.Contains(page.Body, "sparades") {
		t.Errorf("saved periods not shown:\n%s", page.Body)
	}
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = 'retention.policy.update'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d policy events (%v), want 1", n, err)
	}
}

func TestAccessRequestPages(t *testing.T) {
	a := newApp(t)
	newParticipantFixture(t, a)
	c := loggedIn(a, officerEmail)
	if form := c.get("/access-requests"); form.StatusCode != http.StatusOK || !strings.Contains(form.Body, `name="personnummer"`) {
		t.Fatalf("form: %d\n%s", form.StatusCode, form.Body)
	}
	if bad := c.post("/access-requests", url.Values{"personnummer": {"19121212-1213"}}); bad.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(bad.Body, "Ange ett giltigt personnummer") {
		t.Fatalf("invalid personnummer: %d\n%s", bad.StatusCode, bad.Body)
	}
	doc := c.post("/access-requests", url.Values{"personnummer": {fixturePnr}})
	if doc.StatusCode != http.StatusOK || !strings.Contains(doc.Body, fixtureName) || !strings.Contains(doc.Body, "Matrisgruppen") ||
		!strings.Contains(doc.Body, `data-testid="access-record"`) {
		t.Fatalf("document: %d\n%s", doc.StatusCode, doc.Body)
	}
	file := c.post("/access-requests/json", url.Values{"personnummer": {fixturePnr}})
	if file.StatusCode != http.StatusOK || !strings.HasPrefix(file.Header.Get("Content-Type"), "application/json") ||
		!strings.HasPrefix(file.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("JSON: %d %v\n%s", file.StatusCode, file.Header, file.Body)
	}
	var rep struct {
		Records []struct {
			Name, Cohort string
		}
	}
	if err := json.Unmarshal([]byte(file.Body), &rep); err != nil || len(rep.Records) != 1 || rep.Records[0].Name != fixtureName {
		t.Errorf("JSON records %+v (%v)\n%s", rep.Records, err, file.Body)
	}
	var n int
	var details string
	err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*), string_agg(details::text, ' ') FROM audit_events
		WHERE action = 'participant.access_request'`).Scan(&n, &details)
	if err != nil || n != 2 || strings.Contains(details, fixtureName) || strings.Contains(details, strings.ReplaceAll(fixturePnr, "-", "")[2:]) {
		t.Errorf("%d access request events (%v): %s", n, err, details)
	}
}
