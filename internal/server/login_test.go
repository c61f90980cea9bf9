package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
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
	msg := "Fel e-postadress eller lösenord."
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

// clientAt is a client whose requests come from ip, a loopback address, so
// that a test can play people at several addresses.
func (a *app) clientAt(ip string) *client {
	c := a.client()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.hc.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// wrongLogin posts a wrong password for email.
func (c *client) wrongLogin(email string) response {
	c.app.t.Helper()
	return c.post("/login", url.Values{"email": {email}, "password": {"fel-losenord-123"}})
}

// retryAfter is the wait a 429 asks for, failing the test if it asks for none.
func retryAfter(t *testing.T, res response) time.Duration {
	t.Helper()
	secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || secs < 1 {
		t.Fatalf("429 with Retry-After %q", res.Header.Get("Retry-After"))
	}
	return time.Duration(secs) * time.Second
}

func TestLoginThrottlingLocksPairAndLiftsWithTime(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for i := 1; i <= 4; i++ {
		if res := c.wrongLogin(viewerEmail); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i, res.StatusCode)
		}
	}
	// The fifth failure locks the pair; even the right password is refused.
	res := c.wrongLogin(viewerEmail)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Vänta 30 sekunder och försök igen.") ||
		retryAfter(t, res) != 30*time.Second {
		t.Fatalf("fifth failure: status %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	res = c.post("/login", url.Values{"email": {viewerEmail}, "password": {demo.Password}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("locked pair accepted the right password: %d", res.StatusCode)
	}
	// An unknown address is throttled just the same, so locks reveal nothing.
	for range 5 {
		res = c.wrongLogin("ingen@iop.example")
	}
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("unknown account not throttled: %d", res.StatusCode)
	}
	// Another account from the same address is not locked by these failures.
	c.login(officerEmail)

	a.clock.Advance(31 * time.Second)
	a.client().login(viewerEmail)
}

func TestLoginAttackerElsewhereDoesNotLockOwnerOut(t *testing.T) {
	a := newApp(t)
	const home = "127.0.0.2"
	a.clientAt(home).login(viewerEmail)

	// One attacker hammers the account from one address, others from six.
	attacker := a.clientAt("127.0.0.3")
	for range 12 {
		attacker.wrongLogin(viewerEmail)
	}
	for i := range 6 {
		c := a.clientAt(fmt.Sprintf("127.0.0.%d", 10+i))
		for range 5 {
			c.wrongLogin(viewerEmail)
		}
	}
	if res := attacker.post("/login", url.Values{"email": {viewerEmail}, "password": {demo.Password}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the attacker's address is not locked: %d", res.StatusCode)
	}
	// The owner at home signs in with the right password at once.
	a.clientAt(home).login(viewerEmail)
}

func TestLoginSharedAddressIsSlowedNotLocked(t *testing.T) {
	a := newApp(t)
	const office = "127.0.0.4"
	a.clientAt(office).login(officerEmail)

	// Thirty people behind the office's one address mistype their
	// passwords, and wait when asked to.
	var longest time.Duration
	for i := range 30 {
		res := a.clientAt(office).wrongLogin(fmt.Sprintf("person%d@iop.example", i))
		if res.StatusCode == http.StatusTooManyRequests {
			wait := retryAfter(t, res)
			longest = max(longest, wait)
			a.clock.Advance(wait)
		}
	}
	if longest == 0 || longest > 30*time.Second {
		t.Fatalf("longest wait behind the shared address: %v, want a slowdown of at most 30 s", longest)
	}
	// Someone signing in there for the first time waits a few seconds, as
	// the page says, and then gets in.
	a.clientAt(office).wrongLogin("person0@iop.example")
	newcomer := a.clientAt(office)
	res := newcomer.post("/login", url.Values{"email": {coordinatorEmail}, "password": {demo.Password}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("newcomer behind a busy address: %d", res.StatusCode)
	}
	wait := retryAfter(t, res)
	if wait > 30*time.Second || !strings.Contains(res.Body, fmt.Sprintf("Vänta %d sekunder", wait/time.Second)) {
		t.Fatalf("wait %v; page: %.2000s", wait, res.Body)
	}
	a.clock.Advance(wait)
	newcomer.login(coordinatorEmail)
	// Whoever has signed in there before is not slowed at all.
	a.clientAt(office).wrongLogin("person1@iop.example")
	a.clientAt(office).login(officerEmail)
}

func TestLoginUnknownAccountAnswersLikeKnownOne(t *testing.T) {
	a := newApp(t)
	a.clientAt("127.0.0.2").login(viewerEmail)

	// The same attempts at the same moments, for an account that exists and
	// one that does not, each from an address of its own.
	known, unknown := a.clientAt("127.0.0.5"), a.clientAt("127.0.0.6")
	const stranger = "ingen@iop.example"
	for i := range 16 {
		k, u := known.wrongLogin(viewerEmail), unknown.wrongLogin(stranger)
		if k.StatusCode != u.StatusCode || k.Header.Get("Retry-After") != u.Header.Get("Retry-After") {
			t.Fatalf("attempt %d: known %d %q, unknown %d %q", i+1,
				k.StatusCode, k.Header.Get("Retry-After"), u.StatusCode, u.Header.Get("Retry-After"))
		}
		if kb, ub := strings.ReplaceAll(k.Body, viewerEmail, "E"), strings.ReplaceAll(u.Body, stranger, "E"); kb != ub {
			t.Fatalf("attempt %d: the pages differ:\n%s\n----\n%s", i+1, kb, ub)
		}
		a.clock.Advance(time.Duration(i%4) * 10 * time.Second)
	}
}

func TestLoginWithOverlongEmailIsJustWrong(t *testing.T) {
	a := newApp(t)
	// Longer than any account's address and, being random so that it does
	// not compress, than an index entry may be.
	var local strings.Builder
	for range 400 {
		local.WriteString(auth.GeneratePassword())
	}
	res := a.client().wrongLogin(local.String() + "@iop.example")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Fel e-postadress eller lösenord.") {
		t.Fatalf("status %d\n%.500s", res.StatusCode, res.Body)
	}
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
	if loc := res.Header.Get("Location"); loc != "/login/totp" {
		t.Fatalf("after the password: %q", loc)
	}
	res = c.post("/login/totp", url.Values{"code": {a.totpCode(adminEmail)}})
	if loc := res.Header.Get("Location"); loc != "/admin/users" {
		t.Fatalf("after the one-time code: %q", loc)
	}
	// An off-site destination is never followed.
	c = a.client()
	c.post("/login", url.Values{"email": {adminEmail}, "password": {"demo-iop-2026"}, "next": {"//evil.example/"}})
	res = c.post("/login/totp", url.Values{"code": {a.totpCode(adminEmail)}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("open redirect to %q", loc)
	}
}

// TestPageViewsWriteTheSessionOncePerMinute: recording that a session is
// in use writes it to the database, which a page view within a minute of
// the last recorded one skips.
func TestPageViewsWriteTheSessionOncePerMinute(t *testing.T) {
	a := newApp(t)
	c := a.client()
	c.login(officerEmail)
	stored := func() string {
		t.Helper()
		var data string
		if err := a.db.Pool.QueryRow(context.Background(),
			`SELECT coalesce(string_agg(md5(data), ',' ORDER BY token), '') FROM sessions`).Scan(&data); err != nil {
			t.Fatal(err)
		}
		return data
	}
	a.clock.Advance(2 * time.Minute)
	c.get("/")
	written := stored()
	a.clock.Advance(50 * time.Second)
	if res := c.get("/"); res.StatusCode != http.StatusOK || stored() != written {
		t.Fatalf("a page view 50 s after the last recorded one: %d, session written again: %v", res.StatusCode, stored() != written)
	}
	a.clock.Advance(20 * time.Second)
	if res := c.get("/"); res.StatusCode != http.StatusOK || stored() == written {
		t.Fatalf("a page view 70 s after the last recorded one: %d, session written: %v", res.StatusCode, stored() != written)
	}
}
