package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/templates"
)

// participantStatFields are the statistical and referral fields of the
// register and edit forms, as partnership.Participant.Validate names them.
var participantStatFields = []string{
	"gender", "birth_year", "birth_region", "years_in_sweden", "education", "labour_status",
	"income_source", "living_area", "work_capacity_hours", "cohort", "referred_on", "referral_source",
}

// participantIdentityFields are the identifying fields, posted only.
var participantIdentityFields = []string{"name", "personnummer", "phone", "email"}

// participantValues are the form values of a stored participant.
func participantValues(p partnership.Participant) map[string]string {
	opt := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	return map[string]string{
		"gender": string(p.Gender), "birth_year": strconv.Itoa(p.BirthYear), "birth_region": string(p.BirthRegion),
		"years_in_sweden": opt(p.YearsInSweden), "education": string(p.Education),
		"labour_status": string(p.LabourStatus), "income_source": string(p.IncomeSource),
		"living_area": p.LivingArea, "work_capacity_hours": opt(p.WorkCapacityHours), "cohort": p.Cohort,
		"referred_on": p.ReferredOn.Format(time.DateOnly), "referral_source": string(p.ReferralSource),
		"version": strconv.Itoa(p.Version),
	}
}

// parseParticipantForm reads the statistical and referral fields over
// base, which keeps what the form does not carry (the lifecycle, on edit).
// Codes that do not parse stay empty, for Validate to name.
func parseParticipantForm(values map[string]string, base partnership.Participant) (partnership.Participant, partnership.ValidationError) {
	verr := partnership.ValidationError{}
	p := base
	p.Gender, _ = partnership.ParseGender(values["gender"])
	p.BirthRegion, _ = partnership.ParseBirthRegion(values["birth_region"])
	p.Education, _ = partnership.ParseEducation(values["education"])
	p.LabourStatus, _ = partnership.ParseLabourStatus(values["labour_status"])
	p.IncomeSource, _ = partnership.ParseIncomeSource(values["income_source"])
	p.ReferralSource, _ = partnership.ParseReferralSource(values["referral_source"])
	p.BirthYear = zeroIfNil(formInt(values, "birth_year", verr))
	p.YearsInSweden = formInt(values, "years_in_sweden", verr)
	p.WorkCapacityHours = formInt(values, "work_capacity_hours", verr)
	p.LivingArea, p.Cohort = values["living_area"], values["cohort"]
	p.ReferredOn = time.Time{} // an emptied field is missing, not the stored date
	if d := formDate(values, "referred_on", verr); d != nil {
		p.ReferredOn = *d
	}
	return p, verr
}

// mayHoldIdentities reports whether the actor's role may ever hold
// identities: association staff of a party, or a coordinator for their own
// referrals. Whether they may for a given participant is the service's
// decision (partnership.MaySeeIdentity).
func mayHoldIdentities(a partnership.Actor) bool {
	return a.Role == partnership.RoleAssociationStaff || a.Role == partnership.RoleCoordinator
}

// participantForm is the view model of the register or edit form.
func participantForm(ag partnership.Agreement, values, errs map[string]string) templates.ParticipantFormVM {
	return templates.ParticipantFormVM{
		AgreementID: ag.ID,
		Form:        templates.Form{Values: values, Errors: errs},
		Genders:     enumOptions(partnership.Genders, partnership.Gender.Label, values["gender"], "Välj"),
		Regions:     enumOptions(partnership.BirthRegions, partnership.BirthRegion.Label, values["birth_region"], "Välj"),
		Educations:  enumOptions(partnership.Educations, partnership.Education.Label, values["education"], "Välj"),
		Labour:      enumOptions(partnership.LabourStatuses, partnership.LabourStatus.Label, values["labour_status"], "Välj"),
		Incomes:     enumOptions(partnership.IncomeSources, partnership.IncomeSource.Label, values["income_source"], "Välj"),
		Sources:     enumOptions(partnership.ReferralSources, partnership.ReferralSource.Label, values["referral_source"], "Välj"),
	}
}

func (s *Server) renderParticipantForm(w http.ResponseWriter, r *http.Request, status int, ag partnership.Agreement, vm templates.ParticipantFormVM) {
	vm.Base = s.base(r, vm.Heading+" – "+ag.Title)
	vm.AgreementTitle = ag.Title
	s.render(w, r, status, templates.ParticipantFormPage(vm))
}

func (s *Server) handleParticipantNew(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := map[string]string{"referred_on": s.agreementToday().Format(time.DateOnly)}
	vm := participantForm(ag, values, nil)
	vm.Heading, vm.Action, vm.Cancel = "Registrera deltagare", participantsPath(ag.ID), participantsPath(ag.ID)
	vm.Identity = mayHoldIdentities(actorOf(r))
	s.renderParticipantForm(w, r, http.StatusOK, ag, vm)
}

// duplicateNotice warns that the personnummer is already registered,
// naming only the participants the actor may see the identity of.
func duplicateNotice(d participant.Duplicate) string {
	if !d.Found() {
		return ""
	}
	msg := fmt.Sprintf(" Observera: personnumret finns redan hos %d annan deltagare i registret.", d.Count)
	if d.Count > 1 {
		msg = fmt.Sprintf(" Observera: personnumret finns redan hos %d andra deltagare i registret.", d.Count)
	}
	if len(d.Visible) > 0 {
		var codes []string
		for _, p := range d.Visible {
			codes = append(codes, p.Code)
		}
		msg += " Bland dem du har tillgång till: " + strings.Join(codes, ", ") + "."
	}
	return msg
}

func (s *Server) handleParticipantCreate(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor, today := actorOf(r), s.agreementToday()
	names := append(append([]string{"consent_given_on"}, participantStatFields...), participantIdentityFields...)
	values := postedValues(r, names...)
	p, verr := parseParticipantForm(values, partnership.Participant{})
	in := participant.Registration{Participant: p.Normalize()}
	validationOf(verr, in.Participant.Validate(today))
	showIdentity := mayHoldIdentities(actor)
	if showIdentity {
		id, err := partnership.ParseIdentity(values["name"], values["personnummer"], values["phone"], values["email"], today)
		validationOf(verr, err)
		in.Identity = id
		in.ConsentGivenOn = formDate(values, "consent_given_on", verr)
	}
	var reg participant.Registered
	if len(verr) == 0 {
		reg, err = s.participants.Register(r.Context(), actor, ag.ID, in)
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
	}
	if len(verr) > 0 {
		vm := participantForm(ag, values, verr)
		vm.Heading, vm.Action, vm.Cancel, vm.Identity = "Registrera deltagare", participantsPath(ag.ID), participantsPath(ag.ID), showIdentity
		s.renderParticipantForm(w, r, http.StatusUnprocessableEntity, ag, vm)
		return
	}
	s.flash(r, "Registrerade deltagare "+reg.Participant.Code+"."+duplicateNotice(reg.Duplicate))
	http.Redirect(w, r, participantPath(ag.ID, reg.Participant.ID), http.StatusSeeOther)
}

// loadParticipant reads the agreement of the route and its participant,
// as the service lets the actor see it: another agreement's participant,
// or one the actor may not see, is not found.
func (s *Server) loadParticipant(r *http.Request) (partnership.Agreement, partnership.Participant, error) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		return ag, partnership.Participant{}, err
	}
	id, err := urlID(r, "participantID")
	if err != nil {
		return ag, partnership.Participant{}, err
	}
	p, err := s.participants.Get(r.Context(), actorOf(r), id)
	if err != nil {
		return ag, p, err
	}
	if p.AgreementID != ag.ID {
		return ag, partnership.Participant{}, partnership.ErrNotFound
	}
	return ag, p, nil
}

// editForm is the edit form of the participant's statistical and referral
// fields; the identity is changed from its own page, after a recorded read.
func editForm(ag partnership.Agreement, p partnership.Participant, values, errs map[string]string) templates.ParticipantFormVM {
	vm := participantForm(ag, values, errs)
	vm.Heading = "Ändra " + p.Code
	vm.Action, vm.Cancel, vm.Edit = participantPath(ag.ID, p.ID), participantPath(ag.ID, p.ID), true
	return vm
}

func (s *Server) handleParticipantEdit(w http.ResponseWriter, r *http.Request) {
	ag, p, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !partnership.MayManageParticipants(actorOf(r), ag.PartyOrganisations()) {
		s.fail(w, r, partnership.ErrForbidden)
		return
	}
	s.renderParticipantForm(w, r, http.StatusOK, ag, editForm(ag, p, participantValues(p), nil))
}

func (s *Server) handleParticipantUpdate(w http.ResponseWriter, r *http.Request) {
	ag, current, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !partnership.MayManageParticipants(actorOf(r), ag.PartyOrganisations()) {
		s.fail(w, r, partnership.ErrForbidden)
		return
	}
	values := postedValues(r, append([]string{"version"}, participantStatFields...)...)
	p, verr := parseParticipantForm(values, current)
	p.Version, _ = strconv.Atoi(values["version"])
	if len(verr) == 0 {
		p, err = s.participants.Update(r.Context(), actorOf(r), p)
		if isConflict(err) {
			// Someone saved meanwhile: the input is kept, and sending it
			// again saves over the newer version.
			now, lerr := s.participants.Get(r.Context(), actorOf(r), current.ID)
			if lerr != nil {
				s.fail(w, r, lerr)
				return
			}
			values["version"] = strconv.Itoa(now.Version)
			vm := editForm(ag, now, values, nil)
			vm.Conflict = true
			s.renderParticipantForm(w, r, http.StatusConflict, ag, vm)
			return
		}
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
	}
	if len(verr) > 0 {
		s.renderParticipantForm(w, r, http.StatusUnprocessableEntity, ag, editForm(ag, current, values, verr))
		return
	}
	s.flash(r, "Sparade ändringarna för "+p.Code+".")
	http.Redirect(w, r, participantPath(ag.ID, p.ID), http.StatusSeeOther)
}
