package server

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz answers while the process is alive.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n")) //nolint:errcheck // the client went away
}

// handleReadyz answers 200 when the database is reachable, 503 otherwise, so
// that a load balancer sends traffic only to instances that can serve it.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unreachable\n")) //nolint:errcheck // the client went away
		return
	}
	w.Write([]byte("ready\n")) //nolint:errcheck // the client went away
}
