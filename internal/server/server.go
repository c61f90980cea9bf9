// Package server is the web interface: the chi router with every URL in one
// place (routes.go), the middleware, one handler file per aggregate, the
// render helpers and the one error funnel.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"

	"iop/internal/activity"
	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/meeting"
	"iop/internal/participant"
	"iop/internal/plan"
	"iop/internal/postgres"
	"iop/internal/privacy"
	"iop/internal/reportexport"
	"iop/web"
)

// Session lifetimes: a session ends after IdleTimeout without a request, and
// after Lifetime in any case.
const (
	IdleTimeout = 30 * time.Minute
	Lifetime    = 8 * time.Hour
)

// Server holds the dependencies of the handlers.
type Server struct {
	cfg        config.Config
	db         *postgres.DB
	auth       *auth.Service
	activities *activity.Service
	meetings   *meeting.Service
	// participants holds the participant register; identities are sealed
	// with the keyring of Deps.
	participants *participant.Service
	// plans holds the IUP goals and the step-model assessments.
	plans    *plan.Service
	sessions *scs.SessionManager
	assets   *web.Assets
	log      *slog.Logger
	now      func() time.Time
	handler  http.Handler
	// metrics counts requests per route for /metrics.
	metrics *requestMetrics
	// printer prints the annual reports to PDF with one headless chromium,
	// started on the first print; Close stops it.
	printer *reportexport.Printer
	// totp is the second factor of password logins; oidc the
	// municipality's identity provider, nil when not configured.
	totp *auth.TOTP
	oidc *auth.OIDC
}

// Deps are what New needs. Now defaults to time.Now; tests inject a clock.
type Deps struct {
	Config config.Config
	DB     *postgres.DB
	Auth   *auth.Service
	Logger *slog.Logger
	Now    func() time.Time
	// Keyring encrypts participants' identities; serve refuses to start
	// without one, so only tests that never touch an identity leave it nil.
	Keyring *privacy.Keyring
	// SessionCleanup is how often expired sessions are deleted; 0 disables it.
	SessionCleanup time.Duration
	// Chromium is the browser that prints PDFs; "" looks for chromium on PATH.
	Chromium string
}

// New builds the server and its router.
func New(d Deps) (*Server, error) {
	assets, err := web.NewAssets()
	if err != nil {
		return nil, err
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(d.DB.Pool, d.SessionCleanup)
	// No IdleTimeout for scs: with one it writes the session to the
	// database on every request. loadUser ends idle sessions itself and
	// records use at most once a minute (seenEvery).
	sm.Lifetime = Lifetime
	sm.HashTokenInStore = true
	sm.Cookie.Name = "iop_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = d.Config.SecureCookies()
	sm.Cookie.Path = "/"

	s := &Server{
		cfg: d.Config, db: d.DB, auth: d.Auth, activities: activity.NewService(d.DB, d.Now),
		participants: participant.NewService(d.DB, d.Keyring, d.Now), plans: plan.NewService(d.DB, d.Now),
		meetings: meeting.NewService(d.DB, d.Now),
		sessions: sm, assets: assets, log: d.Logger, now: d.Now, metrics: newRequestMetrics(),
		printer: reportexport.NewPrinter(d.Chromium),
	}
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.serverError(w, r, err) }
	s.totp, s.oidc = d.Auth.TOTP(d.Keyring), newOIDC(d.Config, d.Now)
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// ListenAndServe serves on addr until ctx is cancelled, then shuts down
// gracefully, letting requests in flight finish for up to 20 seconds.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	defer s.Close()
	return srv.Shutdown(shutdownCtx)
}

// Close stops what the server started besides the HTTP server itself: the
// browser that prints PDFs.
func (s *Server) Close() {
	if s.printer != nil {
		s.printer.Close()
	}
}
