package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

func contactPath(orgID, contactID int64) string {
	return organisationPath(orgID) + "/contacts/" + strconv.FormatInt(contactID, 10)
}

// contactTarget reads {id} and {contactID} and loads the organisation and,
// when the route names one, its contact. A contact of another organisation
// is not found.
func (s *Server) contactTarget(r *http.Request) (partnership.Organisation, partnership.Contact, error) {
	org, err := s.routeOrganisation(r)
	if err != nil {
		return partnership.Organisation{}, partnership.Contact{}, err
	}
	if chi.URLParam(r, "contactID") == "" {
		return org, partnership.Contact{}, nil
	}
	contactID, err := urlID(r, "contactID")
	if err != nil {
		return partnership.Organisation{}, partnership.Contact{}, err
	}
	c, err := postgres.NewOrganisationContacts(s.db.Pool).ByID(r.Context(), org.ID, contactID)
	return org, c, err
}

// renderContactForm shows the contact form, with 422 when a field failed.
func (s *Server) renderContactForm(w http.ResponseWriter, r *http.Request, org partnership.Organisation, contactID int64, values, errs map[string]string) {
	vm := templates.ContactFormVM{
		ContactID: contactID, OrganisationName: org.Name, Cancel: organisationPath(org.ID),
		Form: templates.Form{Values: values, Errors: errs},
	}
	if contactID == 0 {
		vm.Heading, vm.Action = "Ny kontaktperson", organisationPath(org.ID)+"/contacts"
	} else {
		vm.Heading, vm.Action = "Ändra kontaktperson", contactPath(org.ID, contactID)
	}
	vm.Base = s.base(r, vm.Heading+" – "+org.Name)
	s.render(w, r, formStatus(vm.Form), templates.ContactFormPage(vm))
}

// parseContactForm reads the submitted contact, trimmed, with the values as typed.
func parseContactForm(r *http.Request) (partnership.Contact, map[string]string) {
	values := postedValues(r, "name", "title", "email", "phone")
	c := partnership.Contact{Name: values["name"], Title: values["title"], Email: values["email"], Phone: values["phone"]}
	return c.Normalize(), values
}

func contactDetails(c partnership.Contact) map[string]any {
	return map[string]any{"contact_id": c.ID, "name": c.Name}
}

func (s *Server) handleOrganisationContactNew(w http.ResponseWriter, r *http.Request) {
	org, _, err := s.contactTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderContactForm(w, r, org, 0, map[string]string{}, nil)
}

func (s *Server) handleOrganisationContactCreate(w http.ResponseWriter, r *http.Request) {
	org, _, err := s.contactTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveContact(w, r, org, 0)
}

func (s *Server) handleOrganisationContactEdit(w http.ResponseWriter, r *http.Request) {
	org, c, err := s.contactTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{"name": c.Name, "title": c.Title, "email": c.Email, "phone": c.Phone}
	s.renderContactForm(w, r, org, c.ID, values, nil)
}

func (s *Server) handleOrganisationContactUpdate(w http.ResponseWriter, r *http.Request) {
	org, c, err := s.contactTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveContact(w, r, org, c.ID)
}

// saveContact adds a contact person to org (contactID 0) or changes one
// from the submitted form, audited in the same transaction.
func (s *Server) saveContact(w http.ResponseWriter, r *http.Request, org partnership.Organisation, contactID int64) {
	c, values := parseContactForm(r)
	c.ID, c.OrganisationID = contactID, org.ID
	action, done := "organisation.contact.create", "Kontaktpersonen %s lades till."
	if contactID != 0 {
		action, done = "organisation.contact.update", "Ändringarna av kontaktpersonen %s sparades."
	}
	var saved partnership.Contact
	err := c.Validate()
	if err == nil {
		err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
			store := postgres.NewOrganisationContacts(tx)
			var err error
			if contactID == 0 {
				saved, err = store.Create(r.Context(), c)
			} else {
				saved, err = store.Update(r.Context(), c)
			}
			if err != nil {
				return err
			}
			return s.auditOrganisation(r.Context(), tx, r, action, org.ID, contactDetails(saved))
		})
	}
	var verr partnership.ValidationError
	switch {
	case errors.As(err, &verr):
		s.renderContactForm(w, r, org, contactID, values, verr)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.flash(r, fmt.Sprintf(done, saved.Name))
		http.Redirect(w, r, organisationPath(org.ID), http.StatusSeeOther)
	}
}

func (s *Server) handleOrganisationContactDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	org, c, err := s.contactTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.ConfirmPage(templates.ConfirmVM{
		Base:    s.base(r, "Ta bort kontaktperson"),
		Heading: "Ta bort kontaktperson",
		Text:    fmt.Sprintf("Vill du ta bort %s som kontaktperson för %s? Uppgifterna om kontaktpersonen raderas.", c.Name, org.Name),
		Action:  contactPath(org.ID, c.ID) + "/delete", Confirm: "Ta bort kontaktperson", Cancel: organisationPath(org.ID),
	}))
}

func (s *Server) handleOrganisationContactDelete(w http.ResponseWriter, r *http.Request) {
	org, c, err := s.contactTarget(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var deleted partnership.Contact
	err = s.db.InTx(r.Context(), func(tx pgx.Tx) error {
		var err error
		if deleted, err = postgres.NewOrganisationContacts(tx).Delete(r.Context(), org.ID, c.ID); err != nil {
			return err
		}
		return s.auditOrganisation(r.Context(), tx, r, "organisation.contact.delete", org.ID, contactDetails(deleted))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Kontaktpersonen %s togs bort.", deleted.Name))
	http.Redirect(w, r, organisationPath(org.ID), http.StatusSeeOther)
}
