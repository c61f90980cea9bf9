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
	r.Use(s.countRequests, s.recoverPanics, s.requestID, s.logRequests, s.securityHeaders, cop.Handler, s.readInput, middleware.GetHead)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusMethodNotAllowed)
	})

	// Served without a session: no database work for assets and probes.
	r.Get(web.Prefix+"*", s.assets.ServeHTTP)
	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	// Only for a caller holding METRICS_TOKEN; 404 to everyone else.
	r.Get("/metrics", s.handleMetrics)
	// A user's calendar feed: no session, found by its secret token alone.
	r.Get("/calendar/{token}.ics", s.handleCalendarFeed)
	// Open data (360Giving) for the municipality's open-data page: public,
	// organisations and amounts only, never a person.
	r.Get("/reports/{year}/grants.json", s.handleOpenDataGrantsJSON)
	r.Get("/reports/{year}/grants.csv", s.handleOpenDataGrantsCSV)

	r.Group(func(r chi.Router) {
		r.Use(s.sessions.LoadAndSave, s.loadUser)

		// Public.
		r.Get("/login", s.handleLoginForm)
		r.Post("/login", s.handleLogin)
		// The second step of a password login, for a half-signed-in session
		// (login_totp.go), and single sign-on (login_oidc.go, 404 unless
		// configured).
		r.Get("/login/totp", s.handleLoginTOTPForm)
		r.Post("/login/totp", s.handleLoginTOTP)
		r.Get("/login/totp/enrol", s.handleLoginEnrolForm)
		r.Post("/login/totp/enrol", s.handleLoginEnrol)
		r.Post("/login/cancel", s.handleLoginCancel)
		r.Get("/login/oidc", s.handleLoginOIDC)
		r.Get("/login/oidc/callback", s.handleLoginOIDCCallback)
		r.Get("/accessibility", s.handleAccessibility)

		// Every signed-in role.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.Roles...))
			r.Get("/", s.handleHome)
			r.Post("/logout", s.handleLogout)
			// deadlines: each user's own, of the agreements they may see
			r.Get("/deadlines", s.handleDeadlineList)
			r.Get("/calendar", s.handleCalendar)
			r.Post("/calendar", s.handleCalendarCreate)
			r.Post("/calendar/{feedID}/revoke", s.handleCalendarRevoke)
			// account: one's own two-factor login
			r.Get("/account", s.handleAccount)
			r.Get("/account/totp", s.handleAccountTOTPForm)
			r.Post("/account/totp", s.handleAccountTOTP)
			r.Get("/account/totp/codes", s.handleAccountRecoveryCodes)
			r.Post("/account/totp/codes", s.handleAccountRecoveryCodesCreate)
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
			// budget:read
			r.Get("/agreements/{id}/budget", s.handleBudgetShow)
			r.Get("/agreements/{id}/budget/years", s.handleBudgetYears)
			r.Get("/agreements/{id}/budget.csv", s.handleBudgetCSV)
			r.Get("/agreements/{id}/budget.xlsx", s.handleBudgetXLSX)
			// invoices:read
			r.Get("/agreements/{id}/invoices", s.handleInvoiceList)
			r.Get("/invoices", s.handleInvoiceOverview)
			r.Get("/invoices.csv", s.handleInvoiceOverviewCSV)
			r.Get("/invoices.xlsx", s.handleInvoiceOverviewXLSX)
			// activities:read
			r.Get("/agreements/{id}/activities", s.handleActivityList)
			r.Get("/agreements/{id}/activities.csv", s.handleActivityCSV)
			r.Get("/agreements/{id}/activities.xlsx", s.handleActivityXLSX)
			r.Get("/agreements/{id}/activity-types", s.handleActivityTypeList)
			// documents:read
			r.Get("/agreements/{id}/documents", s.handleDocumentList)
			r.Get("/agreements/{id}/documents/{docID}", s.handleDocumentDownload)
		})
		// Participants, one by one (pseudonymous; the service narrows a
		// coordinator to their own referrals). Viewers, who may see no
		// personal data, see participants only as the annual reports'
		// disclosure-controlled figures.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleCoordinator, partnership.RoleAssociationStaff))
			// participants:read
			r.Get("/agreements/{id}/participants", s.handleParticipantList)
			r.Get("/agreements/{id}/participants/{participantID}", s.handleParticipantShow)
		})
		// Follow-ups after exit: overdue lists for the association and the
		// municipality (pseudonymous), the schedule set by officers.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleAssociationStaff))
			// followups:read
			r.Get("/agreements/{id}/followups/overdue", s.handleFollowUpOverdue)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// followups:schedule
			r.Get("/agreements/{id}/followups/schedule", s.handleFollowUpScheduleForm)
			r.Post("/agreements/{id}/followups/schedule", s.handleFollowUpSchedule)
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
			// budget:write
			r.Get("/agreements/{id}/budget/lines/new", s.handleBudgetLineNew)
			r.Post("/agreements/{id}/budget/lines", s.handleBudgetLineCreate)
			r.Get("/agreements/{id}/budget/lines/{lineID}", s.handleBudgetLineEdit)
			r.Post("/agreements/{id}/budget/lines/{lineID}", s.handleBudgetLineUpdate)
			r.Get("/agreements/{id}/budget/lines/{lineID}/delete", s.handleBudgetLineDeleteConfirm)
			r.Post("/agreements/{id}/budget/lines/{lineID}/delete", s.handleBudgetLineDelete)
			r.Get("/agreements/{id}/budget/lines/{lineID}/deviation", s.handleBudgetLineDeviationForm)
			r.Post("/agreements/{id}/budget/lines/{lineID}/deviation", s.handleBudgetLineDeviationAccept)
			r.Post("/agreements/{id}/budget/lines/{lineID}/deviation/withdraw", s.handleBudgetLineDeviationWithdraw)
			r.Get("/agreements/{id}/budget/totals/new", s.handleBudgetTotalNew)
			r.Post("/agreements/{id}/budget/totals", s.handleBudgetTotalCreate)
			r.Get("/agreements/{id}/budget/totals/{totalID}", s.handleBudgetTotalEdit)
			r.Post("/agreements/{id}/budget/totals/{totalID}", s.handleBudgetTotalUpdate)
			r.Get("/agreements/{id}/budget/totals/{totalID}/delete", s.handleBudgetTotalDeleteConfirm)
			r.Post("/agreements/{id}/budget/totals/{totalID}/delete", s.handleBudgetTotalDelete)
			r.Get("/agreements/{id}/budget/totals/{totalID}/deviation", s.handleBudgetTotalDeviationForm)
			r.Post("/agreements/{id}/budget/totals/{totalID}/deviation", s.handleBudgetTotalDeviationAccept)
			r.Post("/agreements/{id}/budget/totals/{totalID}/deviation/withdraw", s.handleBudgetTotalDeviationWithdraw)
			// indexation:write
			r.Get("/indexation", s.handleIndexationShow)
			r.Post("/indexation", s.handleIndexationRun)
			// invoices:write
			r.Get("/agreements/{id}/invoices/new", s.handleInvoiceNew)
			r.Post("/agreements/{id}/invoices", s.handleInvoiceCreate)
			r.Get("/agreements/{id}/invoices/{invoiceID}", s.handleInvoiceEdit)
			r.Post("/agreements/{id}/invoices/{invoiceID}", s.handleInvoiceUpdate)
			r.Get("/agreements/{id}/invoices/{invoiceID}/approve", s.handleInvoiceApproveConfirm)
			r.Post("/agreements/{id}/invoices/{invoiceID}/approve", s.handleInvoiceApprove)
			r.Get("/agreements/{id}/invoices/{invoiceID}/paid", s.handleInvoicePaidConfirm)
			r.Post("/agreements/{id}/invoices/{invoiceID}/paid", s.handleInvoicePaid)
			r.Get("/agreements/{id}/invoices/{invoiceID}/delete", s.handleInvoiceDeleteConfirm)
			r.Post("/agreements/{id}/invoices/{invoiceID}/delete", s.handleInvoiceDelete)
			// activity-config:write
			r.Get("/agreements/{id}/activity-types/new", s.handleActivityTypeNew)
			r.Post("/agreements/{id}/activity-types", s.handleActivityTypeCreate)
			r.Get("/agreements/{id}/activity-types/{typeID}", s.handleActivityTypeEdit)
			r.Post("/agreements/{id}/activity-types/{typeID}", s.handleActivityTypeUpdate)
			r.Get("/agreements/{id}/activity-types/{typeID}/delete", s.handleActivityTypeDeleteConfirm)
			r.Post("/agreements/{id}/activity-types/{typeID}/delete", s.handleActivityTypeDelete)
			r.Post("/agreements/{id}/activity-types/{typeID}/targets", s.handleActivityTargetSet)
			// documents:write
			r.Post("/agreements/{id}/documents", s.handleDocumentUpload)
			r.Get("/agreements/{id}/documents/{docID}/delete", s.handleDocumentDeleteConfirm)
			r.Post("/agreements/{id}/documents/{docID}/delete", s.handleDocumentDelete)
			// step-model:write
			r.Get("/agreements/{id}/step-model", s.handleStepModelShow)
			r.Post("/agreements/{id}/step-model", s.handleStepModelUpdate)
		})

		// Activities are logged by association staff (their own agreements,
		// see agreementID) and by the municipality's officers and admins.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleAssociationStaff))
			// activities:log
			r.Get("/agreements/{id}/activities/new", s.handleActivityNew)
			r.Post("/agreements/{id}/activities", s.handleActivityCreate)
			r.Get("/agreements/{id}/activities/import", s.handleActivityImportForm)
			r.Get("/agreements/{id}/activities/import/template.csv", s.handleActivityImportTemplate)
			r.Post("/agreements/{id}/activities/import", s.handleActivityImport)
			r.Get("/agreements/{id}/activities/{activityID}", s.handleActivityEdit)
			r.Post("/agreements/{id}/activities/{activityID}", s.handleActivityUpdate)
			r.Get("/agreements/{id}/activities/{activityID}/delete", s.handleActivityDeleteConfirm)
			r.Post("/agreements/{id}/activities/{activityID}/delete", s.handleActivityDelete)
		})

		// Participants are registered and followed by association staff (their
		// own agreements, see agreementID) and referred by coordinators, who
		// hold the identities of their own referrals. The service decides
		// the rest: only staff enrol, decline, exit and edit.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAssociationStaff, partnership.RoleCoordinator))
			// participants:write
			r.Get("/agreements/{id}/participants/new", s.handleParticipantNew)
			r.Post("/agreements/{id}/participants", s.handleParticipantCreate)
			r.Get("/agreements/{id}/participants/{participantID}/edit", s.handleParticipantEdit)
			r.Post("/agreements/{id}/participants/{participantID}", s.handleParticipantUpdate)
			r.Post("/agreements/{id}/participants/{participantID}/enrol", s.handleParticipantEnrol)
			r.Post("/agreements/{id}/participants/{participantID}/decline", s.handleParticipantDecline)
			r.Post("/agreements/{id}/participants/{participantID}/exit", s.handleParticipantExit)
			r.Post("/agreements/{id}/participants/{participantID}/followups/{followUpID}", s.handleFollowUpRecord)
			r.Post("/agreements/{id}/participants/{participantID}/consents", s.handleParticipantConsentRecord)
			r.Post("/agreements/{id}/participants/{participantID}/consents/{consentID}/withdraw", s.handleParticipantConsentWithdraw)
			// participants:identity (a POST: every showing is audited)
			r.Post("/agreements/{id}/participants/{participantID}/identity", s.handleParticipantIdentity)
			r.Post("/agreements/{id}/participants/{participantID}/identity/update", s.handleParticipantIdentityUpdate)
			// plans:write (the service lets only the association's staff record)
			r.Post("/agreements/{id}/participants/{participantID}/goals", s.handlePlanGoalCreate)
			r.Post("/agreements/{id}/participants/{participantID}/goals/{goalID}/outcome", s.handlePlanGoalOutcome)
			r.Post("/agreements/{id}/participants/{participantID}/assessments", s.handlePlanAssess)
		})

		// Participants are imported from a file by association staff (their
		// own agreements); a coordinator refers one at a time.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAssociationStaff))
			// participants:import
			r.Get("/agreements/{id}/participants/import", s.handleParticipantImportForm)
			r.Get("/agreements/{id}/participants/import/template.csv", s.handleParticipantImportTemplate)
			r.Post("/agreements/{id}/participants/import", s.handleParticipantImport)
			// plans:overdue (goal texts: the association's staff only)
			r.Get("/agreements/{id}/goals/overdue", s.handlePlanOverdueGoals)
		})

		// Meetings of an agreement's parties: every role reads (association
		// staff only their own, see agreementID), admins and officers record
		// them, and association staff add agenda points and mark their own
		// party's action items done (the service decides which).
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.Roles...))
			// meetings:read
			r.Get("/agreements/{id}/meetings", s.handleMeetingList)
			r.Get("/agreements/{id}/meetings/{meetingID}", s.handleMeetingShow)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// meetings:write
			r.Get("/agreements/{id}/meetings/new", s.handleMeetingNew)
			r.Post("/agreements/{id}/meetings", s.handleMeetingCreate)
			r.Get("/agreements/{id}/meetings/{meetingID}/edit", s.handleMeetingEdit)
			r.Post("/agreements/{id}/meetings/{meetingID}", s.handleMeetingUpdate)
			r.Get("/agreements/{id}/meetings/{meetingID}/delete", s.handleMeetingDeleteConfirm)
			r.Post("/agreements/{id}/meetings/{meetingID}/delete", s.handleMeetingDelete)
			r.Post("/agreements/{id}/meetings/{meetingID}/decisions", s.handleMeetingDecisionAdd)
			r.Post("/agreements/{id}/meetings/{meetingID}/action-items", s.handleMeetingActionItemAdd)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleAssociationStaff))
			// meetings:contribute
			r.Post("/agreements/{id}/meetings/{meetingID}/agenda", s.handleMeetingAgendaAdd)
			r.Post("/agreements/{id}/meetings/{meetingID}/action-items/{itemID}/done", s.handleMeetingActionItemDone)
		})

		// Annual reports: officers, admins and viewers read every agreement's,
		// association staff their own (see the annualreport service), the
		// coordinator none. The association's staff write and submit the
		// narrative; officers and admins comment, return and approve, and
		// write the portfolio's summary.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer, partnership.RoleAssociationStaff))
			// reports:read
			r.Get("/reports", s.handleReportOverview)
			r.Get("/agreements/{id}/reports", s.handleAgreementReportList)
			r.Get("/agreements/{id}/reports/{year}", s.handleAnnualReportShow)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer))
			// portfolio:read
			r.Get("/reports/{year}", s.inSlot(portfolioSlots, s.handlePortfolioShow))
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAssociationStaff))
			// reports:write
			r.Get("/agreements/{id}/reports/{year}/edit", s.handleAnnualReportEdit)
			r.Post("/agreements/{id}/reports/{year}", s.handleAnnualReportSave)
			r.Post("/agreements/{id}/reports/{year}/submit", s.handleAnnualReportSubmit)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// reports:review
			r.Post("/reports/{year}/summary", s.handlePortfolioSummarySave)
			r.Post("/agreements/{id}/reports/{year}/comments", s.handleAnnualReportComment)
			r.Get("/agreements/{id}/reports/{year}/approve", s.handleAnnualReportApproveConfirm)
			r.Post("/agreements/{id}/reports/{year}/approve", s.handleAnnualReportApprove)
			r.Get("/agreements/{id}/reports/{year}/return", s.handleAnnualReportReturnConfirm)
			r.Post("/agreements/{id}/reports/{year}/return", s.handleAnnualReportReturn)
		})

		// Exports of the annual reports, always disclosed: an agreement's for
		// those who read it (association staff their own, see the
		// annualreport service), the portfolio's for the municipality's roles.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer, partnership.RoleAssociationStaff))
			// reports:export
			r.Get("/agreements/{id}/reports/{year}/report.pdf", s.handleAgreementReportPDF)
			r.Get("/agreements/{id}/reports/{year}/report.xlsx", s.handleAgreementReportXLSX)
			r.Get("/agreements/{id}/reports/{year}/report.csv", s.handleAgreementReportCSV)
		})
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer))
			// portfolio:export
			r.Get("/reports/{year}/portfolio.pdf", s.inSlot(portfolioSlots, s.handlePortfolioReportPDF))
			r.Get("/reports/{year}/portfolio.xlsx", s.inSlot(portfolioSlots, s.handlePortfolioReportXLSX))
			r.Get("/reports/{year}/portfolio.csv", s.inSlot(portfolioSlots, s.handlePortfolioReportCSV))
		})

		// The municipality's decided index rates: admins only.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin))
			// index-rates:admin
			r.Get("/admin/index-rates", s.handleIndexRateList)
			r.Get("/admin/index-rates/new", s.handleIndexRateNew)
			r.Post("/admin/index-rates", s.handleIndexRateCreate)
			r.Get("/admin/index-rates/{year}/delete", s.handleIndexRateDeleteConfirm)
			r.Post("/admin/index-rates/{year}/delete", s.handleIndexRateDelete)
		})

		// Retention periods (gallring): admins only.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin))
			// retention:admin
			r.Get("/admin/retention", s.handleRetention)
			r.Post("/admin/retention", s.handleRetentionUpdate)
		})

		// Requests of access (registerutdrag, GDPR art. 15): officers and
		// admins, the one place they handle an identity (see
		// participant.MayHandleAccessRequests). The personnummer is posted.
		r.Group(func(r chi.Router) {
			r.Use(s.requireRole(partnership.RoleAdmin, partnership.RoleOfficer))
			// access-requests
			r.Get("/access-requests", s.handleAccessRequestForm)
			r.Post("/access-requests", s.handleAccessRequest)
			r.Post("/access-requests/json", s.handleAccessRequestJSON)
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
			r.Get("/{id}/totp", s.handleUserTOTPResetConfirm)
			r.Post("/{id}/totp", s.handleUserTOTPReset)
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
