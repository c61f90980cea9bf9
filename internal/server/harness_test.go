package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/demo"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
	"iop/internal/server"
)

// clock is a settable clock shared by the server and the auth service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// app is the real server with its own database holding the demo data.
type app struct {
	t     *testing.T
	db    *postgres.DB
	auth  *auth.Service
	clock *clock
	srv   *httptest.Server
	app   *server.Server
	keys  *privacy.Keyring // the server's, for fixtures that seal identities
}

// demoKeys seal the demo participants' identities in demoData, and every
// app's server opens them with the same keys.
var demoKeys = func() *privacy.Keyring {
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		panic(err)
	}
	return keys
}()

// demoData is the demo data set loaded once into a template that each app
// clones, instead of being loaded for every test.
var demoData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		return err
	}
	return demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), demoKeys)
})

func newApp(t *testing.T) *app {
	t.Helper()
	t.Parallel()
	db := demoData.New(t)
	clk := &clock{t: time.Now()}
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db, hasher, clk.Now)
	keys := demoKeys
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused/iop"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Deps{
		Config: cfg, DB: db, Auth: svc, Now: clk.Now, Keyring: keys,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close) // after ts.Close: cleanups run last-registered first
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &app{t: t, db: db, auth: svc, clock: clk, srv: ts, app: s, keys: keys}
}

// client is a browser-like client: it keeps cookies and does not follow redirects.
type client struct {
	app *app
	hc  *http.Client
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{app: a, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	Body string
}

func (c *client) do(req *http.Request) response {
	c.app.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.app.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.app.t.Fatal(err)
	}
	return response{Response: res, Body: string(b)}
}

func (c *client) get(path string) response {
	c.app.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.app.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.app.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login signs in as email with the demo password, and for the roles that
// require it the one-time code of the published demo secret, and fails the
// test otherwise.
func (c *client) login(email string) {
	c.app.t.Helper()
	res := c.post("/login", url.Values{"email": {email}, "password": {demo.Password}})
	if res.StatusCode != http.StatusSeeOther {
		c.app.t.Fatalf("login %s: status %d\n%s", email, res.StatusCode, res.Body)
	}
	if res.Header.Get("Location") == "/login/totp" {
		res = c.post("/login/totp", url.Values{"code": {c.app.totpCode(email)}})
		if res.StatusCode != http.StatusSeeOther {
			c.app.t.Fatalf("login %s, one-time code: status %d\n%s", email, res.StatusCode, res.Body)
		}
	}
}

// totpCode is a fresh one-time code of a demo user with a published
// secret. Each code is accepted once, so when the current step's code has
// been used the app's clock moves on to the next step.
func (a *app) totpCode(email string) string {
	a.t.Helper()
	secret := ""
	for _, d := range demo.Users {
		if d.Email == email {
			secret = d.TOTPSecret
		}
	}
	row, err := postgres.NewTwoFactor(a.db.Pool).TOTP(context.Background(), a.userID(email))
	if secret == "" || err != nil {
		a.t.Fatalf("%s has no demo two-factor secret: %v", email, err)
	}
	if step := auth.Step(a.clock.Now()); step <= row.LastStep {
		a.clock.Advance(time.Unix((row.LastStep+1)*30, 0).Sub(a.clock.Now()))
	}
	code, err := auth.Code(secret, a.clock.Now())
	if err != nil {
		a.t.Fatal(err)
	}
	return code
}

// sessionCookie is the current value of the session cookie, or "".
func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.app.srv.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "iop_session" {
			return ck.Value
		}
	}
	return ""
}

// setSessionCookie replaces the session cookie, to replay an old token.
func (c *client) setSessionCookie(value string) {
	u, _ := url.Parse(c.app.srv.URL)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "iop_session", Value: value, Path: "/"}})
}

// userID looks up a demo user's id.
func (a *app) userID(email string) int64 {
	a.t.Helper()
	u, err := postgres.NewUsers(a.db.Pool).ByEmail(context.Background(), email)
	if err != nil {
		a.t.Fatal(err)
	}
	return u.ID
}

// demo logins per role
const (
	adminEmail       = "admin@iop.example"
	officerEmail     = "handlaggare@iop.example"
	coordinatorEmail = "koordinator@iop.example"
	viewerEmail      = "lasare@iop.example"
	ikfEmail         = "ikf@iop.example"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
