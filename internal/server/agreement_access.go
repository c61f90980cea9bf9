package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// agreementID reads the {id} of an agreement route and checks that the
// signed-in user may see that agreement. It is the one place where
// association staff are scoped to their organisation's agreements: every
// route under /agreements/{id} goes through it, and anything not visible is
// partnership.ErrNotFound (404), whether it exists or not.
func (s *Server) agreementID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, partnership.ErrNotFound
	}
	if err := postgres.AgreementVisible(r.Context(), s.db.Pool, id, *currentUser(r)); err != nil {
		return 0, err
	}
	return id, nil
}
