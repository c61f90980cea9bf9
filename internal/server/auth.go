package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iop/internal/auth"
	"iop/templates"
)

// handleLoginForm shows the login page, or sends a signed-in user home.
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	s.loginPage(w, r, http.StatusOK, templates.LoginVM{Next: safeNext(q.Get("next")), Notice: loginNotice(q.Get("notice"))})
}

// loginPage renders the login page of vm with status, with the single
// sign-on link when it is configured.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, status int, vm templates.LoginVM) {
	vm.Base, vm.OIDC = s.base(r, "Logga in"), s.oidc != nil
	s.render(w, r, status, templates.LoginPage(vm))
}

// loginNotice passes on only the notices this server itself sends, so that a
// crafted link cannot put arbitrary text on the login page.
func loginNotice(n string) string {
	switch n {
	case noticeLoggedOut, noticeExpired, noticeEnded:
		return n
	}
	return ""
}

const (
	noticeLoggedOut = "Du är utloggad."
	noticeExpired   = "Du har loggats ut eftersom sessionen gick ut. Logga in igen."
	noticeEnded     = "Du har loggats ut. Logga in igen."
)

// msgInvalidCredentials is the one answer to a wrong password, an unknown
// account or a disabled one, so that none can be told from another.
const msgInvalidCredentials = "Fel e-postadress eller lösenord."

// loginWaitMessage tells a throttled user how long to wait: whole seconds under
// a minute, otherwise whole minutes rounded up, in correct Swedish number.
func loginWaitMessage(wait time.Duration) string {
	amount := count(int(max(wait, time.Second)/time.Second), "sekund", "sekunder")
	if wait >= time.Minute {
		amount = count(int((wait+time.Minute-1)/time.Minute), "minut", "minuter")
	}
	return "För många misslyckade inloggningsförsök. Vänta " + amount + " och försök igen."
}

// count is n with the singular or plural of its unit.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// handleLogin checks the credentials and starts a session under a new token.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	email, password, next := r.PostForm.Get("email"), r.PostForm.Get("password"), safeNext(r.PostForm.Get("next"))
	if strings.TrimSpace(email) == "" || password == "" {
		s.loginPage(w, r, http.StatusUnprocessableEntity, templates.LoginVM{Email: email, Next: next, Error: "Ange både e-postadress och lösenord."})
		return
	}
	user, factor, err := s.auth.Login(r.Context(), email, password, s.clientIP(r))
	var locked *auth.LockedError
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials) || errors.As(err, &locked):
		msg := msgInvalidCredentials
		status := http.StatusUnprocessableEntity
		if locked != nil {
			msg, status = loginWaitMessage(locked.Wait()), http.StatusTooManyRequests
			w.Header().Set("Retry-After", strconv.Itoa(int(locked.Wait()/time.Second)))
		}
		s.loginPage(w, r, status, templates.LoginVM{Email: email, Next: next, Error: msg})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// A role that requires a second factor (or a user who enrolled one)
	// is only half signed in until the code is given: see login_totp.go.
	if factor != auth.FactorNone {
		if err := s.startPending(r.Context(), user, next); err != nil {
			s.serverError(w, r, err)
			return
		}
		target := "/login/totp"
		if factor == auth.FactorEnrol {
			target = "/login/totp/enrol"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	if err := s.signIn(r.Context(), user); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogout destroys the session.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.RecordLogout(r.Context(), actorOf(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/login?notice="+url.QueryEscape(noticeLoggedOut), http.StatusSeeOther)
}
