package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/auth"
	"iop/internal/demo"
)

// TestBrowserTwoFactorAndSingleSignOn drives chromium through the officer's
// password-and-code login, a viewer's enrolment from the account page and
// a single sign-on through the provider running in the test; axe checks
// every page on the way.
func TestBrowserTwoFactorAndSingleSignOn(t *testing.T) {
	a, m := oidcApp(t, nil)
	b := newBrowser(t, a)

	b.visit("/login")
	if got := b.text(`[data-testid="login-oidc"] a`); got != "Logga in med kommunens konto" {
		t.Errorf("single sign-on button %q", got)
	}
	b.do("fill in the login form",
		chromedp.SetValue(chromedp.CSS("#email"), officerEmail),
		chromedp.SetValue(chromedp.CSS("#password"), demo.Password))
	b.submit(`main form button[type="submit"]`)
	if got := b.text("h1"); got != "Tvåstegsverifiering" {
		t.Fatalf("after the password: %q", got)
	}
	b.do("a wrong code", chromedp.SetValue(chromedp.CSS("#code"), "000000"))
	b.submit(`main form[action="/login/totp"] button`)
	if got := b.text(`[data-testid="totp-error"]`); !strings.Contains(got, "Koden stämmer inte") {
		t.Errorf("wrong code message %q", got)
	}
	b.do("the right code", chromedp.SetValue(chromedp.CSS("#code"), a.totpCode(officerEmail)))
	b.submit(`main form[action="/login/totp"] button`)
	if got := b.text(`[data-testid="signed-in-user"]`); !strings.HasPrefix(got, "Erik Johansson") {
		t.Fatalf("signed in as %q", got)
	}
	b.submit(`.signed-in button[type="submit"]`)

	// A viewer sets up an app from the account page.
	b.login(viewerEmail, demo.Password)
	b.visit("/account")
	b.visit("/account/totp")
	secret := b.text(`[data-testid="totp-secret"]`)
	code, err := auth.Code(secret, a.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.do("the first code", chromedp.SetValue(chromedp.CSS("#code"), code))
	b.submit(`main form[action="/account/totp"] button`)
	if got := b.texts(`[data-testid="recovery-codes"] li`); len(got) != auth.RecoveryCodeCount {
		t.Errorf("recovery codes shown: %q", got)
	}
	b.visit("/account")
	if got := b.text(`[data-testid="totp-status"]`); !strings.HasPrefix(got, "Aktiverad") {
		t.Errorf("account after enrolment: %q", got)
	}
	b.submit(`.signed-in button[type="submit"]`)

	// Single sign-on: the provider sends the browser straight back.
	m.QueueUser(officerAtProvider())
	b.visit("/login")
	b.submit(`[data-testid="login-oidc"] a`)
	if got := b.text(`[data-testid="signed-in-user"]`); !strings.HasPrefix(got, "Erik Johansson") {
		t.Fatalf("after single sign-on: %q", got)
	}
}
