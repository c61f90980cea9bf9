package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"iop/internal/partnership"
	"iop/web"
)

// routes is every URL of the application and the policy that guards it.
// Authorization is decided here, per route group, and nowhere else.
func (s *Server) routes() http.Handler {
	// Cross-origin state changes are refused for the whole router: browsers
	// send Sec-Fetch-Site and Origin, so no token is needed in forms.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden)
	}))

	r := chi.NewRouter()
	r.Use(s.recoverPanics, s.requestID, s.logRequests, securityHeaders, cop.Handler, middleware.GetHead)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusMethodNotAllowed)
	})

	// Served without a session: no database work for assets and probes.
	r.Get(web.Prefix+"*", s.assets.ServeHTTP)
	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)

	r.Group(func(r chi.Router) {
		r.Use(s.sessions.LoadAndSave, s.loadUser)

		// Public.
		r.Get("/login", s.handleLoginForm)
		r.Post("/login", s.handleLogin)
		r.Get("/accessibility", s.handleAccessibility)

		// Every signed-in role.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.Roles...))
			r.Get("/", s.handleHome)
			r.Post("/logout", s.handleLogout)
		})

		// Organisations: every municipal role reads, admins and officers edit.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleCoordinator, partnership.RoleViewer))
			// organisations:read
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// organisations:write
		})

		// Agreements: every role reads (association staff only their own, see
		// agreementID), admins and officers change.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.Roles...))
			// agreements:read
			// agreement-list:read
			// documents:read
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// agreements:write
			// documents:write
		})

		// Administration of users: admins only.
		r.Route("/admin/users", func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin))
			r.Get("/", s.handleUserList)
			r.Get("/new", s.handleUserNew)
			r.Post("/", s.handleUserCreate)
			r.Get("/{id}", s.handleUserEdit)
			r.Post("/{id}", s.handleUserUpdate)
			r.Get("/{id}/disable", s.handleUserDisableConfirm)
			r.Post("/{id}/disable", s.handleUserDisable)
			r.Post("/{id}/enable", s.handleUserEnable)
			r.Get("/{id}/password", s.handleUserPasswordConfirm)
			r.Post("/{id}/password", s.handleUserPasswordReset)
		})
	})
	return r
}

// Routes lists every route as "METHOD /pattern", so that tests can check
// that each one is covered by the route × role matrix.
func (s *Server) Routes() []string {
	var list []string
	_ = chi.Walk(s.handler.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		list = append(list, method+" "+route)
		return nil
	})
	return list
}
