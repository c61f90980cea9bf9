package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"iop/internal/partnership"
	"iop/templates"
)

// partyFormFields are the party form's inputs, with the agreement version it was based on.
var partyFormFields = []string{"version", "organisation_id", "role", "signatory_name", "signatory_title", "signed_on", "representatives", "contribution"}

func partyPath(agreementID, partyID int64) string {
	return agreementPath(agreementID) + "/parties/" + strconv.FormatInt(partyID, 10)
}

// agreementParty reads the agreement of the route and its party {partyID};
// a party of another agreement is not found.
func (s *Server) agreementParty(r *http.Request) (partnership.Agreement, partnership.Party, error) {
	a, err := s.loadAgreement(r)
	if err != nil {
		return a, partnership.Party{}, err
	}
	id, err := urlID(r, "partyID")
	if err != nil {
		return a, partnership.Party{}, err
	}
	p, ok := a.Party(id)
	if !ok {
		return a, p, fmt.Errorf("party %d of agreement %d: %w", id, a.ID, partnership.ErrNotFound)
	}
	return a, p, nil
}

// withClonedParties is a copy of a whose parties can be changed without
// touching a's, for checking a change before it is made.
func withClonedParties(a partnership.Agreement) partnership.Agreement {
	a.Parties = slices.Clone(a.Parties)
	return a
}

func partyValues(p partnership.Party, version int) map[string]string {
	org := ""
	if p.OrganisationID != 0 {
		org = strconv.FormatInt(p.OrganisationID, 10)
	}
	return map[string]string{
		"version": strconv.Itoa(version), "organisation_id": org, "role": string(p.Role),
		"signatory_name": p.SignatoryName, "signatory_title": p.SignatoryTitle, "signed_on": agreementDate(p.SignedOn),
		"representatives": strings.Join(p.Representatives, "\n"), "contribution": p.Contribution,
	}
}

// parsePartyForm reads the party form; representatives are one per line.
func parsePartyForm(r *http.Request) (partnership.Party, map[string]string, partnership.ValidationError) {
	values := postedValues(r, partyFormFields...)
	verr := partnership.ValidationError{}
	p := partnership.Party{
		Role: partnership.PartyRole(values["role"]), SignatoryName: strings.TrimSpace(values["signatory_name"]),
		SignatoryTitle: strings.TrimSpace(values["signatory_title"]), SignedOn: formDate(values, "signed_on", verr),
		Contribution: strings.TrimSpace(values["contribution"]), Representatives: []string{},
	}
	if v := values["organisation_id"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			verr.Add("organisation_id", "Välj en organisation i listan.")
		}
		p.OrganisationID = id
	}
	for _, line := range strings.Split(strings.ReplaceAll(values["representatives"], "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Representatives = append(p.Representatives, line)
		}
	}
	return p, values, verr
}

// partyOrganisation checks that the chosen organisation exists and returns its name.
func (s *Server) partyOrganisation(r *http.Request, p partnership.Party, verr partnership.ValidationError) (string, error) {
	if p.OrganisationID <= 0 {
		return "", nil
	}
	org, err := s.organisations().ByID(r.Context(), p.OrganisationID)
	if errors.Is(err, partnership.ErrNotFound) {
		verr.Add("organisation_id", "Välj en organisation i listan.")
		return "", nil
	}
	return org.Name, err
}

func (s *Server) renderPartyForm(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, partyID int64, form templates.Form, conflict bool) {
	orgs, err := s.organisations().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.AgreementPartyFormVM{
		AgreementID: a.ID, AgreementTitle: a.Title, PartyID: partyID, Form: form, Conflict: conflict,
		Organisations: []templates.Option{{Value: "", Label: "Välj organisation"}},
		Roles:         []templates.Option{{Value: "", Label: "Välj roll"}},
	}
	for _, o := range orgs {
		v := strconv.FormatInt(o.ID, 10)
		vm.Organisations = append(vm.Organisations, templates.Option{
			Value: v, Label: o.Name + " (" + o.Kind.Label() + ")", Selected: form.Value("organisation_id") == v,
		})
	}
	for _, role := range partnership.PartyRoles {
		vm.Roles = append(vm.Roles, templates.Option{Value: string(role), Label: role.Label(), Selected: form.Value("role") == string(role)})
	}
	title := "Lägg till part"
	if partyID != 0 {
		title = "Ändra part"
	}
	vm.Base = s.base(r, title)
	s.render(w, r, status, templates.AgreementPartyFormPage(vm))
}

func (s *Server) handleAgreementPartyNew(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPartyForm(w, r, http.StatusOK, a, 0, templates.Form{Values: partyValues(partnership.Party{}, a.Version)}, false)
}

func (s *Server) handleAgreementPartyEdit(w http.ResponseWriter, r *http.Request) {
	a, p, err := s.agreementParty(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPartyForm(w, r, http.StatusOK, a, p.ID, templates.Form{Values: partyValues(p, a.Version)}, false)
}

func (s *Server) handleAgreementPartyCreate(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveParty(w, r, a, 0)
}

func (s *Server) handleAgreementPartyUpdate(w http.ResponseWriter, r *http.Request) {
	a, p, err := s.agreementParty(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.saveParty(w, r, a, p.ID)
}

// saveParty adds a party (partyID 0) to the agreement of the route, as read
// by the handler, or changes one from the submitted form.
func (s *Server) saveParty(w http.ResponseWriter, r *http.Request, current partnership.Agreement, partyID int64) {
	p, values, verr := parsePartyForm(r)
	p.ID = partyID
	orgName, err := s.partyOrganisation(r, p, verr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	apply := func(a *partnership.Agreement) error {
		if partyID == 0 {
			return a.AddParty(p)
		}
		return a.UpdateParty(p)
	}
	form := templates.Form{Values: values, Errors: verr}
	if staleForm(r, current, values) {
		s.renderPartyForm(w, r, http.StatusConflict, current, partyID, form, true)
		return
	}
	check := withClonedParties(current)
	if err := apply(&check); !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderPartyForm(w, r, http.StatusUnprocessableEntity, current, partyID, form, false)
		return
	}
	action, done := "agreement.party_add", "%s lades till som part."
	if partyID != 0 {
		action, done = "agreement.party_update", "Uppgifterna om %s sparades."
	}
	_, err = s.changeAgreement(r, current.ID, formVersion(r), action, func(a *partnership.Agreement) (map[string]any, error) {
		if err := apply(a); err != nil {
			return nil, err
		}
		return map[string]any{"organisation": orgName, "role": p.Role.Label()}, nil
	})
	s.finishAgreementChange(w, r, current.ID, err, values, verr, func(status int, conflict bool) {
		s.renderPartyForm(w, r, status, current, partyID, form, conflict)
	}, func() string { return fmt.Sprintf(done, orgName) })
}

func (s *Server) renderPartyDelete(w http.ResponseWriter, r *http.Request, status int, a partnership.Agreement, p partnership.Party, form templates.Form, conflict bool) {
	s.render(w, r, status, templates.AgreementConfirmPage(templates.AgreementConfirmVM{
		Base: s.base(r, "Ta bort part"), AgreementID: a.ID, AgreementTitle: a.Title, Heading: "Ta bort part",
		Text: fmt.Sprintf("Vill du ta bort %s (%s) som part i %s? Partens firmatecknare och representanter tas också bort.",
			p.OrganisationName, strings.ToLower(p.Role.Label()), a.Title),
		Action: partyPath(a.ID, p.ID) + "/delete", Confirm: "Ta bort part", Form: form, Conflict: conflict,
	}))
}

func (s *Server) handleAgreementPartyDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, p, err := s.agreementParty(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPartyDelete(w, r, http.StatusOK, a, p, templates.Form{Values: map[string]string{"version": strconv.Itoa(a.Version)}}, false)
}

func (s *Server) handleAgreementPartyDelete(w http.ResponseWriter, r *http.Request) {
	current, p, err := s.agreementParty(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := templates.Form{Values: map[string]string{"version": r.PostForm.Get("version")}, Errors: partnership.ValidationError{}}
	_, err = s.changeAgreement(r, current.ID, formVersion(r), "agreement.party_remove", func(a *partnership.Agreement) (map[string]any, error) {
		if _, err := a.RemoveParty(p.ID); err != nil {
			return nil, err
		}
		return map[string]any{"organisation": p.OrganisationName, "role": p.Role.Label()}, nil
	})
	s.finishAgreementChange(w, r, current.ID, err, form.Values, partnership.ValidationError(form.Errors), func(status int, conflict bool) {
		s.renderPartyDelete(w, r, status, current, p, form, conflict)
	}, func() string { return fmt.Sprintf("%s är inte längre part i överenskommelsen.", p.OrganisationName) })
}
