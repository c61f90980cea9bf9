package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser drives Debian's chromium against the app and runs axe-core on
// every page it visits.
type browser struct {
	t   *testing.T
	app *app
	ctx context.Context
	axe string
}

// newBrowser starts a headless chromium for the test. IOP_CHROMIUM and
// IOP_AXE_JS are set by `make test`, which also installs both.
func newBrowser(t *testing.T, a *app) *browser {
	t.Helper()
	exe := os.Getenv("IOP_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("chromium not found at %s (run `make test`, which installs it): %v", exe, err)
	}
	axePath := os.Getenv("IOP_AXE_JS")
	if axePath == "" {
		axePath = filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core not found (run `make test`, which installs it): %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first call starts the browser and binds it to ctx, so ctx itself
	// carries no timeout; each later step gets one of its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, app: a, ctx: ctx, axe: string(axe)}
}

// stepTimeout bounds each browser step, so that a broken page fails the test
// instead of hanging it.
const stepTimeout = 30 * time.Second

// do runs browser steps and fails the test on error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// value runs one browser action that returns a value.
func value[T any](b *browser, what string, action chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// visit opens a path, waits for the main landmark and checks it with axe.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.do("visit "+path, chromedp.Navigate(b.app.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
	b.checkAxe()
}

// submit clicks a button, waits for the next page and checks it with axe.
func (b *browser) submit(button string) {
	b.t.Helper()
	value(b, "mark the page", chromedp.Evaluate[string](`document.documentElement.dataset.old = "1"`))
	b.do("click "+button, chromedp.Click(chromedp.CSS(button)))
	b.do("wait for the next page", chromedp.WaitNotPresent(chromedp.CSS(`html[data-old]`)),
		chromedp.WaitReady(chromedp.CSS("main")))
	b.checkAxe()
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []string `json:"target"`
	} `json:"nodes"`
}

// checkAxe runs axe-core with the WCAG 2.1 A and AA rules on the current page
// and fails the test on any violation.
func (b *browser) checkAxe() {
	b.t.Helper()
	script := b.axe + `;
		axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
			.then(r => JSON.stringify(r.violations))`
	url := value(b, "location", chromedp.Location())
	raw := value(b, "axe", chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var violations []axeViolation
	if err := json.Unmarshal([]byte(raw), &violations); err != nil {
		b.t.Fatalf("axe result: %v", err)
	}
	for _, v := range violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, strings.Join(n.Target, " "))
		}
		b.t.Errorf("axe on %s: %s (%s): %s at %s", url, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "read "+sel, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)))
}

func (b *browser) texts(sel string) []string {
	b.t.Helper()
	return value(b, "read all "+sel, chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll(%q)).map(e => e.textContent.trim())`, sel)))
}

func (b *browser) login(email, password string) {
	b.t.Helper()
	b.visit("/login")
	b.do("fill in the login form",
		chromedp.SetValue(chromedp.CSS("#email"), email),
		chromedp.SetValue(chromedp.CSS("#password"), password))
	b.submit(`main form button[type="submit"]`)
	if strings.HasSuffix(value(b, "location", chromedp.Location()), "/login/totp") {
		b.do("fill in the one-time code", chromedp.SetValue(chromedp.CSS("#code"), b.app.totpCode(email)))
		b.submit(`main form button[type="submit"]`)
	}
}

func TestBrowserEachRoleLogsInSeesNavigationAndLogsOut(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	roles := []struct {
		email string
		name  string
		nav   []string
		pages []string
	}{
		{adminEmail, "Maria Lindqvist", []string{"Start", "Överenskommelser", "Organisationer", "Fakturor", "Rapporter", "Indexering", "Registerutdrag", "Användare", "Indexsatser", "Gallring"},
			[]string{"/admin/users", "/admin/users/new", "/admin/users/" + itoa(a.userID(officerEmail)),
				"/admin/users/" + itoa(a.userID(officerEmail)) + "/disable"}},
		{officerEmail, "Erik Johansson", []string{"Start", "Överenskommelser", "Organisationer", "Fakturor", "Rapporter", "Indexering", "Registerutdrag"}, nil},
		{coordinatorEmail, "Sara Nilsson", []string{"Start", "Överenskommelser", "Organisationer"}, nil},
		{ikfEmail, "Amina Hassan", []string{"Start", "Överenskommelser", "Rapporter"}, nil},
		{viewerEmail, "Lena Berg", []string{"Start", "Överenskommelser", "Organisationer", "Fakturor", "Rapporter"}, nil},
	}
	for _, r := range roles {
		b.login(r.email, "demo-iop-2026")
		if got := b.text(`[data-testid="signed-in-user"]`); !strings.HasPrefix(got, r.name) {
			t.Errorf("%s: signed in as %q", r.email, got)
		}
		if got := b.texts(`[data-testid="nav"] a`); !slices.Equal(got, r.nav) {
			t.Errorf("%s: navigation %q, want %q", r.email, got, r.nav)
		}
		for _, p := range r.pages {
			b.visit(p)
		}
		b.visit("/accessibility")
		b.submit(`.signed-in button[type="submit"]`)
		if got := b.text(`[data-testid="login-notice"]`); got != "Du är utloggad." {
			t.Errorf("%s: after logout the page says %q", r.email, got)
		}
	}
	// The association's staff start page is their organisation.
	b.login(ikfEmail, "demo-iop-2026")
	if got := b.text("h1"); got != "Internationella Kvinnoföreningen Linköping (IKF)" {
		t.Errorf("staff start page heading %q", got)
	}
	if got := b.text(`[data-testid="my-organisation"]`); !strings.Contains(got, "822001-3331") {
		t.Errorf("staff start page facts %q", got)
	}
}

func TestBrowserWrongPasswordShowsError(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	b.login(officerEmail, "inte-ratt-losenord")
	if got := b.text(`[data-testid="login-error"]`); got != "Fel e-postadress eller lösenord." {
		t.Errorf("error %q", got)
	}
	email := value(b, "read e-mail", chromedp.Value(chromedp.CSS("#email")))
	if email != officerEmail {
		t.Errorf("entered e-mail not kept: %q", email)
	}
	b.visit("/finns-inte")
	if got := b.text("h1"); got != "Sidan finns inte" {
		t.Errorf("404 heading %q", got)
	}
}

func TestBrowserAdminCreatesUser(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	b.login(adminEmail, "demo-iop-2026")
	b.visit("/admin/users/new")
	// An invalid form keeps the values and names each error.
	b.do("fill in", chromedp.SetValue(chromedp.CSS("#email"), "inte-en-adress"),
		chromedp.SetValue(chromedp.CSS("#name"), "Karin Holm"))
	b.submit(`main form button[type="submit"]`)
	summary := b.text(`[data-testid="error-summary"]`)
	if !strings.Contains(summary, "E-postadress") || !strings.Contains(summary, "Roll") {
		t.Errorf("error summary %q", summary)
	}
	name := value(b, "read name", chromedp.Value(chromedp.CSS("#name")))
	if name != "Karin Holm" {
		t.Errorf("name not kept: %q", name)
	}
	b.do("fix", chromedp.SetValue(chromedp.CSS("#email"), "karin.holm@linkoping.se"),
		chromedp.SetValue(chromedp.CSS("#role"), "association_staff"),
		chromedp.SetValue(chromedp.CSS("#organisation_id"), fmt.Sprint(orgID(t, a, "Linköpings Stadsmission"))))
	b.submit(`main form button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Användaren Karin Holm skapades." {
		t.Errorf("flash %q", got)
	}
	password := b.text(`[data-testid="new-password"]`)
	if len(password) != 20 {
		t.Fatalf("generated password %q", password)
	}
	b.submit(`.signed-in button[type="submit"]`)
	b.login("karin.holm@linkoping.se", password)
	if got := b.text("h1"); got != "Linköpings Stadsmission" {
		t.Errorf("new staff user's start page: %q", got)
	}
}

func orgID(t *testing.T, a *app, name string) int64 {
	t.Helper()
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id FROM organisations WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
