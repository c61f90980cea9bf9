package server

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// activityTypesPath is the page of an agreement's activity types and targets.
func activityTypesPath(agreementID int64) string {
	return agreementPath(agreementID) + "/activity-types"
}

// activityTypes is the activity type store on the pool.
func (s *Server) activityTypes() *postgres.ActivityTypes { return postgres.NewActivityTypes(s.db.Pool) }

// loadActivityType reads the agreement of the route (which agreementID
// checks the user may see) and its type {typeID}; a type of another
// agreement is not found.
func (s *Server) loadActivityType(r *http.Request) (partnership.Agreement, partnership.ActivityType, error) {
	a, err := s.loadAgreement(r)
	if err != nil {
		return a, partnership.ActivityType{}, err
	}
	typeID, err := urlID(r, "typeID")
	if err != nil {
		return a, partnership.ActivityType{}, err
	}
	t, err := s.activityTypes().Type(r.Context(), a.ID, typeID)
	return a, t, err
}

// activityTypeValues are the type form's values for t.
func activityTypeValues(t partnership.ActivityType) map[string]string {
	optional := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	values := map[string]string{
		"name": t.Name, "unit": string(t.Unit),
		"per_participant_min": optional(t.PerParticipantMin), "per_participant_max": optional(t.PerParticipantMax),
	}
	if t.Active {
		values["active"] = "on"
	}
	return values
}

// parseActivityType reads the type form; the values are kept for showing
// the form again, and every problem is in the returned ValidationError.
func parseActivityType(r *http.Request, agreementID int64) (partnership.ActivityType, map[string]string, partnership.ValidationError) {
	values := map[string]string{}
	for _, f := range []string{"name", "unit", "per_participant_min", "per_participant_max", "active"} {
		values[f] = r.PostForm.Get(f)
	}
	verr := partnership.ValidationError{}
	t := partnership.ActivityType{
		AgreementID: agreementID, Name: strings.TrimSpace(values["name"]), Unit: partnership.ActivityUnit(values["unit"]),
		PerParticipantMin: formInt(values, "per_participant_min", verr),
		PerParticipantMax: formInt(values, "per_participant_max", verr),
		Active:            values["active"] == "on",
	}
	validationOf(verr, t.Validate())
	return t, values, verr
}

// activityTypeDetails are what an audit event of a type records.
func activityTypeDetails(t partnership.ActivityType) map[string]any {
	d := map[string]any{"activity_type": t.Name, "activity_type_id": t.ID, "unit": string(t.Unit), "active": t.Active}
	if t.PerParticipantMin != nil {
		d["per_participant"] = perParticipant(t)
	}
	return d
}

// perParticipant shows a type's target per participant: "2", "2–3" or "".
func perParticipant(t partnership.ActivityType) string {
	if t.PerParticipantMin == nil {
		return ""
	}
	s := strconv.Itoa(*t.PerParticipantMin)
	if t.PerParticipantMax != nil && *t.PerParticipantMax != *t.PerParticipantMin {
		s += "–" + strconv.Itoa(*t.PerParticipantMax)
	}
	return s
}

// saveActivityType runs change on the type store in a transaction and
// records the audit event action for the type it returns.
func (s *Server) saveActivityType(r *http.Request, agreementID int64, action string,
	change func(ctx context.Context, store *postgres.ActivityTypes) (partnership.ActivityType, error)) (partnership.ActivityType, error) {
	ctx := r.Context()
	var saved partnership.ActivityType
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if saved, err = change(ctx, postgres.NewActivityTypes(tx)); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, s.agreementEvent(r, action, agreementID, activityTypeDetails(saved)))
	})
	return saved, err
}

// renderActivityTypeForm shows the type form, with 422 when it has errors.
func (s *Server) renderActivityTypeForm(w http.ResponseWriter, r *http.Request, a partnership.Agreement, typeID int64, form templates.Form) {
	title := "Ny aktivitetstyp"
	if typeID != 0 {
		title = "Ändra aktivitetstyp"
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, templates.ActivityTypeFormPage(templates.ActivityTypeFormVM{
		Base: s.base(r, title), AgreementID: a.ID, AgreementTitle: a.Title, TypeID: typeID, Form: form,
	}))
}

func (s *Server) handleActivityTypeNew(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivityTypeForm(w, r, a, 0, templates.Form{Values: map[string]string{"unit": string(partnership.UnitOccasions)}})
}

func (s *Server) handleActivityTypeCreate(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, values, verr := parseActivityType(r, a.ID)
	t.Active = true
	var created partnership.ActivityType
	if len(verr) == 0 {
		created, err = s.saveActivityType(r, a.ID, "activity_type.create",
			func(ctx context.Context, store *postgres.ActivityTypes) (partnership.ActivityType, error) {
				return store.CreateType(ctx, t)
			})
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderActivityTypeForm(w, r, a, 0, templates.Form{Values: values, Errors: verr})
		return
	}
	s.flash(r, fmt.Sprintf("Aktivitetstypen %s skapades. Sätt gärna ett mål för den.", created.Name))
	http.Redirect(w, r, activityTypesPath(a.ID), http.StatusSeeOther)
}

func (s *Server) handleActivityTypeEdit(w http.ResponseWriter, r *http.Request) {
	a, t, err := s.loadActivityType(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivityTypeForm(w, r, a, t.ID, templates.Form{Values: activityTypeValues(t)})
}

func (s *Server) handleActivityTypeUpdate(w http.ResponseWriter, r *http.Request) {
	a, current, err := s.loadActivityType(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, values, verr := parseActivityType(r, a.ID)
	t.ID, t.Position = current.ID, current.Position
	var updated partnership.ActivityType
	if len(verr) == 0 {
		updated, err = s.saveActivityType(r, a.ID, "activity_type.update",
			func(ctx context.Context, store *postgres.ActivityTypes) (partnership.ActivityType, error) {
				return store.UpdateType(ctx, t)
			})
	}
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderActivityTypeForm(w, r, a, current.ID, templates.Form{Values: values, Errors: verr})
		return
	}
	msg := fmt.Sprintf("Ändringarna av %s sparades.", updated.Name)
	if current.Active && !updated.Active {
		msg = fmt.Sprintf("Aktivitetstypen %s är avaktiverad.", updated.Name)
	}
	s.flash(r, msg)
	http.Redirect(w, r, activityTypesPath(a.ID), http.StatusSeeOther)
}

// typeHasActivities reports whether any activity of the type is logged.
func (s *Server) typeHasActivities(ctx context.Context, agreementID, typeID int64) (bool, error) {
	done, err := postgres.NewActivities(s.db.Pool).Done(ctx, agreementID, partnership.MinActivityYear, partnership.MaxActivityYear)
	if err != nil {
		return false, err
	}
	for _, d := range done {
		if d.TypeID == typeID && d.Done > 0 {
			return true, nil
		}
	}
	return false, nil
}

// renderActivityTypeDelete asks before deleting a type, or explains that a
// type with activities is deactivated instead.
func (s *Server) renderActivityTypeDelete(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, t partnership.ActivityType, hasActivities bool) {
	s.render(w, r, status, templates.ActivityTypeDeletePage(templates.ActivityTypeDeleteVM{
		Base: s.base(r, "Ta bort aktivitetstyp"), AgreementID: a.ID, TypeID: t.ID, TypeName: t.Name,
		HasActivities: hasActivities, Active: t.Active, Values: activityTypeValues(t),
	}))
}

func (s *Server) handleActivityTypeDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, t, err := s.loadActivityType(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	has, err := s.typeHasActivities(r.Context(), a.ID, t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivityTypeDelete(w, r, http.StatusOK, a, t, has)
}

func (s *Server) handleActivityTypeDelete(w http.ResponseWriter, r *http.Request) {
	a, t, err := s.loadActivityType(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	deleted, err := s.saveActivityType(r, a.ID, "activity_type.delete",
		func(ctx context.Context, store *postgres.ActivityTypes) (partnership.ActivityType, error) {
			return store.DeleteType(ctx, a.ID, t.ID)
		})
	switch {
	case isConflict(err):
		// Activities were logged for it: it can only be deactivated.
		s.renderActivityTypeDelete(w, r, http.StatusConflict, a, t, true)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Aktivitetstypen %s togs bort.", deleted.Name))
	http.Redirect(w, r, activityTypesPath(a.ID), http.StatusSeeOther)
}
