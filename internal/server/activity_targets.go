package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

func (s *Server) handleActivityTypeList(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderActivityTypes(w, r, http.StatusOK, a, 0, templates.Form{})
}

// renderActivityTypes shows the types with their targets per year and the
// volunteer work; targetFor and form are a target form sent with errors.
func (s *Server) renderActivityTypes(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement,
	targetFor int64, form templates.Form) {
	vm, err := s.activityTypesVM(r.Context(), a, currentUser(r).Role)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm.Base = s.base(r, "Aktivitetstyper och mål – "+a.Title)
	vm.TargetFor, vm.TargetForm = targetFor, form
	s.render(w, r, status, templates.ActivityTypesPage(vm))
}

// activityTypesVM shapes the types page: the targets of every year the
// agreement runs, with the target form set to the default progress year.
func (s *Server) activityTypesVM(ctx context.Context, a partnership.Agreement, role partnership.Role) (templates.ActivityTypesVM, error) {
	types, err := s.activityTypes().Types(ctx, a.ID)
	if err != nil {
		return templates.ActivityTypesVM{}, err
	}
	today := s.agreementToday()
	year := defaultProgressYear(a, today)
	vm := templates.ActivityTypesVM{AgreementID: a.ID, AgreementTitle: a.Title, CanEdit: role.CanEditAgreements()}
	targets := map[int]map[int64]partnership.Target{}
	for _, o := range progressYearOptions(a, today, year) {
		y, _ := strconv.Atoi(o.Value)
		list, err := s.activityTypes().Targets(ctx, a.ID, y)
		if err != nil {
			return templates.ActivityTypesVM{}, err
		}
		targets[y] = map[int64]partnership.Target{}
		for _, t := range list {
			targets[y][t.TypeID] = t
		}
		vm.Years = append(vm.Years, o.Value)
	}
	for _, t := range types {
		row := templates.ActivityTypeRow{
			ID: t.ID, Name: t.Name, Unit: t.Unit.Label(), PerParticipant: perParticipant(t), Active: t.Active,
			DefaultYear: strconv.Itoa(year),
		}
		for _, y := range vm.Years {
			n, _ := strconv.Atoi(y)
			target, ok := targets[n][t.ID]
			cell := ""
			if ok {
				cell = target.String()
			}
			row.Targets = append(row.Targets, cell)
			if n == year {
				row.DefaultTarget = cell
			}
		}
		vm.Types = append(vm.Types, row)
	}
	if vm.Volunteer, err = s.volunteerVM(ctx, a, role, year); err != nil {
		return templates.ActivityTypesVM{}, err
	}
	return vm, nil
}

// parseTargetForm reads the target form: a year and a target, where an
// empty target means that the year's target is removed (remove is true).
func parseTargetForm(r *http.Request, a partnership.Agreement, typeID int64) (partnership.Target, bool, map[string]string, partnership.ValidationError) {
	values := map[string]string{"year": strings.TrimSpace(r.PostForm.Get("year")), "target": r.PostForm.Get("target")}
	verr := partnership.ValidationError{}
	t := partnership.Target{AgreementID: a.ID, TypeID: typeID}
	year, err := strconv.Atoi(values["year"])
	if err != nil {
		verr.Add("year", "Ange året med fyra siffror, till exempel 2026.")
	}
	t.Year = year
	remove := strings.TrimSpace(values["target"]) == ""
	if !remove {
		lo, hi, err := partnership.ParseTarget(values["target"])
		validationOf(verr, err)
		t.Min, t.Max = lo, hi
	}
	if len(verr) == 0 {
		validationOf(verr, t.Validate())
	}
	return t, remove, values, verr
}

// errNoTarget means an empty target was sent for a year that had none:
// nothing changes.
var errNoTarget = errors.New("no target to remove")

func (s *Server) handleActivityTargetSet(w http.ResponseWriter, r *http.Request) {
	a, typ, err := s.loadActivityType(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	target, remove, values, verr := parseTargetForm(r, a, typ.ID)
	if len(verr) > 0 {
		s.renderActivityTypes(w, r, http.StatusUnprocessableEntity, a, typ.ID, templates.Form{Values: values, Errors: verr})
		return
	}
	ctx := r.Context()
	err = s.db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewActivityTypes(tx)
		details := map[string]any{"activity_type": typ.Name, "activity_type_id": typ.ID, "year": target.Year}
		action := "activity_target.set"
		if remove {
			action = "activity_target.delete"
			if err := store.DeleteTarget(ctx, a.ID, typ.ID, target.Year); err != nil {
				if errors.Is(err, partnership.ErrNotFound) {
					return errNoTarget
				}
				return err
			}
		} else {
			if err := store.SetTarget(ctx, target); err != nil {
				return err
			}
			details["target"] = target.String()
		}
		return postgres.NewAudit(tx).Record(ctx, s.agreementEvent(r, action, a.ID, details))
	})
	switch {
	case errors.Is(err, errNoTarget):
		s.flash(r, fmt.Sprintf("%s hade inget mål för %d.", typ.Name, target.Year))
	case err != nil:
		s.fail(w, r, err)
		return
	case remove:
		s.flash(r, fmt.Sprintf("Målet för %s %d togs bort.", typ.Name, target.Year))
	default:
		s.flash(r, fmt.Sprintf("Målet för %s %d är nu %s.", typ.Name, target.Year, target.String()))
	}
	http.Redirect(w, r, activityTypesPath(a.ID), http.StatusSeeOther)
}
