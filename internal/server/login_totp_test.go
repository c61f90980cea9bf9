package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/partnership"
)

// pagesBehindLogin are pages of every kind a half-signed-in session must
// not reach.
var pagesBehindLogin = []string{"/", "/agreements", "/organisations", "/invoices", "/deadlines", "/account",
	"/account/totp", "/admin/users", "/admin/retention", "/access-requests", "/indexation", "/agreements.csv"}

// passwordOnly posts the password and checks that it leads to step, not in.
func passwordOnly(t *testing.T, c *client, email, step string) {
	t.Helper()
	res := c.post("/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/agreements?status=active"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != step {
		t.Fatalf("%s password: %d to %q, want 303 to %s", email, res.StatusCode, res.Header.Get("Location"), step)
	}
}

// assertNoPage checks that the session reaches none of the pages.
func assertNoPage(t *testing.T, c *client, who string) {
	t.Helper()
	for _, p := range pagesBehindLogin {
		res := c.get(p)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("%s after the password only: GET %s = %d to %q, want 303 to the login page", who, p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for _, p := range []string{"/logout", "/calendar", "/admin/users", "/agreements"} {
		if res := c.post(p, url.Values{}); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("%s after the password only: POST %s = %d, want 303 to the login page", who, p, res.StatusCode)
		}
	}
}

func TestAdminAndOfficerCannotSignInWithPasswordAlone(t *testing.T) {
	a := newApp(t)
	for _, email := range []string{adminEmail, officerEmail} {
		c := a.client()
		passwordOnly(t, c, email, "/login/totp")
		assertNoPage(t, c, email)
		if res := c.get("/login/totp"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Engångskod") {
			t.Errorf("%s: the code step: %d", email, res.StatusCode)
		}
		// A wrong code keeps them out, with a Swedish message.
		res := c.post("/login/totp", url.Values{"code": {"000000"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Koden stämmer inte") {
			t.Errorf("%s wrong code: %d", email, res.StatusCode)
		}
		if res := c.post("/login/totp", url.Values{"code": {""}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s no code: %d", email, res.StatusCode)
		}
		assertNoPage(t, c, email)
		// The right code signs in and goes where the login was headed.
		code := a.totpCode(email)
		res = c.post("/login/totp", url.Values{"code": {code}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/agreements?status=active" {
			t.Fatalf("%s right code: %d to %q", email, res.StatusCode, res.Header.Get("Location"))
		}
		if res := c.get("/agreements"); res.StatusCode != http.StatusOK {
			t.Errorf("%s signed in: %d", email, res.StatusCode)
		}
		// The same code, within its 30 seconds, does not sign in again.
		other := a.client()
		passwordOnly(t, other, email, "/login/totp")
		if res := other.post("/login/totp", url.Values{"code": {code}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s reused code: %d, want 422", email, res.StatusCode)
		}
		assertNoPage(t, other, email)
	}
	// Each refusal is audited.
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE action = 'login.failed' AND details->>'step' = 'totp' AND details->>'reason' = 'reused_code'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("audited reused codes: %d %v", n, err)
	}
}

func TestHalfSignedInSessionExpiresAndCanBeCancelled(t *testing.T) {
	a := newApp(t)
	c := a.client()
	passwordOnly(t, c, officerEmail, "/login/totp")
	a.clock.Advance(11 * time.Minute)
	res := c.post("/login/totp", url.Values{"code": {a.totpCode(officerEmail)}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?") {
		t.Errorf("code after 11 minutes: %d to %q, want back to the login page", res.StatusCode, res.Header.Get("Location"))
	}
	c = a.client()
	passwordOnly(t, c, officerEmail, "/login/totp")
	if res := c.post("/login/cancel", nil); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "notice=") {
		t.Errorf("cancel: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := c.get("/login/totp"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("code step after cancel: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

var secretOnPage = regexp.MustCompile(`data-testid="totp-secret">([A-Z2-7]+)<`)
var recoveryCode = regexp.MustCompile(`<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>`)

// enrolOn reads the secret off an enrolment page and posts its code.
func enrolOn(t *testing.T, a *app, c *client, path string) []string {
	t.Helper()
	page := c.get(path)
	m := secretOnPage.FindStringSubmatch(page.Body)
	if page.StatusCode != http.StatusOK || m == nil || !strings.Contains(page.Body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page %s: %d\n%.400s", path, page.StatusCode, page.Body)
	}
	if res := c.post(path, url.Values{"code": {"12345"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Koden stämmer inte") {
		t.Errorf("wrong enrolment code: %d", res.StatusCode)
	}
	// The page shown again keeps the same secret.
	if again := secretOnPage.FindStringSubmatch(c.get(path).Body); again == nil || again[1] != m[1] {
		t.Errorf("the secret changed between views")
	}
	code, err := auth.Code(m[1], a.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	res := c.post(path, url.Values{"code": {code}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/account/totp/codes") {
		t.Fatalf("enrol: %d to %q\n%.300s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	shown := c.get(res.Header.Get("Location"))
	var codes []string
	for _, m := range recoveryCode.FindAllStringSubmatch(shown.Body, -1) {
		codes = append(codes, m[1])
	}
	if shown.StatusCode != http.StatusOK || len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("recovery codes: %d, %d codes", shown.StatusCode, len(codes))
	}
	if again := c.get("/account/totp/codes"); len(recoveryCode.FindAllString(again.Body, -1)) != 0 {
		t.Error("the recovery codes are shown a second time")
	}
	return codes
}

func TestNewOfficerEnrolsAtFirstLoginAndRecoveryCodeWorksOnce(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	const email = "ny.handlaggare@iop.example"
	if _, _, err := a.auth.CreateUser(ctx, partnership.SystemActor("cli"),
		partnership.User{Email: email, Name: "Nils Ny", Role: partnership.RoleOfficer}, demo.Password); err != nil {
		t.Fatal(err)
	}
	c := a.client()
	passwordOnly(t, c, email, "/login/totp/enrol")
	assertNoPage(t, c, email)
	if res := c.get("/login/totp"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/totp/enrol" {
		t.Errorf("code step before enrolment: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	codes := enrolOn(t, a, c, "/login/totp/enrol")
	if res := c.get("/agreements"); res.StatusCode != http.StatusOK {
		t.Fatalf("signed in after enrolment: %d", res.StatusCode)
	}
	if res := c.get("/account"); !strings.Contains(res.Body, "9 oanvända") && !strings.Contains(res.Body, "10 oanvända") {
		t.Errorf("account page: %.500s", res.Body)
	}

	// Without the phone: a recovery code, once.
	c = a.client()
	passwordOnly(t, c, email, "/login/totp")
	if res := c.post("/login/totp", url.Values{"code": {strings.ToUpper(codes[3])}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", res.StatusCode)
	}
	c = a.client()
	passwordOnly(t, c, email, "/login/totp")
	if res := c.post("/login/totp", url.Values{"code": {codes[3]}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("recovery code reused: %d, want 422", res.StatusCode)
	}
	assertNoPage(t, c, email)
}

func TestAdminResetsOfficersTwoFactor(t *testing.T) {
	a := newApp(t)
	admin := loggedIn(a, adminEmail)
	officer := a.userID(officerEmail)
	if res := admin.get("/admin/users/" + itoa(officer) + "/totp"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Återställ tvåfaktorsinloggning") {
		t.Fatalf("confirm page: %d", res.StatusCode)
	}
	if res := admin.post("/admin/users/"+itoa(officer)+"/totp", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	passwordOnly(t, a.client(), officerEmail, "/login/totp/enrol")
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE action = 'user.totp_reset' AND entity_id = $1 AND actor_id = $2`, itoa(officer), a.userID(adminEmail)).Scan(&n); err != nil || n != 1 {
		t.Errorf("audited resets: %d %v", n, err)
	}
}

func TestViewerMayEnrolFromAccountPage(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, viewerEmail)
	if res := c.get("/account"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Inte aktiverad") {
		t.Fatalf("account page: %d", res.StatusCode)
	}
	codes := enrolOn(t, a, c, "/account/totp")
	if res := c.get("/account"); !strings.Contains(res.Body, "Aktiverad") {
		t.Errorf("account page after enrolment: %.400s", res.Body)
	}
	// From now on the viewer gives a code too.
	passwordOnly(t, a.client(), viewerEmail, "/login/totp")

	// Another app replaces this one only with a code from this one: an
	// open session alone is not enough.
	page := c.get("/account/totp")
	m := secretOnPage.FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, "Kod från den app du använder nu") {
		t.Fatalf("replacement page: %d", page.StatusCode)
	}
	code, _ := auth.Code(m[1], a.clock.Now())
	res := c.post("/account/totp", url.Values{"code": {code}, "current_code": {"000000"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "den app du använder nu stämmer inte") {
		t.Errorf("replacement without the current code: %d", res.StatusCode)
	}
	res = c.post("/account/totp", url.Values{"code": {code}, "current_code": {codes[0]}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("replacement with a recovery code of the current app: %d\n%.400s", res.StatusCode, res.Body)
	}
}
