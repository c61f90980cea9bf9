package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAccessRequest: an officer asks for the registerutdrag of the
// matrix's participant; the document names them and is axe clean, and the
// personnummer is never in the address.
func TestBrowserAccessRequest(t *testing.T) {
	a := newApp(t)
	newParticipantFixture(t, a)
	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")
	b.visit("/access-requests")
	b.do("type the personnummer", chromedp.SetValue(chromedp.CSS("#personnummer"), fixturePnr))
	b.submit(`main form button[type="submit"]`)
	if got := b.text(`[data-testid="access-record"]`); !strings.Contains(got, fixtureName) {
		t.Errorf("the document does not name the person: %q", got)
	}
	if loc := value(b, "location", chromedp.Location()); strings.Contains(loc, "1212") {
		t.Errorf("the personnummer is in the address %s", loc)
	}
}
