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
			r.Get("/organisations", s.handleOrganisationList)
			r.Get("/organisations/{id}", s.handleOrganisationShow)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// organisations:write
			r.Get("/organisations/new", s.handleOrganisationNew)
			r.Post("/organisations", s.handleOrganisationCreate)
			r.Get("/organisations/{id}/edit", s.handleOrganisationEdit)
			r.Post("/organisations/{id}", s.handleOrganisationUpdate)
			r.Get("/organisations/{id}/contacts/new", s.handleOrganisationContactNew)
			r.Post("/organisations/{id}/contacts", s.handleOrganisationContactCreate)
			r.Get("/organisations/{id}/contacts/{contactID}", s.handleOrganisationContactEdit)
			r.Post("/organisations/{id}/contacts/{contactID}", s.handleOrganisationContactUpdate)
			r.Get("/organisations/{id}/contacts/{contactID}/delete", s.handleOrganisationContactDeleteConfirm)
			r.Post("/organisations/{id}/contacts/{contactID}/delete", s.handleOrganisationContactDelete)
		})

		// Agreements: every role reads (association staff only their own, see
		// agreementID), admins and officers change.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.Roles...))
			// agreements:read
			r.Get("/agreements/{id}", s.handleAgreementShow)
			// agreement-list:read
			r.Get("/agreements", s.handleAgreementList)
			r.Get("/agreements.csv", s.handleAgreementListCSV)
			r.Get("/agreements.xlsx", s.handleAgreementListXLSX)
			// documents:read
			r.Get("/agreements/{id}/documents", s.handleDocumentList)
			r.Get("/agreements/{id}/documents/{docID}", s.handleDocumentDownload)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// agreements:write
			r.Get("/agreements/new", s.handleAgreementNew)
			r.Post("/agreements", s.handleAgreementCreate)
			r.Get("/agreements/{id}/edit", s.handleAgreementEdit)
			r.Post("/agreements/{id}", s.handleAgreementUpdate)
			r.Get("/agreements/{id}/parties/new", s.handleAgreementPartyNew)
			r.Post("/agreements/{id}/parties", s.handleAgreementPartyCreate)
			r.Get("/agreements/{id}/parties/{partyID}", s.handleAgreementPartyEdit)
			r.Post("/agreements/{id}/parties/{partyID}", s.handleAgreementPartyUpdate)
			r.Get("/agreements/{id}/parties/{partyID}/delete", s.handleAgreementPartyDeleteConfirm)
			r.Post("/agreements/{id}/parties/{partyID}/delete", s.handleAgreementPartyDelete)
			r.Post("/agreements/{id}/activate", s.handleAgreementActivate)
			r.Get("/agreements/{id}/extensions/new", s.handleAgreementExtensionNew)
			r.Post("/agreements/{id}/extensions", s.handleAgreementExtensionCreate)
			r.Get("/agreements/{id}/terminate", s.handleAgreementTerminateForm)
			r.Post("/agreements/{id}/terminate", s.handleAgreementTerminate)
			// documents:write
			r.Post("/agreements/{id}/documents", s.handleDocumentUpload)
			r.Get("/agreements/{id}/documents/{docID}/delete", s.handleDocumentDeleteConfirm)
			r.Post("/agreements/{id}/documents/{docID}/delete", s.handleDocumentDelete)
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
