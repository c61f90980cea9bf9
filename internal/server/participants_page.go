package server

import (
	"net/http"
	"strconv"
	"time"

	"iop/internal/partnership"
	"iop/templates"
)

// identityReadsShown is how many identity reads the participant page lists.
const identityReadsShown = 50

// participantFacts are the pseudonymous fields as the page shows them.
func participantFacts(p partnership.Participant) []templates.AgreementFact {
	opt := func(n *int, unit string) string {
		if n == nil {
			return "Ej angivet"
		}
		return strconv.Itoa(*n) + unit
	}
	text := func(s string) string {
		if s == "" {
			return "Ej angivet"
		}
		return s
	}
	return []templates.AgreementFact{
		{Label: "Status", Value: p.Status().Label()},
		{Label: "Kön", Value: p.Gender.Label()},
		{Label: "Födelseår", Value: strconv.Itoa(p.BirthYear)},
		{Label: "Födelseregion", Value: p.BirthRegion.Label()},
		{Label: "År i Sverige", Value: opt(p.YearsInSweden, "")},
		{Label: "Utbildningsnivå", Value: p.Education.Label()},
		{Label: "Ställning på arbetsmarknaden vid inskrivning", Value: p.LabourStatus.Label()},
		{Label: "Försörjning vid inskrivning", Value: p.IncomeSource.Label()},
		{Label: "Bostadsområde", Value: text(p.LivingArea)},
		{Label: "Arbetsförmåga", Value: opt(p.WorkCapacityHours, " timmar/vecka")},
		{Label: "Grupp", Value: text(p.Cohort)},
		{Label: "Anvisad", Value: p.ReferredOn.Format(time.DateOnly) + " av " + p.ReferralSource.Label()},
	}
}

// lifecycleFacts are the lifecycle steps taken so far.
func lifecycleFacts(p partnership.Participant) []templates.AgreementFact {
	var out []templates.AgreementFact
	if p.EnrolledOn != nil {
		out = append(out, templates.AgreementFact{Label: "Inskriven", Value: day(p.EnrolledOn)})
	}
	if p.DeclinedOn != nil {
		v := day(p.DeclinedOn) + ": " + p.DeclineReason.Label()
		if p.DeclineNote != "" {
			v += " (" + p.DeclineNote + ")"
		}
		out = append(out, templates.AgreementFact{Label: "Inte inskriven", Value: v})
	}
	if p.ExitedOn != nil {
		out = append(out, templates.AgreementFact{Label: "Avslutad", Value: day(p.ExitedOn) + ": " + p.ExitDestination.Label()})
	}
	return out
}

// participantPageVM gathers the participant page; forms carries a failed
// form's values and errors, keyed by the form it belongs to.
func (s *Server) participantPageVM(r *http.Request, ag partnership.Agreement, p partnership.Participant, forms map[string]templates.Form) (templates.ParticipantPageVM, error) {
	ctx, actor, today := r.Context(), actorOf(r), s.agreementToday()
	parties := ag.PartyOrganisations()
	vm := templates.ParticipantPageVM{
		Base: s.base(r, p.Code+" – "+ag.Title), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Code: p.Code, URL: participantPath(ag.ID, p.ID), Status: string(p.Status()),
		Facts: participantFacts(p), Lifecycle: lifecycleFacts(p), HasIdentity: p.HasIdentity,
		MayManage:   partnership.MayManageParticipants(actor, parties),
		MayIdentity: partnership.MaySeeIdentity(actor, p, parties),
		Forms:       forms,
		Today:       today.Format(time.DateOnly),
		Reasons:     enumOptions(partnership.DeclineReasons, partnership.DeclineReason.Label, forms["decline"].Value("decline_reason"), "Välj"),
		Scopes:      enumOptions(partnership.ConsentScopes, partnership.ConsentScope.Label, forms["consent"].Value("scope"), ""),
	}
	for _, d := range partnership.ExitDestinations {
		vm.Destinations = append(vm.Destinations, templates.ExitChoice{
			Value: string(d), Label: d.Label(), Hint: d.Hint(), Checked: forms["exit"].Value("exit_destination") == string(d),
		})
	}
	section, err := s.planSectionVM(r, p, vm.URL, forms, today)
	if err != nil {
		return vm, err
	}
	vm.Plan = section
	followUps, err := s.followUpSectionVM(r, ag, p, forms)
	if err != nil {
		return vm, err
	}
	vm.FollowUps = followUps
	consents, err := s.participants.Consents(ctx, actor, p.ID)
	if err != nil {
		return vm, err
	}
	for _, c := range consents {
		row := templates.ConsentRow{ID: strconv.FormatInt(c.ID, 10), Scope: c.Scope.Label(), GivenOn: c.GivenOn.Format(time.DateOnly)}
		if c.WithdrawnOn != nil {
			row.WithdrawnOn = day(c.WithdrawnOn)
		}
		row.WithdrawURL = vm.URL + "/consents/" + row.ID + "/withdraw"
		vm.Consents = append(vm.Consents, row)
	}
	if vm.MayIdentity {
		reads, err := s.participants.IdentityReads(ctx, actor, p.ID, identityReadsShown)
		if err != nil {
			return vm, err
		}
		for _, rd := range reads {
			who := rd.UserName
			if who == "" {
				who = "Borttagen användare"
			}
			at := rd.At
			vm.Reads = append(vm.Reads, templates.IdentityReadRow{Who: who, At: formatDateTime(&at, ""), From: rd.ClientIP})
		}
	}
	return vm, nil
}

func (s *Server) handleParticipantShow(w http.ResponseWriter, r *http.Request) {
	ag, p, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderParticipantPage(w, r, http.StatusOK, ag, p, nil)
}

func (s *Server) renderParticipantPage(w http.ResponseWriter, r *http.Request, status int, ag partnership.Agreement, p partnership.Participant, forms map[string]templates.Form) {
	vm, err := s.participantPageVM(r, ag, p, forms)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, templates.ParticipantPage(vm))
}

// participantStep runs one lifecycle or consent step posted from the
// participant page: fields are the form's fields, step calls the service.
// A refused step shows the page again with the form's values and errors.
func (s *Server) participantStep(w http.ResponseWriter, r *http.Request, form string, fields []string,
	step func(p partnership.Participant, values map[string]string, verr partnership.ValidationError) (string, error)) {
	ag, p, err := s.loadParticipant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := postedValues(r, fields...)
	verr := partnership.ValidationError{}
	msg, err := step(p, values, verr)
	if !validationOf(verr, err) {
		s.fail(w, r, err)
		return
	}
	if len(verr) > 0 {
		s.renderParticipantPage(w, r, http.StatusUnprocessableEntity, ag, p,
			map[string]templates.Form{form: {Values: values, Errors: verr}})
		return
	}
	s.flash(r, msg)
	http.Redirect(w, r, participantPath(ag.ID, p.ID), http.StatusSeeOther)
}

// requiredDate parses a date field that must be given.
func requiredDate(values map[string]string, field string, verr partnership.ValidationError) *time.Time {
	d := formDate(values, field, verr)
	if d == nil {
		verr.Add(field, "Ange ett datum.")
	}
	return d
}

func (s *Server) handleParticipantEnrol(w http.ResponseWriter, r *http.Request) {
	s.participantStep(w, r, "enrol", []string{"enrolled_on"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "enrolled_on", verr)
		if on == nil {
			return "", nil
		}
		_, err := s.participants.Enrol(r.Context(), actorOf(r), p.ID, *on)
		return p.Code + " är inskriven från " + on.Format(time.DateOnly) + ".", err
	})
}

func (s *Server) handleParticipantDecline(w http.ResponseWriter, r *http.Request) {
	s.participantStep(w, r, "decline", []string{"declined_on", "decline_reason", "decline_note"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "declined_on", verr)
		reason, ok := partnership.ParseDeclineReason(v["decline_reason"])
		if !ok {
			verr.Add("decline_reason", partnership.MsgDeclineReason)
		}
		if len(verr) > 0 {
			return "", nil
		}
		_, err := s.participants.Decline(r.Context(), actorOf(r), p.ID, *on, reason, v["decline_note"])
		return "Registrerade att " + p.Code + " inte skrevs in.", err
	})
}

func (s *Server) handleParticipantExit(w http.ResponseWriter, r *http.Request) {
	s.participantStep(w, r, "exit", []string{"exited_on", "exit_destination"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "exited_on", verr)
		to, ok := partnership.ParseExitDestination(v["exit_destination"])
		if !ok {
			verr.Add("exit_destination", partnership.MsgExitDestination)
		}
		if len(verr) > 0 {
			return "", nil
		}
		_, err := s.participants.Exit(r.Context(), actorOf(r), p.ID, *on, to)
		return p.Code + " är avslutad från " + on.Format(time.DateOnly) + ".", err
	})
}

func (s *Server) handleParticipantConsentRecord(w http.ResponseWriter, r *http.Request) {
	s.participantStep(w, r, "consent", []string{"scope", "given_on"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "given_on", verr)
		scope, ok := partnership.ParseConsentScope(v["scope"])
		if !ok {
			verr.Add("scope", partnership.MsgConsentScope)
		}
		if len(verr) > 0 {
			return "", nil
		}
		c, err := s.participants.RecordConsent(r.Context(), actorOf(r), p.ID, partnership.Consent{Scope: scope, GivenOn: *on})
		return "Registrerade samtycke: " + c.Scope.Label() + ".", err
	})
}

func (s *Server) handleParticipantConsentWithdraw(w http.ResponseWriter, r *http.Request) {
	consentID, err := urlID(r, "consentID")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.participantStep(w, r, "withdraw-"+strconv.FormatInt(consentID, 10), []string{"withdrawn_on"}, func(p partnership.Participant, v map[string]string, verr partnership.ValidationError) (string, error) {
		on := requiredDate(v, "withdrawn_on", verr)
		if on == nil {
			return "", nil
		}
		c, err := s.participants.WithdrawConsent(r.Context(), actorOf(r), p.ID, consentID, *on)
		return "Samtycket återkallades: " + c.Scope.Label() + ".", err
	})
}
