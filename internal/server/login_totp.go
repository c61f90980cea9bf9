package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iop/internal/auth"
	"iop/internal/partnership"
	"iop/templates"
)

// A password login that needs a second factor leaves the session
// half-signed-in: it holds the pending user but no sessUserID, so loadUser
// signs no one in and every page but the code step, the enrolment and
// "cancel" sends the browser to the login page.
const (
	sessPendingID     = "pending_user_id"
	sessPendingEpoch  = "pending_epoch"
	sessPendingAt     = "pending_at" // unix seconds of the correct password
	sessPendingNext   = "pending_next"
	sessEnrolSecret   = "totp_enrol_secret" // the secret being enrolled, until confirmed
	sessRecoveryCodes = "recovery_codes"    // fresh recovery codes, shown once
)

// pendingTimeout is how long after the password the code may be given:
// time enough to install an authenticator app at the first login.
const pendingTimeout = 10 * time.Minute

const (
	msgInvalidCode = "Koden stämmer inte eller har redan använts. Vänta på nästa kod i appen och försök igen."
	msgCodeMissing = "Ange koden från autentiseringsappen."
)

// startPending renews the session token and remembers u as half signed in.
func (s *Server) startPending(ctx context.Context, u partnership.User, next string) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessUserID)
	s.sessions.Put(ctx, sessPendingID, u.ID)
	s.sessions.Put(ctx, sessPendingEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, sessPendingAt, s.now().Unix())
	s.sessions.Put(ctx, sessPendingNext, next)
	return nil
}

// pending is the half-signed-in user of the request and what they still
// lack; ok is false (and the browser has been sent to the login page) when
// there is none, it has expired or the account changed since.
func (s *Server) pending(w http.ResponseWriter, r *http.Request) (partnership.User, auth.Factor, bool) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessPendingID)
	if id == 0 || currentUser(r) != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return partnership.User{}, 0, false
	}
	if s.now().Sub(time.Unix(s.sessions.GetInt64(ctx, sessPendingAt), 0)) > pendingTimeout {
		s.endSession(w, r, noticeExpired)
		return partnership.User{}, 0, false
	}
	u, f, err := s.auth.Pending(ctx, id, s.sessions.GetInt(ctx, sessPendingEpoch))
	if errors.Is(err, partnership.ErrNotFound) {
		s.endSession(w, r, noticeEnded)
		return partnership.User{}, 0, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return partnership.User{}, 0, false
	}
	return u, f, true
}

// finishPending signs the pending user in under a fresh token.
func (s *Server) finishPending(ctx context.Context, u partnership.User) (next string, err error) {
	next = safeNext(s.sessions.GetString(ctx, sessPendingNext))
	for _, k := range []string{sessPendingID, sessPendingEpoch, sessPendingAt, sessPendingNext, sessEnrolSecret} {
		s.sessions.Remove(ctx, k)
	}
	return next, s.signIn(ctx, u)
}

// pendingCode is the half-signed-in user who is to give a code; one who
// has yet to enrol is sent to the enrolment instead (ok false).
func (s *Server) pendingCode(w http.ResponseWriter, r *http.Request) (u partnership.User, ok bool) {
	u, f, ok := s.pending(w, r)
	if ok && f == auth.FactorEnrol {
		http.Redirect(w, r, "/login/totp/enrol", http.StatusSeeOther)
		return u, false
	}
	return u, ok
}

// pendingEnrol is the half-signed-in user who is to set up a second factor;
// one who has one is sent to the code step instead (ok false).
func (s *Server) pendingEnrol(w http.ResponseWriter, r *http.Request) (u partnership.User, ok bool) {
	u, f, ok := s.pending(w, r)
	if ok && f != auth.FactorEnrol {
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return u, false
	}
	return u, ok
}

// handleLoginTOTPForm asks a half-signed-in user for their code.
func (s *Server) handleLoginTOTPForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.pendingCode(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, templates.TOTPPage(templates.TOTPVM{Base: s.base(r, "Tvåstegsverifiering"), Name: u.Name}))
}

// handleLoginTOTP checks the code and completes the login.
func (s *Server) handleLoginTOTP(w http.ResponseWriter, r *http.Request) {
	u, ok := s.pendingCode(w, r)
	if !ok {
		return
	}
	page := func(status int, msg string) {
		s.render(w, r, status, templates.TOTPPage(templates.TOTPVM{Base: s.base(r, "Tvåstegsverifiering"), Name: u.Name, Error: msg}))
	}
	code := r.PostForm.Get("code")
	if strings.TrimSpace(code) == "" {
		page(http.StatusUnprocessableEntity, msgCodeMissing)
		return
	}
	err := s.totp.Verify(r.Context(), u, code, s.clientIP(r))
	var locked *auth.LockedError
	switch {
	case errors.As(err, &locked):
		w.Header().Set("Retry-After", strconv.Itoa(int(locked.Wait()/time.Second)))
		page(http.StatusTooManyRequests, loginWaitMessage(locked.Wait()))
		return
	case errors.Is(err, auth.ErrInvalidCode):
		page(http.StatusUnprocessableEntity, msgInvalidCode)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	next, err := s.finishPending(r.Context(), u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// enrolmentVM is the enrolment page for secret, which it keeps in the
// session until a code confirms it: showing the page changes nothing else.
func (s *Server) enrolmentVM(r *http.Request, u partnership.User, action string, required bool) (templates.TOTPEnrolVM, error) {
	ctx := r.Context()
	secret := s.sessions.GetString(ctx, sessEnrolSecret)
	if secret == "" {
		var err error
		if secret, err = auth.NewSecret(); err != nil {
			return templates.TOTPEnrolVM{}, err
		}
		s.sessions.Put(ctx, sessEnrolSecret, secret)
	}
	e, err := auth.EnrolmentFor(u.Email, secret)
	if err != nil {
		return templates.TOTPEnrolVM{}, err
	}
	enrolled, _, err := s.totp.Status(ctx, u.ID)
	if err != nil {
		return templates.TOTPEnrolVM{}, err
	}
	return templates.TOTPEnrolVM{
		Base: s.base(r, "Aktivera tvåstegsverifiering"), Action: action, Required: required,
		Secret: e.Secret, URI: e.URI, QR: e.QR, Replace: enrolled,
	}, nil
}

// handleLoginEnrolForm shows a half-signed-in admin or officer without a
// second factor how to set one up.
func (s *Server) handleLoginEnrolForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.pendingEnrol(w, r)
	if !ok {
		return
	}
	vm, err := s.enrolmentVM(r, u, "/login/totp/enrol", true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.TOTPEnrolPage(vm))
}

// handleLoginEnrol confirms the enrolment with a first code, signs the user
// in and shows the recovery codes once.
func (s *Server) handleLoginEnrol(w http.ResponseWriter, r *http.Request) {
	u, ok := s.pendingEnrol(w, r)
	if !ok {
		return
	}
	codes, ok := s.enrol(w, r, u, "/login/totp/enrol", true)
	if !ok {
		return
	}
	ctx := r.Context()
	if err := s.auth.CompleteEnrolledLogin(ctx, u, s.clientIP(r)); err != nil {
		s.serverError(w, r, err)
		return
	}
	next, err := s.finishPending(ctx, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.showRecoveryCodes(w, r, codes, next)
}

// enrol confirms the secret in the session with the posted code as u's
// second factor; on a wrong code it renders the page again and reports false.
func (s *Server) enrol(w http.ResponseWriter, r *http.Request, u partnership.User, action string, required bool) ([]string, bool) {
	ctx := r.Context()
	secret := s.sessions.GetString(ctx, sessEnrolSecret)
	var codes []string
	err := errors.New("no secret")
	if secret != "" {
		codes, err = s.totp.Enrol(ctx, partnership.ActorOf(u, s.clientIP(r)), secret, r.PostForm.Get("code"), r.PostForm.Get("current_code"))
	}
	var verr partnership.ValidationError
	var locked *auth.LockedError
	if secret == "" || errors.As(err, &verr) || errors.As(err, &locked) {
		vm, vmErr := s.enrolmentVM(r, u, action, required)
		if vmErr != nil {
			s.serverError(w, r, vmErr)
			return nil, false
		}
		status := http.StatusUnprocessableEntity
		vm.Error, vm.CurrentError = verr["code"], verr["current_code"]
		switch {
		case secret == "":
			vm.Error = "Sidan hade gått ut. Lägg till kontot i appen med den här QR-koden och ange koden igen."
		case locked != nil:
			status, vm.CurrentError = http.StatusTooManyRequests, loginWaitMessage(locked.Wait())
			w.Header().Set("Retry-After", strconv.Itoa(int(locked.Wait()/time.Second)))
		}
		s.render(w, r, status, templates.TOTPEnrolPage(vm))
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	s.sessions.Remove(ctx, sessEnrolSecret)
	return codes, true
}

// showRecoveryCodes keeps fresh codes in the session for the one page that
// shows them, then sends the browser there.
func (s *Server) showRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, next string) {
	s.sessions.Put(r.Context(), sessRecoveryCodes, strings.Join(codes, " "))
	http.Redirect(w, r, "/account/totp/codes?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// handleLoginCancel ends a login half-way (or any session) and returns to
// the login page.
func (s *Server) handleLoginCancel(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r, noticeLoggedOut)
}
