package server

import (
	"net/http"

	"iop/internal/postgres"
)

// agreementID reads the {id} of an agreement route and checks that the
// signed-in user may see that agreement. It is the one place where
// association staff are scoped to their organisation's agreements: every
// route under /agreements/{id} goes through it, and anything not visible is
// partnership.ErrNotFound (404), whether it exists or not.
func (s *Server) agreementID(r *http.Request) (int64, error) {
	id, err := idParam(r)
	if err != nil {
		return 0, err
	}
	if err := postgres.AgreementVisible(r.Context(), s.db.Pool, id, *currentUser(r)); err != nil {
		return 0, err
	}
	return id, nil
}
