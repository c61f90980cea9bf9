package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// agreementValues are the agreement form's values for a.
func agreementValues(a partnership.Agreement) map[string]string {
	s := a.Sections
	optional := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	values := map[string]string{
		"title": a.Title, "case_number": a.CaseNumber, "committee": a.Committee, "administration": a.Administration,
		"start_date": agreementDate(a.StartDate), "end_date": agreementDate(a.EndDate),
		"notice_months": strconv.Itoa(a.NoticeMonths), "extension_months": strconv.Itoa(a.ExtensionMonths),
		"max_extensions": strconv.Itoa(a.MaxExtensions),
		"purpose":        s.Purpose, "background": s.Background, "values": s.Values, "target_group": s.TargetGroup,
		"activities": s.Activities, "organisation_text": s.Organisation, "follow_up": s.FollowUp,
		"economy": s.Economy, "termination_terms": s.TerminationTerms,
		"participants_min": optional(a.ParticipantsMin), "participants_max": optional(a.ParticipantsMax),
		"dialogue_meetings_per_year": strconv.Itoa(a.DialogueMeetingsPerYear),
		"representatives_per_party":  strconv.Itoa(a.RepresentativesPerParty),
		"reporting_duties":           a.ReportingDuties, "invoice_frequency": string(a.InvoiceFrequency),
		"invoice_address": a.InvoiceAddress, "invoice_reference": a.InvoiceReference,
		"invoice_marking": a.InvoiceMarking, "activity_code": a.ActivityCode, "invoice_label": a.InvoiceLabel,
	}
	agreementEconomyValues(a, values)
	return values
}

// agreementEconomyValues adds the indexation terms and the volunteer hour rate to
// the form's values; an agreement without terms shows the defaults.
func agreementEconomyValues(a partnership.Agreement, values map[string]string) {
	mode, rate := a.IndexMode, a.IndexRateBP
	if mode == "" {
		mode, rate = partnership.IndexFixed, partnership.DefaultIndexRateBP
	}
	values["index_mode"], values["index_rate"] = string(mode), budgetFormPercent(rate)
	values["volunteer_hour_rate"] = ""
	if a.VolunteerHourRate != 0 {
		values["volunteer_hour_rate"] = budgetFormAmount(a.VolunteerHourRate)
	}
}

// parseAgreementEconomy reads the indexation terms and the volunteer hour rate. A
// form without them (an older client) gets the defaults: a fixed 2 %.
func parseAgreementEconomy(a *partnership.Agreement, values map[string]string, verr partnership.ValidationError) {
	a.IndexMode, a.IndexRateBP = partnership.IndexFixed, partnership.DefaultIndexRateBP
	if v := strings.TrimSpace(values["index_mode"]); v != "" {
		a.IndexMode = partnership.IndexMode(v)
	}
	if v := strings.TrimSpace(values["index_rate"]); v != "" {
		bp, err := money.ParsePercent(v)
		if err != nil {
			verr.Add("index_rate", err.Error())
		}
		a.IndexRateBP = bp
	}
	if v := strings.TrimSpace(values["volunteer_hour_rate"]); v != "" {
		rate, err := money.Parse(v)
		if err != nil {
			verr.Add("volunteer_hour_rate", err.Error())
		}
		a.VolunteerHourRate = rate
	}
}

// parseAgreementForm reads the agreement form. The values are kept for
// showing the form again; fields that do not parse are reported in verr.
func parseAgreementForm(r *http.Request) (partnership.Agreement, map[string]string, partnership.ValidationError) {
	values := postedValues(r, agreementFieldNames...)
	values["version"] = r.PostForm.Get("version")
	verr := partnership.ValidationError{}
	t := func(name string) string { return strings.TrimSpace(values[name]) }
	a := partnership.Agreement{
		Title: t("title"), CaseNumber: t("case_number"), Committee: t("committee"), Administration: t("administration"),
		Sections: partnership.Sections{
			Purpose: t("purpose"), Background: t("background"), Values: t("values"), TargetGroup: t("target_group"),
			Activities: t("activities"), Organisation: t("organisation_text"), FollowUp: t("follow_up"),
			Economy: t("economy"), TerminationTerms: t("termination_terms"),
		},
		StartDate: formDate(values, "start_date", verr), EndDate: formDate(values, "end_date", verr),
		ExtensionMonths:         zeroIfNil(formInt(values, "extension_months", verr)),
		MaxExtensions:           zeroIfNil(formInt(values, "max_extensions", verr)),
		NoticeMonths:            zeroIfNil(formInt(values, "notice_months", verr)),
		ParticipantsMin:         formInt(values, "participants_min", verr),
		ParticipantsMax:         formInt(values, "participants_max", verr),
		DialogueMeetingsPerYear: zeroIfNil(formInt(values, "dialogue_meetings_per_year", verr)),
		RepresentativesPerParty: zeroIfNil(formInt(values, "representatives_per_party", verr)),
		ReportingDuties:         t("reporting_duties"), InvoiceFrequency: partnership.InvoiceFrequency(t("invoice_frequency")),
		InvoiceAddress: t("invoice_address"), InvoiceReference: t("invoice_reference"),
		InvoiceMarking: t("invoice_marking"), ActivityCode: t("activity_code"), InvoiceLabel: t("invoice_label"),
	}
	parseAgreementEconomy(&a, values, verr)
	return a, values, verr
}

// applyAgreementFields copies the fields of the agreement form from src to
// dst, leaving status, parties and extensions as they are.
func applyAgreementFields(dst *partnership.Agreement, src partnership.Agreement) {
	dst.Title, dst.CaseNumber, dst.Committee, dst.Administration = src.Title, src.CaseNumber, src.Committee, src.Administration
	dst.Sections = src.Sections
	dst.StartDate, dst.EndDate = src.StartDate, src.EndDate
	dst.ExtensionMonths, dst.MaxExtensions, dst.NoticeMonths = src.ExtensionMonths, src.MaxExtensions, src.NoticeMonths
	dst.ParticipantsMin, dst.ParticipantsMax = src.ParticipantsMin, src.ParticipantsMax
	dst.DialogueMeetingsPerYear, dst.RepresentativesPerParty = src.DialogueMeetingsPerYear, src.RepresentativesPerParty
	dst.ReportingDuties, dst.InvoiceFrequency, dst.InvoiceAddress = src.ReportingDuties, src.InvoiceFrequency, src.InvoiceAddress
	dst.InvoiceReference, dst.InvoiceMarking = src.InvoiceReference, src.InvoiceMarking
	dst.ActivityCode, dst.InvoiceLabel = src.ActivityCode, src.InvoiceLabel
	dst.IndexMode, dst.IndexRateBP, dst.VolunteerHourRate = src.IndexMode, src.IndexRateBP, src.VolunteerHourRate
}

// agreementFieldNames are the agreement form's fields in form order.
var agreementFieldNames = func() []string {
	names := make([]string, len(templates.AgreementFields))
	for i, f := range templates.AgreementFields {
		names[i] = f.Name
	}
	return names
}()

func (s *Server) renderAgreementForm(w http.ResponseWriter, r *http.Request, status int, vm templates.AgreementFormVM) {
	heading := "Ny överenskommelse"
	if vm.ID != 0 {
		heading = "Redigera " + vm.Title
	}
	vm.Base = s.base(r, heading)
	vm.Frequencies = []templates.Option{{Value: "", Label: "Inte angivet", Selected: vm.Form.Value("invoice_frequency") == ""}}
	for _, f := range partnership.InvoiceFrequencies {
		vm.Frequencies = append(vm.Frequencies, templates.Option{
			Value: string(f), Label: f.Label(), Selected: vm.Form.Value("invoice_frequency") == string(f),
		})
	}
	for _, m := range []partnership.IndexMode{partnership.IndexFixed, partnership.IndexMunicipal} {
		vm.IndexModes = append(vm.IndexModes, templates.Option{
			Value: string(m), Label: m.Label(), Selected: vm.Form.Value("index_mode") == string(m),
		})
	}
	s.render(w, r, status, templates.AgreementFormPage(vm))
}

func (s *Server) handleAgreementNew(w http.ResponseWriter, r *http.Request) {
	values := agreementValues(partnership.Agreement{})
	s.renderAgreementForm(w, r, http.StatusOK, templates.AgreementFormVM{Form: templates.Form{Values: values}})
}

func (s *Server) handleAgreementCreate(w http.ResponseWriter, r *http.Request) {
	a, values, verr := parseAgreementForm(r)
	a.Status = partnership.StatusDraft
	validationOf(verr, a.Validate())
	validationOf(verr, a.ValidateEconomy())
	if len(verr) > 0 {
		s.renderAgreementForm(w, r, http.StatusUnprocessableEntity, templates.AgreementFormVM{Form: templates.Form{Values: values, Errors: verr}})
		return
	}
	ctx := r.Context()
	var created partnership.Agreement
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		if created, err = postgres.NewAgreements(tx).Create(ctx, a); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, s.agreementEvent(r, "agreement.create", created.ID, map[string]any{"title": a.Title}))
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Överenskommelsen %s skapades som utkast.", created.Title))
	http.Redirect(w, r, agreementPath(created.ID), http.StatusSeeOther)
}

func (s *Server) handleAgreementEdit(w http.ResponseWriter, r *http.Request) {
	a, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	values := agreementValues(a)
	values["version"] = strconv.Itoa(a.Version)
	s.renderAgreementForm(w, r, http.StatusOK, templates.AgreementFormVM{ID: a.ID, Title: a.Title, Form: templates.Form{Values: values}})
}

func (s *Server) handleAgreementUpdate(w http.ResponseWriter, r *http.Request) {
	current, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	parsed, values, verr := parseAgreementForm(r)
	vm := templates.AgreementFormVM{ID: current.ID, Title: current.Title, Form: templates.Form{Values: values, Errors: verr}}
	if staleForm(r, current, values) {
		vm.Conflict = true
		s.renderAgreementForm(w, r, http.StatusConflict, vm)
		return
	}
	candidate := current
	applyAgreementFields(&candidate, parsed)
	validationOf(verr, candidate.Validate())
	validationOf(verr, candidate.ValidateEconomy())
	if len(verr) > 0 {
		s.renderAgreementForm(w, r, http.StatusUnprocessableEntity, vm)
		return
	}
	_, err = s.changeAgreement(r, current.ID, formVersion(r), "agreement.update", func(a *partnership.Agreement) (map[string]any, error) {
		before := agreementValues(*a)
		applyAgreementFields(a, parsed)
		if err := a.Validate(); err != nil {
			return nil, err
		}
		if err := a.ValidateEconomy(); err != nil {
			return nil, err
		}
		changed := changedFields(agreementFieldNames, before, agreementValues(*a))
		if len(changed) == 0 {
			return nil, nil
		}
		return map[string]any{"fields": changed}, nil
	})
	s.finishAgreementChange(w, r, current.ID, err, values, verr, func(status int, conflict bool) {
		vm.Conflict = conflict
		s.renderAgreementForm(w, r, status, vm)
	}, func() string { return "Ändringarna sparades." })
}
