package server

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/a-h/templ"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// pageBuffers are the buffers pages are rendered into, reused: a page is
// tens of kilobytes, and growing a fresh buffer to that size for every
// request was a third of the activity list's rendering time.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept for reuse; the few larger pages
// (a long portfolio) do not pin their memory.
const maxPooledPage = 1 << 20

// render writes a component with the status. It renders into a buffer first,
// so that a failing template yields the error page, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledPage {
			buf.Reset()
			pageBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// base is the layout's view model for the request.
func (s *Server) base(r *http.Request, title string) templates.Base {
	b := templates.Base{
		Title:       title,
		CSS:         s.assets.Path("css/app.css"),
		JS:          s.assets.Path("vendor/htmx.min.js"),
		CurrentPath: r.URL.Path,
		RequestID:   requestIDFrom(r.Context()),
	}
	if u := currentUser(r); u != nil {
		b.User = &templates.CurrentUser{Name: u.Name, RoleLabel: u.Role.Label()}
		b.Nav = navFor(u.Role)
		b.Flash = s.sessions.PopString(r.Context(), sessFlash)
	}
	return b
}

// navFor is the navigation of a role: only what the role may open.
func navFor(role partnership.Role) []templates.NavItem {
	nav := []templates.NavItem{{Label: "Start", Href: "/"}, {Label: "Överenskommelser", Href: "/agreements"}}
	if role != partnership.RoleAssociationStaff {
		nav = append(nav, templates.NavItem{Label: "Organisationer", Href: "/organisations"})
	}
	switch role {
	case partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer:
		nav = append(nav, templates.NavItem{Label: "Fakturor", Href: "/invoices"})
	}
	if role != partnership.RoleCoordinator {
		nav = append(nav, templates.NavItem{Label: "Rapporter", Href: "/reports"})
	}
	if role == partnership.RoleAdmin || role == partnership.RoleOfficer {
		nav = append(nav, templates.NavItem{Label: "Indexering", Href: "/indexation"})
	}
	if role == partnership.RoleAdmin || role == partnership.RoleOfficer {
		nav = append(nav, templates.NavItem{Label: "Registerutdrag", Href: "/access-requests"})
	}
	if role == partnership.RoleAdmin {
		nav = append(nav, templates.NavItem{Label: "Användare", Href: "/admin/users"},
			templates.NavItem{Label: "Indexsatser", Href: "/admin/index-rates"},
			templates.NavItem{Label: "Gallring", Href: "/admin/retention"})
	}
	return nav
}

// users is the user store on the pool.
func (s *Server) users() *postgres.Users { return postgres.NewUsers(s.db.Pool) }

// organisations is the organisation store on the pool.
func (s *Server) organisations() *postgres.Organisations { return postgres.NewOrganisations(s.db.Pool) }
