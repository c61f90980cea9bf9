package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// loadEditableActivity reads the activity of the route for a change: one
// the user may not change is not found, so that association staff cannot
// tell another organisation's entries from missing ones. locked reports
// whether its year is locked. It decides which page to show; the service
// checks both again in the transaction of the change.
func (s *Server) loadEditableActivity(r *http.Request) (activityContext, partnership.Activity, bool, error) {
	c, err := s.loadActivityContext(r)
	if err != nil {
		return c, partnership.Activity{}, false, err
	}
	id, err := urlID(r, "activityID")
	if err != nil {
		return c, partnership.Activity{}, false, err
	}
	a, err := postgres.NewActivities(s.db.Pool).ByID(r.Context(), c.agreement.ID, id)
	if err != nil {
		return c, a, false, err
	}
	if !a.EditableBy(*currentUser(r)) {
		return c, a, false, fmt.Errorf("activity %d: %w", id, partnership.ErrNotFound)
	}
	if a.ParticipantIDs, err = postgres.NewActivities(s.db.Pool).ParticipantIDs(r.Context(), a.ID); err != nil {
		return c, a, false, err
	}
	locked, err := postgres.NewYearAmounts(s.db.Pool).YearLocked(r.Context(), c.agreement.ID, a.Date.Year())
	return c, a, locked, err
}

// editForm is the edit form of an activity.
func (c activityContext) editForm(a partnership.Activity, values, errs map[string]string, returnTo string) templates.ActivityFormVM {
	return templates.ActivityFormVM{
		AgreementID: c.agreement.ID, ActivityID: a.ID, Action: activityPath(c.agreement.ID, a.ID),
		Form: templates.Form{Values: values, Errors: errs}, Types: activityTypeOptions(c.types, values["type_id"]),
		Attendees: c.attendeeOptions(values), ReturnTo: returnTo, Version: values["version"],
	}
}

// renderActivityLocked tells that the entry's year is locked (409).
func (s *Server) renderActivityLocked(w http.ResponseWriter, r *http.Request, c activityContext, a partnership.Activity, form templates.ActivityFormVM) {
	s.renderActivityFormPage(w, r, http.StatusConflict, c, "Ändra aktivitet", form, func(vm *templates.ActivityFormPageVM) {
		vm.Locked = partnership.MsgActivityYearLocked(a.Date.Year())
	})
}

func (s *Server) handleActivityEdit(w http.ResponseWriter, r *http.Request) {
	c, a, locked, err := s.loadEditableActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := activityValues(a)
	if err := s.withAttendees(r.Context(), &c, values); err != nil {
		s.fail(w, r, err)
		return
	}
	form := c.editForm(a, values, nil, localPath(r.URL.Query().Get("return_to")))
	if locked {
		s.renderActivityLocked(w, r, c, a, form)
		return
	}
	s.renderActivityFormPage(w, r, http.StatusOK, c, "Ändra aktivitet", form, nil)
}

// handleActivityUpdate saves an edit. An edit based on an older version is
// shown again with the user's input and 409, carrying the current version,
// so that sending it again saves over the other change.
func (s *Server) handleActivityUpdate(w http.ResponseWriter, r *http.Request) {
	c, current, locked, err := s.loadEditableActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	a, values, verr := parseActivityForm(r.PostForm, c.today)
	values["version"] = r.PostForm.Get("version")
	returnTo := localPath(r.PostForm.Get("return_to"))
	form := func(errs map[string]string) templates.ActivityFormVM {
		return c.editForm(current, values, errs, returnTo)
	}
	a.ID = current.ID
	a.Version, _ = strconv.Atoi(values["version"])
	var updated partnership.Activity
	if !locked && len(verr) == 0 {
		updated, err = s.activities.Update(ctx, actorOf(r), c.agreement.ID, a)
	}
	if locked || err != nil || len(verr) > 0 {
		// Whichever way the form is shown again, it lists the choices of
		// the date entered.
		if aerr := s.withAttendees(ctx, &c, values); aerr != nil {
			s.fail(w, r, aerr)
			return
		}
	}
	switch {
	case locked || errors.Is(err, partnership.ErrYearLocked): // the latter: locked since the entry was read
		s.renderActivityLocked(w, r, c, current, form(nil))
	case isConflict(err):
		now, ferr := postgres.NewActivities(s.db.Pool).ByID(ctx, c.agreement.ID, current.ID)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		values["version"] = strconv.Itoa(now.Version)
		s.renderActivityFormPage(w, r, http.StatusConflict, c, "Ändra aktivitet", form(nil), func(vm *templates.ActivityFormPageVM) {
			vm.Conflict = true
		})
	case !validationOf(verr, err):
		s.fail(w, r, err)
	case len(verr) > 0:
		s.renderActivityFormPage(w, r, http.StatusUnprocessableEntity, c, "Ändra aktivitet", form(verr), nil)
	default:
		s.flash(r, fmt.Sprintf("Ändringarna av %s %s sparades.", updated.TypeName, updated.Date.Format(time.DateOnly)))
		http.Redirect(w, r, backTo(c.agreement.ID, returnTo), http.StatusSeeOther)
	}
}

func (s *Server) handleActivityDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	c, a, locked, err := s.loadEditableActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	returnTo := localPath(r.URL.Query().Get("return_to"))
	if locked {
		s.renderActivityLocked(w, r, c, a, c.editForm(a, activityValues(a), nil, returnTo))
		return
	}
	action := withReturnTo(activityPath(c.agreement.ID, a.ID)+"/delete", returnTo)
	s.render(w, r, http.StatusOK, templates.ConfirmPage(templates.ConfirmVM{
		Base: s.base(r, "Ta bort aktivitet"), Heading: "Ta bort aktivitet",
		Text: fmt.Sprintf("Vill du ta bort %s den %s (%s timmar, %d deltagare) från %s? Aktiviteten raderas och räknas inte längre mot målen.",
			a.TypeName, a.Date.Format(time.DateOnly), partnership.FormatHours(int64(a.DurationMinutes)), a.Attendance(), c.agreement.Title),
		Action: action, Confirm: "Ta bort aktivitet", Cancel: backTo(c.agreement.ID, returnTo),
	}))
}

// handleActivityDelete deletes the entry; the service refuses when its year
// is locked.
func (s *Server) handleActivityDelete(w http.ResponseWriter, r *http.Request) {
	c, a, _, err := s.loadEditableActivity(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	returnTo := localPath(r.URL.Query().Get("return_to"))
	deleted, err := s.activities.Delete(r.Context(), actorOf(r), c.agreement.ID, a.ID)
	if errors.Is(err, partnership.ErrYearLocked) {
		s.renderActivityLocked(w, r, c, a, c.editForm(a, activityValues(a), nil, returnTo))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Aktiviteten %s %s togs bort.", deleted.TypeName, deleted.Date.Format(time.DateOnly)))
	http.Redirect(w, r, backTo(c.agreement.ID, returnTo), http.StatusSeeOther)
}
