package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// agreementHistoryLimit is how many audit events the agreement page shows.
const agreementHistoryLimit = 200

func agreementPath(id int64) string { return "/agreements/" + strconv.FormatInt(id, 10) }

// agreementToday is the calendar day in Sweden, which decides whether an
// agreement has ended and what needs attention.
func (s *Server) agreementToday() time.Time {
	return partnership.Today(s.now())
}

// loadAgreement reads the whole agreement of the route, which agreementID
// has checked the user may see.
func (s *Server) loadAgreement(r *http.Request) (partnership.Agreement, error) {
	id, err := s.agreementID(r)
	if err != nil {
		return partnership.Agreement{}, err
	}
	return postgres.NewAgreements(s.db.Pool).ByID(r.Context(), id)
}

// formVersion is the agreement version a form was based on; a missing or
// malformed one never matches, so the change is refused as a conflict.
func formVersion(r *http.Request) int {
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil {
		return 0
	}
	return v
}

// staleForm reports whether the form was based on another version than
// the current one. If so, the form's version becomes the current one, so
// that the form shown again with the user's input (and 409) saves over the
// newer version when the user sends it again.
func staleForm(r *http.Request, current partnership.Agreement, values map[string]string) bool {
	if formVersion(r) == current.Version {
		return false
	}
	values["version"] = strconv.Itoa(current.Version)
	return true
}

// agreementEvent is the audit event of a change to an agreement.
func (s *Server) agreementEvent(r *http.Request, action string, id int64, details map[string]any) partnership.AuditEvent {
	return actorOf(r).Event(action, "agreement", strconv.FormatInt(id, 10), details)
}

// changeAgreement is the one way an existing agreement changes: in one
// transaction it reads the agreement, refuses with partnership.ErrConflict
// when it is no longer at the version the user's form was based on, applies
// change, saves (the store checks the version again) and records the audit
// event with the details change returns. When change returns no details
// and no error, nothing changed and nothing is saved.
func (s *Server) changeAgreement(r *http.Request, id int64, version int, action string,
	change func(a *partnership.Agreement) (map[string]any, error)) (partnership.Agreement, error) {
	ctx := r.Context()
	var saved partnership.Agreement
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewAgreements(tx)
		a, err := store.ByID(ctx, id)
		if err != nil {
			return err
		}
		if a.Version != version {
			return fmt.Errorf("agreement %d is at version %d, the form at %d: %w", id, a.Version, version, partnership.ErrConflict)
		}
		details, err := change(&a)
		if err != nil || details == nil {
			saved = a
			return err
		}
		if saved, err = store.Update(ctx, a); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, s.agreementEvent(r, action, id, details))
	})
	return saved, err
}

// isConflict reports whether err is a version conflict, which is shown on
// the form with the user's input kept rather than as an error page.
func isConflict(err error) bool { return errors.Is(err, partnership.ErrConflict) }

// finishAgreementChange answers a form that changed an agreement through
// changeAgreement. On a conflict the form is shown again (409) carrying the
// current version, so that sending it again saves over the newer one; on a
// validation error it is shown again (422) with the errors added to verr;
// otherwise the browser goes to the agreement with the flash message done().
func (s *Server) finishAgreementChange(w http.ResponseWriter, r *http.Request, id int64, err error,
	values map[string]string, verr partnership.ValidationError, show func(status int, conflict bool), done func() string) {
	switch {
	case isConflict(err):
		version, cerr := s.currentVersion(r.Context(), id)
		if cerr != nil {
			s.fail(w, r, cerr)
			return
		}
		values["version"] = version
		show(http.StatusConflict, true)
	case err != nil:
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
		show(http.StatusUnprocessableEntity, false)
	default:
		s.flash(r, done())
		http.Redirect(w, r, agreementPath(id), http.StatusSeeOther)
	}
}

// currentVersion is the agreement's version now, so that a form shown again
// after a conflict saves over what is stored if the user sends it again.
func (s *Server) currentVersion(ctx context.Context, id int64) (string, error) {
	a, err := postgres.NewAgreements(s.db.Pool).ByID(ctx, id)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(a.Version), nil
}

func (s *Server) handleAgreementShow(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderAgreement(w, r, http.StatusOK, a, nil, false)
}

// renderAgreement shows the agreement page, with the mandatory items still
// missing after a refused activation, or a conflict notice.
func (s *Server) renderAgreement(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, missing []string, conflict bool) {
	history, err := postgres.NewAudit(s.db.Pool).History(r.Context(), "agreement", strconv.FormatInt(a.ID, 10), agreementHistoryLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := agreementVM(a, s.agreementToday(), currentUser(r).Role.CanEditAgreements())
	vm.Base = s.base(r, a.Title)
	vm.Missing = missing
	vm.Conflict = conflict
	vm.History = agreementHistory(history)
	if vm.Progress, err = s.agreementProgress(r.Context(), a, r.URL.Query(), currentUser(r).Role); err != nil {
		s.fail(w, r, err)
		return
	}
	if vm.Participants, err = s.participantCounts(r.Context(), actorOf(r), a, s.agreementToday()); err != nil {
		s.fail(w, r, err)
		return
	}
	// Viewers see the counts but no participant record.
	vm.Participants.Link = currentUser(r).Role != partnership.RoleViewer
	if vm.Meetings, err = s.meetingRequirements(r, a.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, templates.AgreementPage(vm))
}
