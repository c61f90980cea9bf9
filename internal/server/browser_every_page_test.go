package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBrowserAxeOnEveryPage visits every HTML page of the route × role
// matrix in chromium and runs axe on each, as admin and, for the pages
// association staff may open, as IKF's staff user too. Each feature's own
// browser test walks its flows; this one guarantees that no page is left
// unchecked when a route is added.
func TestBrowserAxeOnEveryPage(t *testing.T) {
	a := newApp(t)
	rows := matrix(newFixture(t, a, a.userID(viewerEmail)))
	b := newBrowser(t, a)
	visited := 0
	for _, who := range []struct {
		email string
		index int // the caller's column in the matrix
	}{{adminEmail, 1}, {ikfEmail, 4}} {
		probe := loggedIn(a, who.email)
		b.login(who.email, "demo-iop-2026")
		for _, row := range rows {
			if !strings.HasPrefix(row.route, "GET ") || row.path == "" || row.want[who.index] != http.StatusOK {
				continue
			}
			// Downloads, exports and probes are not pages.
			if res := probe.get(row.path); !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			b.visit(row.path)
			visited++
		}
		b.submit(`.signed-in button[type="submit"]`)
	}
	if visited < 40 {
		t.Errorf("visited only %d pages; the matrix has more", visited)
	}
	t.Logf("axe checked %d page visits", visited)
}
