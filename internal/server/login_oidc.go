package server

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"time"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/templates"
)

// Session keys of a login through the municipality's identity provider,
// from the redirect to the provider until its callback.
const (
	sessOIDCState    = "oidc_state"
	sessOIDCNonce    = "oidc_nonce"
	sessOIDCVerifier = "oidc_verifier"
	sessOIDCNext     = "oidc_next"
	sessOIDCAt       = "oidc_at"
)

// oidcTimeout is how long the provider may take to send the browser back.
const oidcTimeout = 10 * time.Minute

// The messages of a failed single sign-on.
const (
	msgOIDCUnavailable = "Kommunens inloggning svarar inte just nu. Försök igen om en stund eller logga in med lösenord."
	msgOIDCInvalid     = "Inloggningen med kommunens konto kunde inte bekräftas. Börja om från inloggningssidan."
	msgOIDCNoAccount   = "Det finns inget konto i IOP för den e-postadress som kommunens inloggning uppger. Be en administratör att lägga upp dig som användare."
	msgOIDCDisabled    = "Ditt konto i IOP är inaktiverat. Kontakta en administratör."
	msgOIDCRole        = "Kommunens inloggning ger dig inte behörighet för din roll i IOP. Kontakta en administratör."
	msgOIDCCancelled   = "Inloggningen med kommunens konto avbröts."
)

// newOIDC is the single sign-on flow of cfg, or nil when none is configured.
func newOIDC(cfg config.Config, now func() time.Time) *auth.OIDC {
	o, ok := cfg.OIDC()
	if !ok {
		return nil
	}
	base := *cfg.BaseURL
	base.Path = "/login/oidc/callback"
	base.RawQuery, base.Fragment = "", ""
	return auth.NewOIDC(auth.OIDCConfig{
		Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: base.String(),
		Scopes: o.Scopes, RoleClaim: o.RoleClaim, RoleMap: o.RoleMap,
	}, now)
}

// loginError renders the login page with a message.
func (s *Server) loginError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.loginPage(w, r, status, templates.LoginVM{Next: "/", Error: msg})
}

// handleLoginOIDC sends the browser to the identity provider with a fresh
// state, nonce and PKCE challenge, which the session keeps for the callback.
// It is a GET (a link): the page's CSP allows forms to post only to this
// site, and browsers apply that to a form's redirects too. It changes no
// more than the session, like the login page itself.
func (s *Server) handleLoginOIDC(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		s.notFound(w, r)
		return
	}
	if currentUser(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	st, err := s.oidc.Start(r.Context())
	if errors.Is(err, auth.ErrOIDCUnavailable) {
		s.log.Warn("oidc start", "err", err)
		s.loginError(w, r, http.StatusServiceUnavailable, msgOIDCUnavailable)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessOIDCState, st.State)
	s.sessions.Put(ctx, sessOIDCNonce, st.Nonce)
	s.sessions.Put(ctx, sessOIDCVerifier, st.Verifier)
	s.sessions.Put(ctx, sessOIDCNext, safeNext(r.URL.Query().Get("next")))
	s.sessions.Put(ctx, sessOIDCAt, s.now().Unix())
	http.Redirect(w, r, st.URL, http.StatusSeeOther)
}

// handleLoginOIDCCallback completes a single sign-on: the state must be the
// session's, the ID token valid with the session's nonce, and the verified
// e-mail that of an active user whose role the provider grants.
func (s *Server) handleLoginOIDCCallback(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	// Whatever happens, this login attempt's secrets are used up.
	state, nonce := s.sessions.PopString(ctx, sessOIDCState), s.sessions.PopString(ctx, sessOIDCNonce)
	verifier, next := s.sessions.PopString(ctx, sessOIDCVerifier), safeNext(s.sessions.PopString(ctx, sessOIDCNext))
	started := time.Unix(s.sessions.GetInt64(ctx, sessOIDCAt), 0)
	s.sessions.Remove(ctx, sessOIDCAt)
	q := r.URL.Query()
	ip := s.clientIP(r)
	refuse := func(status int, msg, reason string) {
		if err := s.auth.RecordOIDCRefusal(ctx, ip, reason); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.loginError(w, r, status, msg)
	}
	switch {
	case state == "" || s.now().Sub(started) > oidcTimeout:
		refuse(http.StatusBadRequest, msgOIDCInvalid, "no_login_started")
		return
	case !constantTimeEqual(q.Get("state"), state):
		refuse(http.StatusBadRequest, msgOIDCInvalid, "state_mismatch")
		return
	case q.Get("error") != "":
		refuse(http.StatusUnauthorized, msgOIDCCancelled, "provider_error")
		return
	case q.Get("code") == "":
		refuse(http.StatusBadRequest, msgOIDCInvalid, "no_code")
		return
	}
	id, err := s.oidc.Finish(ctx, q.Get("code"), verifier, nonce)
	switch {
	case errors.Is(err, auth.ErrOIDCInvalid):
		s.log.Warn("oidc callback", "err", err)
		refuse(http.StatusBadRequest, msgOIDCInvalid, "invalid_token")
		return
	case errors.Is(err, auth.ErrOIDCUnavailable):
		s.log.Warn("oidc callback", "err", err)
		s.loginError(w, r, http.StatusServiceUnavailable, msgOIDCUnavailable)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	u, err := s.auth.LoginOIDC(ctx, id, s.oidc.ChecksRoles(), ip)
	switch {
	case errors.Is(err, auth.ErrOIDCNoAccount):
		s.loginError(w, r, http.StatusForbidden, msgOIDCNoAccount)
		return
	case errors.Is(err, auth.ErrOIDCDisabled):
		s.loginError(w, r, http.StatusForbidden, msgOIDCDisabled)
		return
	case errors.Is(err, auth.ErrOIDCRole):
		s.loginError(w, r, http.StatusForbidden, msgOIDCRole)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if err := s.signIn(ctx, u); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// constantTimeEqual compares a value from the request with a secret.
func constantTimeEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
