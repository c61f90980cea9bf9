package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// organisationFields are the organisation's fields on its form, in form
// order; the form also carries the version it was based on.
var organisationFields = []string{"name", "org_number", "kind", "postal_address", "invoice_address"}

// organisationFormVM builds the form's view model around the values.
func (s *Server) organisationFormVM(r *http.Request, id int64, heading string, values, errs map[string]string) templates.OrganisationFormVM {
	vm := templates.OrganisationFormVM{
		Base: s.base(r, heading), ID: id, Heading: heading,
		Form:  templates.Form{Values: values, Errors: errs},
		Kinds: []templates.Option{{Value: "", Label: "Välj typ"}},
	}
	for _, k := range partnership.OrgKinds {
		vm.Kinds = append(vm.Kinds, templates.Option{Value: string(k), Label: k.Label(), Selected: values["kind"] == string(k)})
	}
	if id == 0 {
		vm.Action, vm.Cancel = "/organisations", "/organisations"
	} else {
		vm.Action, vm.Cancel = organisationPath(id), organisationPath(id)
	}
	return vm
}

// renderOrganisationForm shows the form: 422 when a field failed, 409 when
// the edit collided with another, 200 otherwise.
func (s *Server) renderOrganisationForm(w http.ResponseWriter, r *http.Request, vm templates.OrganisationFormVM) {
	status := formStatus(vm.Form)
	if vm.Conflict != nil {
		status = http.StatusConflict
	}
	s.render(w, r, status, templates.OrganisationFormPage(vm))
}

// organisationValues are the form values of a stored organisation.
func organisationValues(o partnership.Organisation) map[string]string {
	return map[string]string{
		"name": o.Name, "org_number": o.OrgNumber.String(), "kind": string(o.Kind),
		"postal_address": o.PostalAddress, "invoice_address": o.InvoiceAddress,
		"version": strconv.Itoa(o.Version),
	}
}

// parseOrganisationForm reads the submitted organisation; the values are
// kept as typed for re-rendering.
func parseOrganisationForm(r *http.Request) (partnership.Organisation, map[string]string, error) {
	values := postedValues(r, organisationFields...)
	values["version"] = r.PostForm.Get("version")
	o, err := partnership.OrganisationInput{
		Name: values["name"], OrgNumber: values["org_number"], Kind: values["kind"],
		PostalAddress: values["postal_address"], InvoiceAddress: values["invoice_address"],
	}.Organisation()
	return o, values, err
}

func (s *Server) handleOrganisationNew(w http.ResponseWriter, r *http.Request) {
	s.renderOrganisationForm(w, r, s.organisationFormVM(r, 0, "Ny organisation", map[string]string{}, nil))
}

func (s *Server) handleOrganisationCreate(w http.ResponseWriter, r *http.Request) {
	o, values, err := parseOrganisationForm(r)
	var created partnership.Organisation
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
			var err error
			if created, err = postgres.NewOrganisations(tx).Create(r.Context(), o); err != nil {
				return err
			}
			return s.auditOrganisation(r.Context(), tx, r, "organisation.create", created.ID, organisationDetails(created))
		})
	}
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &verr):
		s.renderOrganisationForm(w, r, s.organisationFormVM(r, 0, "Ny organisation", values, verr))
	case err != nil:
		s.fail(w, r, err)
	default:
		s.flash(r, fmt.Sprintf("Organisationen %s skapades.", created.Name))
		http.Redirect(w, r, organisationPath(created.ID), http.StatusSeeOther)
	}
}

func (s *Server) handleOrganisationEdit(w http.ResponseWriter, r *http.Request) {
	o, err := s.routeOrganisation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderOrganisationForm(w, r, s.organisationFormVM(r, o.ID, "Ändra "+o.Name, organisationValues(o), nil))
}

func (s *Server) handleOrganisationUpdate(w http.ResponseWriter, r *http.Request) {
	current, err := s.routeOrganisation(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := current.ID
	heading := "Ändra " + current.Name
	o, values, err := parseOrganisationForm(r)
	var updated partnership.Organisation
	if err == nil {
		o.ID = id
		// A missing or garbled version cannot match a stored one: a conflict.
		o.Version, _ = strconv.Atoi(values["version"])
		err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
			var err error
			if updated, err = postgres.NewOrganisations(tx).Update(r.Context(), o); err != nil {
				return err
			}
			details := organisationDetails(updated)
			details["changed"] = changedFields(organisationFields, organisationValues(current), organisationValues(updated))
			return s.auditOrganisation(r.Context(), tx, r, "organisation.update", id, details)
		})
	}
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &verr):
		s.renderOrganisationForm(w, r, s.organisationFormVM(r, id, heading, values, verr))
	case errors.Is(err, partnership.ErrConflict):
		s.renderOrganisationConflict(w, r, id, heading, values)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.flash(r, fmt.Sprintf("Ändringarna av %s sparades.", updated.Name))
		http.Redirect(w, r, organisationPath(id), http.StatusSeeOther)
	}
}

// renderOrganisationConflict shows the user's input beside what is saved now,
// with the saved version in the form, so that saving again is a deliberate
// choice to overwrite.
func (s *Server) renderOrganisationConflict(w http.ResponseWriter, r *http.Request, id int64, heading string, values map[string]string) {
	saved, err := s.organisations().ByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values["version"] = strconv.Itoa(saved.Version)
	vm := s.organisationFormVM(r, id, heading, values, nil)
	vm.Conflict = &templates.OrganisationSnapshot{
		Name: saved.Name, OrgNumber: saved.OrgNumber.String(), Kind: saved.Kind.Label(),
		PostalAddress: addressLines(saved.PostalAddress), InvoiceAddress: addressLines(saved.InvoiceAddress),
	}
	s.renderOrganisationForm(w, r, vm)
}

// organisationDetails is what the audit log keeps of an organisation.
func organisationDetails(o partnership.Organisation) map[string]any {
	return map[string]any{
		"name": o.Name, "org_number": string(o.OrgNumber), "kind": string(o.Kind), "version": o.Version,
	}
}
