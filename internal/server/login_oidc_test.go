package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oauth2-proxy/mockoidc"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/partnership"
	"iop/internal/server"
)

// oidcApp is the real server on the demo data with single sign-on through
// an OpenID Connect provider running in the test (mockoidc), configured
// from the environment like in production, plus env.
func oidcApp(t *testing.T, env map[string]string) (*app, *mockoidc.MockOIDC) {
	t.Helper()
	t.Parallel()
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Shutdown() })
	db := demoData.New(t)
	clk := &clock{t: time.Now()}
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db, hasher, clk.Now)
	var handler http.Handler
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(ts.Close)
	vars := map[string]string{
		"DATABASE_URL": "postgres://unused/iop", "BASE_URL": ts.URL,
		"OIDC_ISSUER": m.Issuer(), "OIDC_CLIENT_ID": m.ClientID, "OIDC_CLIENT_SECRET": m.ClientSecret,
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Deps{
		Config: cfg, DB: db, Auth: svc, Now: clk.Now, Keyring: demoKeys,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	handler = s
	return &app{t: t, db: db, auth: svc, clock: clk, srv: ts, app: s, keys: demoKeys}, m
}

// startOIDC presses "Logga in med kommunens konto" and returns the
// provider's authorization URL the browser is sent to.
func startOIDC(t *testing.T, c *client, next string) *url.URL {
	t.Helper()
	res := c.get("/login/oidc?" + url.Values{"next": {next}}.Encode())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start single sign-on: %d\n%.300s", res.StatusCode, res.Body)
	}
	u, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// authorize is the provider's login page: it sends the browser back to
// the app's callback, whose path and query it returns.
func authorize(t *testing.T, u *url.URL) string {
	t.Helper()
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("provider: %d %q %v", res.StatusCode, res.Header.Get("Location"), err)
	}
	return back.RequestURI()
}

// oidcLogin runs a whole single sign-on as user and returns the callback's
// answer.
func oidcLogin(t *testing.T, m *mockoidc.MockOIDC, c *client, user *mockoidc.MockUser) response {
	t.Helper()
	m.QueueUser(user)
	return c.get(authorize(t, startOIDC(t, c, "/agreements")))
}

func officerAtProvider(groups ...string) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: "entra-4711", Email: "Handlaggare@IOP.example", EmailVerified: true, Groups: groups}
}

func failedOIDCLogins(t *testing.T, a *app, reason string) int {
	t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE action = 'login.failed' AND details->>'method' = 'oidc' AND details->>'reason' = $1`, reason).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOIDCLoginSignsOfficerIn(t *testing.T) {
	a, m := oidcApp(t, nil)
	c := a.client()
	if res := c.get("/login"); !strings.Contains(res.Body, "Logga in med kommunens konto") {
		t.Fatal("the login page offers no single sign-on")
	}
	u := startOIDC(t, c, "/agreements")
	q := u.Query()
	if q.Get("state") == "" || q.Get("nonce") == "" || q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256" ||
		q.Get("redirect_uri") != a.srv.URL+"/login/oidc/callback" {
		t.Fatalf("authorization request %s", u)
	}
	m.QueueUser(officerAtProvider())
	res := c.get(authorize(t, u))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/agreements" {
		t.Fatalf("callback: %d to %q\n%.500s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	// No one-time code: the municipality's provider is the second factor.
	if res := c.get("/"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Erik Johansson") {
		t.Fatalf("signed in: %d", res.StatusCode)
	}
	var method string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT details->>'method' FROM audit_events
		WHERE action = 'login' AND actor_id = $1 ORDER BY id DESC LIMIT 1`, a.userID(officerEmail)).Scan(&method); err != nil || method != "oidc" {
		t.Errorf("audited login method %q %v", method, err)
	}
	// The same e-mail under another subject is not the same person.
	other := officerAtProvider()
	other.Subject = "entra-9999"
	if res := oidcLogin(t, m, a.client(), other); res.StatusCode != http.StatusForbidden {
		t.Errorf("another subject: %d, want 403", res.StatusCode)
	}
	if failedOIDCLogins(t, a, "subject_mismatch") != 1 {
		t.Error("the subject mismatch is not audited")
	}
}

func TestOIDCRefusesWrongStateAndNonce(t *testing.T) {
	a, m := oidcApp(t, nil)
	c := a.client()
	// A wrong state: refused, and the login under way is used up.
	m.QueueUser(officerAtProvider())
	back := authorize(t, startOIDC(t, c, "/"))
	cb, _ := url.Parse(back)
	q := cb.Query()
	q.Set("state", "forged")
	res := c.get(cb.Path + "?" + q.Encode())
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "kunde inte bekräftas") {
		t.Errorf("wrong state: %d\n%.300s", res.StatusCode, res.Body)
	}
	if res := c.get(back); res.StatusCode != http.StatusBadRequest {
		t.Errorf("the right state after a wrong one: %d, want 400", res.StatusCode)
	}
	// A callback without a login started in this browser (login CSRF).
	m.QueueUser(officerAtProvider())
	stolen := authorize(t, startOIDC(t, a.client(), "/"))
	if res := a.client().get(stolen); res.StatusCode != http.StatusBadRequest {
		t.Errorf("callback in another browser: %d, want 400", res.StatusCode)
	}
	// A wrong nonce: the provider is asked with another nonce than the
	// session's, so the ID token carries that one.
	c = a.client()
	u := startOIDC(t, c, "/")
	q = u.Query()
	q.Set("nonce", "replayed-nonce")
	u.RawQuery = q.Encode()
	m.QueueUser(officerAtProvider())
	if res := c.get(authorize(t, u)); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "kunde inte bekräftas") {
		t.Errorf("wrong nonce: %d\n%.300s", res.StatusCode, res.Body)
	}
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed in after a wrong nonce: %d", res.StatusCode)
	}
	if failedOIDCLogins(t, a, "state_mismatch") != 1 || failedOIDCLogins(t, a, "no_login_started") != 2 || failedOIDCLogins(t, a, "invalid_token") != 1 {
		t.Errorf("audited: state %d, none %d, token %d", failedOIDCLogins(t, a, "state_mismatch"),
			failedOIDCLogins(t, a, "no_login_started"), failedOIDCLogins(t, a, "invalid_token"))
	}
}

func TestOIDCRefusesUnknownUnverifiedAndDisabledUsers(t *testing.T) {
	a, m := oidcApp(t, nil)
	res := oidcLogin(t, m, a.client(), &mockoidc.MockUser{Subject: "x1", Email: "okand@linkoping.se", EmailVerified: true})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Det finns inget konto i IOP") {
		t.Errorf("unknown user: %d\n%.300s", res.StatusCode, res.Body)
	}
	unverified := officerAtProvider()
	unverified.EmailVerified = false
	if res := oidcLogin(t, m, a.client(), unverified); res.StatusCode != http.StatusForbidden {
		t.Errorf("unverified e-mail: %d", res.StatusCode)
	}
	if _, err := a.auth.SetActive(context.Background(), partnership.SystemActor("cli"), a.userID(officerEmail), false); err != nil {
		t.Fatal(err)
	}
	c := a.client()
	res = oidcLogin(t, m, c, officerAtProvider())
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "inaktiverat") {
		t.Errorf("disabled user: %d\n%.300s", res.StatusCode, res.Body)
	}
	if res := c.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user signed in: %d", res.StatusCode)
	}
	if failedOIDCLogins(t, a, "unknown_user") != 1 || failedOIDCLogins(t, a, "email_not_verified") != 1 || failedOIDCLogins(t, a, "disabled") != 1 {
		t.Error("the refusals are not all audited")
	}
}

func TestOIDCRoleClaimMustGrantTheRole(t *testing.T) {
	a, m := oidcApp(t, map[string]string{"OIDC_SCOPES": "groups", "OIDC_ROLE_CLAIM": "groups",
		"OIDC_ROLE_MAP": "iop-admin=admin,iop-handlaggare=officer,iop-lasare=viewer"})
	// The provider says viewer; IOP says officer: no login, no promotion.
	if res := oidcLogin(t, m, a.client(), officerAtProvider("iop-lasare", "alla-anstallda")); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(res.Body, "ger dig inte behörighet") {
		t.Errorf("role not granted: %d\n%.300s", res.StatusCode, res.Body)
	}
	if failedOIDCLogins(t, a, "role_not_granted") != 1 {
		t.Error("the refusal is not audited")
	}
	c := a.client()
	if res := oidcLogin(t, m, c, officerAtProvider("alla-anstallda", "iop-handlaggare")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role granted: %d\n%.300s", res.StatusCode, res.Body)
	}
	if res := c.get("/admin/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("officer at admin pages: %d", res.StatusCode)
	}
}

func TestOIDCProviderDownIsExplained(t *testing.T) {
	a, m := oidcApp(t, nil)
	if err := m.Shutdown(); err != nil {
		t.Fatal(err)
	}
	res := a.client().get("/login/oidc")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.Body, "svarar inte just nu") {
		t.Errorf("provider down: %d\n%.300s", res.StatusCode, res.Body)
	}
}
