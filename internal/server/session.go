package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"iop/internal/partnership"
)

// Session keys.
const (
	sessUserID = "user_id"
	sessEpoch  = "epoch"
	sessAuthAt = "auth_at" // unix seconds of the login
	sessSeenAt = "seen_at" // unix seconds of the last request
	sessFlash  = "flash"
	sessSecret = "new_password" // a generated password, shown once
)

// signIn starts a new session for u under a fresh token.
func (s *Server) signIn(ctx context.Context, u partnership.User) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	now := s.now().Unix()
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, sessAuthAt, now)
	s.sessions.Put(ctx, sessSeenAt, now)
	return nil
}

// seenEvery is how often a session records that it is in use. Recording it
// writes the session to the database, so a page view within a minute of
// the last recorded one writes nothing; an idle session may then end up to
// a minute before IdleTimeout after its very last request.
const seenEvery = time.Minute

// loadUser puts the signed-in user in the request context. A session that has
// been idle too long, outlived its lifetime, or belongs to a user who was
// disabled or whose password or role changed since is destroyed. The clock is
// the server's own, so tests can move time.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		now := s.now()
		seen := time.Unix(s.sessions.GetInt64(ctx, sessSeenAt), 0)
		authAt := time.Unix(s.sessions.GetInt64(ctx, sessAuthAt), 0)
		if now.Sub(seen) > IdleTimeout || now.Sub(authAt) > Lifetime {
			s.endSession(w, r, noticeExpired)
			return
		}
		u, err := s.users().ByID(ctx, id)
		if errors.Is(err, partnership.ErrNotFound) || err == nil && (!u.Active || u.SessionEpoch != s.sessions.GetInt(ctx, sessEpoch)) {
			s.endSession(w, r, noticeEnded)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if now.Sub(seen) >= seenEvery {
			s.sessions.Put(ctx, sessSeenAt, now.Unix())
		}
		if info, ok := ctx.Value(logInfoKey).(*logInfo); ok {
			info.userID = u.ID
		}
		ctx = context.WithValue(ctx, userKey, &u)
		ctx = context.WithValue(ctx, actorKey, partnership.ActorOf(u, s.clientIP(r)))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// endSession destroys the session and sends the browser to the login page
// with a notice.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, notice string) {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.redirectToLogin(w, r, notice)
}

func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request, notice string) {
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		q.Set("next", r.URL.RequestURI())
	}
	if notice != "" {
		q.Set("notice", notice)
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// currentUser is the signed-in user, or nil.
func currentUser(r *http.Request) *partnership.User {
	u, _ := r.Context().Value(userKey).(*partnership.User)
	return u
}

// actorOf is who acts in a request: the signed-in user from the client's
// address, built once per request by loadUser. Use cases take it as a value.
func actorOf(r *http.Request) partnership.Actor {
	a, _ := r.Context().Value(actorKey).(partnership.Actor)
	return a
}

// requireRole is the policy of a route group: anonymous callers are sent to
// the login page, signed-in users of another role get 403.
func (s *Server) requireRole(roles ...partnership.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := currentUser(r)
			if u == nil {
				s.redirectToLogin(w, r, "")
				return
			}
			if !slices.Contains(roles, u.Role) {
				s.renderError(w, r, http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// safeNext is the post-login destination: a local path (see localPath),
// otherwise the start page.
func safeNext(next string) string {
	if p := localPath(next); p != "" {
		return p
	}
	return "/"
}

// flash stores a message for the next page shown.
func (s *Server) flash(r *http.Request, msg string) { s.sessions.Put(r.Context(), sessFlash, msg) }
