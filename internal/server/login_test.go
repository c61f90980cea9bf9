package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
)

func TestLoginRenewsSessionToken(t *testing.T) {
	a := newApp(t)
	c := a.client()
	c.login(officerEmail)
	first := c.sessionCookie()
	if first == "" {
		t.Fatal("no session cookie after login")
	}
	c.login(adminEmail)
	second := c.sessionCookie()
	if second == "" || second == first {
		t.Fatalf("session token not renewed on login: %q then %q", first, second)
	}
	// The token from before the second login no longer works.
	c.setSessionCookie(first)
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("old token still works: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestLoginCookieFlags(t *testing.T) {
	a := newApp(t)
	res := a.client().post("/login", url.Values{"email": {officerEmail}, "password": {"demo-iop-2026"}})
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "iop_session" {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Errorf("cookie flags: HttpOnly=%v SameSite=%v", ck.HttpOnly, ck.SameSite)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie set")
	}
	// The store holds a hash of the token, never the token itself.
	var n int
	token := ""
	for _, ck := range res.Cookies() {
		if ck.Name == "iop_session" {
			token = ck.Value
		}
	}
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("session token stored in clear")
	}
}

func TestWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	a := newApp(t)
	wrong := a.client().post("/login", url.Values{"email": {officerEmail}, "password": {"fel-losenord-123"}})
	unknown := a.client().post("/login", url.Values{"email": {"ingen@iop.example"}, "password": {"fel-losenord-123"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || unknown.StatusCode != wrong.StatusCode {
		t.Fatalf("statuses: wrong %d, unknown %d", wrong.StatusCode, unknown.StatusCode)
	}
	msg := auth.ErrInvalidCredentials.Error()
	if !strings.Contains(wrong.Body, msg) || !strings.Contains(unknown.Body, msg) {
		t.Fatalf("want the same message %q for both", msg)
	}
	// The entered e-mail is kept; the password never is.
	if !strings.Contains(wrong.Body, `value="handlaggare@iop.example"`) || strings.Contains(wrong.Body, "fel-losenord-123") {
		t.Error("form values not handled as expected")
	}
	var failed int
	if err := a.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_events WHERE action = 'login.failed'`).Scan(&failed); err != nil {
		t.Fatal(err)
	}
	if failed != 2 {
		t.Errorf("audited failures = %d, want 2", failed)
	}
}

func TestThrottlingLocksAccountAndLiftsWithTime(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for i := 1; i <= 4; i++ {
		if res := c.post("/login", url.Values{"email": {viewerEmail}, "password": {"fel-losenord-123"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i, res.StatusCode)
		}
	}
	// The fifth failure locks the account; even the right password is refused.
	res := c.post("/login", url.Values{"email": {viewerEmail}, "password": {"fel-losenord-123"}})
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "För många misslyckade inloggningsförsök") {
		t.Fatalf("fifth failure: status %d", res.StatusCode)
	}
	res = c.post("/login", url.Values{"email": {viewerEmail}, "password": {"demo-iop-2026"}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("locked account accepted the right password: %d", res.StatusCode)
	}
	// An unknown address is throttled just the same, so locks reveal nothing.
	for i := 0; i < 5; i++ {
		res = c.post("/login", url.Values{"email": {"ingen@iop.example"}, "password": {"x"}})
	}
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("unknown account not throttled: %d", res.StatusCode)
	}
	// Another account from the same address is not locked by these failures.
	c.login(officerEmail)

	a.clock.Advance(31 * time.Second)
	c2 := a.client()
	c2.login(viewerEmail)
}

func TestIdleTimeoutExpiresSession(t *testing.T) {
	a := newApp(t)
	c := a.client()
	c.login(officerEmail)
	a.clock.Advance(29 * time.Minute)
	if res := c.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("active session refused: %d", res.StatusCode)
	}
	a.clock.Advance(29 * time.Minute) // 29 minutes since the last request
	if res := c.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("session expired although used 29 minutes ago: %d", res.StatusCode)
	}
	a.clock.Advance(31 * time.Minute)
	res := c.get("/")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/login?notice=") {
		t.Fatalf("idle session still works: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The session is gone, not just refused once.
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second request after expiry: %d", res.StatusCode)
	}
}

func TestAbsoluteLifetimeEndsSession(t *testing.T) {
	a := newApp(t)
	c := a.client()
	c.login(officerEmail)
	for i := 0; i < 16; i++ { // eight hours of requests every 29 minutes
		a.clock.Advance(29 * time.Minute)
		c.get("/")
	}
	a.clock.Advance(29 * time.Minute)
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session older than 8 h still works: %d", res.StatusCode)
	}
}

func TestDisabledUsersSessionStops(t *testing.T) {
	a := newApp(t)
	officer := a.client()
	officer.login(officerEmail)
	admin := a.client()
	admin.login(adminEmail)
	id := a.userID(officerEmail)
	if res := admin.post("/admin/users/"+itoa(id)+"/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res := officer.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disabled user's session still works: %d", res.StatusCode)
	}
	if res := officer.post("/login", url.Values{"email": {officerEmail}, "password": {"demo-iop-2026"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("disabled user could log in: %d", res.StatusCode)
	}
}

func TestPasswordResetEndsSessions(t *testing.T) {
	a := newApp(t)
	officer := a.client()
	officer.login(officerEmail)
	admin := a.client()
	admin.login(adminEmail)
	id := a.userID(officerEmail)
	res := admin.post("/admin/users/"+itoa(id)+"/password", nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	page := admin.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, `data-testid="new-password"`) {
		t.Fatal("the new password is not shown")
	}
	if again := admin.get(res.Header.Get("Location")); strings.Contains(again.Body, `data-testid="new-password"`) {
		t.Fatal("the new password is shown twice")
	}
	if res := officer.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session survived a password reset: %d", res.StatusCode)
	}
}

func TestLogoutDestroysSession(t *testing.T) {
	a := newApp(t)
	c := a.client()
	c.login(officerEmail)
	token := c.sessionCookie()
	res := c.post("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	c.setSessionCookie(token)
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session works after logout: %d", res.StatusCode)
	}
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d sessions left in the store after logout", n)
	}
	var audited int
	if err := a.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_events WHERE action IN ('login', 'logout')`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Errorf("audited login+logout = %d, want 2", audited)
	}
}

func TestLoginRedirectsToRequestedPage(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.get("/admin/users")
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Fadmin%2Fusers" {
		t.Fatalf("redirect to %q", loc)
	}
	res = c.post("/login", url.Values{"email": {adminEmail}, "password": {"demo-iop-2026"}, "next": {"/admin/users"}})
	if loc := res.Header.Get("Location"); loc != "/admin/users" {
		t.Fatalf("after login: %q", loc)
	}
	// An off-site destination is never followed.
	res = a.client().post("/login", url.Values{"email": {adminEmail}, "password": {"demo-iop-2026"}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("open redirect to %q", loc)
	}
}
