package server

import (
	"errors"
	"net/http"
	"strings"

	"iop/internal/auth"
	"iop/internal/partnership"
	"iop/templates"
)

// handleAccount shows the signed-in user's account and two-factor login.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	enrolled, left, err := s.totp.Status(r.Context(), u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.AccountPage(templates.AccountVM{
		Base: s.base(r, "Mitt konto"), Name: u.Name, Email: u.Email, Role: u.Role.Label(),
		Enrolled: enrolled, CodesLeft: left, Required: auth.RequiresTOTP(u.Role),
	}))
}

// handleAccountTOTPForm lets a signed-in user set up (or replace) their
// authenticator app.
func (s *Server) handleAccountTOTPForm(w http.ResponseWriter, r *http.Request) {
	vm, err := s.enrolmentVM(r, *currentUser(r), "/account/totp", false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.TOTPEnrolPage(vm))
}

// handleAccountTOTP confirms the new authenticator app with a code.
func (s *Server) handleAccountTOTP(w http.ResponseWriter, r *http.Request) {
	codes, ok := s.enrol(w, r, *currentUser(r), "/account/totp", false)
	if !ok {
		return
	}
	s.flash(r, "Tvåstegsverifieringen är aktiverad.")
	s.showRecoveryCodes(w, r, codes, "/account")
}

// handleAccountRecoveryCodesCreate replaces the user's recovery codes.
func (s *Server) handleAccountRecoveryCodesCreate(w http.ResponseWriter, r *http.Request) {
	codes, err := s.totp.NewRecoveryCodes(r.Context(), actorOf(r))
	if errors.Is(err, partnership.ErrNotFound) {
		s.flash(r, "Aktivera tvåstegsverifiering först; återställningskoderna skapas då.")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showRecoveryCodes(w, r, codes, "/account")
}

// handleAccountRecoveryCodes shows freshly made recovery codes, once.
func (s *Server) handleAccountRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	var codes []string
	if c := s.sessions.PopString(r.Context(), sessRecoveryCodes); c != "" {
		codes = strings.Fields(c)
	}
	s.render(w, r, http.StatusOK, templates.RecoveryCodesPage(templates.RecoveryCodesVM{
		Base: s.base(r, "Återställningskoder"), Codes: codes, Next: safeNext(r.URL.Query().Get("next")),
	}))
}
