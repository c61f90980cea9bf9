package server

import (
	"net/http"

	"iop/internal/partnership"
	"iop/templates"
)

// The identity is shown in answer to a POST, never a GET: showing it writes
// an audit event, and a change of state is never made on GET (a prefetch,
// a crawler or a reload from history would record reads nobody made). The
// answer is not cached (no-store, like every page) and is not a redirect,
// so the identity lives only in this one rendered page.

// identityValues are the form values of an identity, as typed back.
func identityValues(id partnership.Identity) map[string]string {
	return map[string]string{
		"name": id.Name, "personnummer": id.Personnummer.String(), "phone": id.Phone, "email": id.Email,
	}
}

func (s *Server) renderIdentityPage(w http.ResponseWriter, r *http.Request, status int, ag partnership.Agreement,
	p partnership.Participant, shown *partnership.Identity, form templates.Form) {
	vm := templates.ParticipantIdentityVM{
		Base: s.base(r, "Identitet – "+p.Code), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Code: p.Code, BackURL: participantPath(ag.ID, p.ID), Action: participantPath(ag.ID, p.ID) + "/identity/update",
		Form: form,
	}
	if shown != nil {
		vm.Shown = true
		vm.Name, vm.Personnummer, vm.Phone, vm.Email = shown.Name, shown.Personnummer.String(), shown.Phone, shown.Email
	}
	s.render(w, r, status, templates.ParticipantIdentityPage(vm))
}

// handleParticipantIdentity shows the identity through the service, which
// records the read in the same transaction.
func (s *Server) handleParticipantIdentity(w http.ResponseWriter, r *http.Request) {
	ag, p, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := s.participants.Identity(r.Context(), actorOf(r), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderIdentityPage(w, r, http.StatusOK, ag, p, &id, templates.Form{Values: identityValues(id)})
}

// handleParticipantIdentityUpdate stores the posted identity, or erases it
// when "erase" is ticked: an empty form erases nothing by accident.
func (s *Server) handleParticipantIdentityUpdate(w http.ResponseWriter, r *http.Request) {
	ag, p, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, append([]string{"erase"}, participantIdentityFields...)...)
	verr := partnership.ValidationError{}
	var id partnership.Identity
	erase := values["erase"] == "1"
	if !erase {
		id, err = partnership.ParseIdentity(values["name"], values["personnummer"], values["phone"], values["email"], s.agreementToday())
		validationOf(verr, err)
		if len(verr) == 0 && id.IsZero() {
			verr.Add("name", "Fyll i minst en uppgift, eller välj att ta bort identitetsuppgifterna.")
		}
	}
	var dup string
	if len(verr) == 0 {
		d, err := s.participants.SetIdentity(r.Context(), actorOf(r), p.ID, id)
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
		dup = duplicateNotice(d)
	}
	if len(verr) > 0 {
		if msg, ok := verr["identity"]; ok {
			delete(verr, "identity")
			verr.Add("name", msg)
		}
		s.renderIdentityPage(w, r, http.StatusUnprocessableEntity, ag, p, nil, templates.Form{Values: values, Errors: verr})
		return
	}
	msg := "Sparade identitetsuppgifterna för " + p.Code + "." + dup
	if erase {
		msg = "Tog bort identitetsuppgifterna för " + p.Code + "."
	}
	s.flash(r, msg)
	http.Redirect(w, r, participantPath(ag.ID, p.ID), http.StatusSeeOther)
}
