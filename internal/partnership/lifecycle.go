package partnership

import (
	"fmt"
	"strings"
	"time"
)

// MaxParticipantsPerYear bounds the expected participants an agreement can state.
const MaxParticipantsPerYear = 100000

// MaxSectionLength is the longest text section accepted, in characters.
const MaxSectionLength = 50000

// Validate checks the fields an officer enters on the agreement form, keyed
// by form field name.
func (a Agreement) Validate() error {
	v := ValidationError{}
	if strings.TrimSpace(a.Title) == "" {
		v.Add("title", "Ange överenskommelsens namn.")
	} else if len([]rune(a.Title)) > 300 {
		v.Add("title", "Namnet får vara högst 300 tecken.")
	}
	if a.StartDate != nil && a.EndDate != nil && a.EndDate.Before(*a.StartDate) {
		v.Add("end_date", "Slutdatum kan inte vara före startdatum.")
	}
	if a.Status != StatusDraft && a.Status != "" {
		// Activation required the validity; it cannot be taken away later.
		if a.StartDate == nil {
			v.Add("start_date", "En överenskommelse som inte är ett utkast måste ha startdatum.")
		}
		if a.EndDate == nil {
			v.Add("end_date", "En överenskommelse som inte är ett utkast måste ha slutdatum.")
		}
	}
	for field, text := range map[string]string{
		"case_number": a.CaseNumber, "committee": a.Committee, "administration": a.Administration,
		"invoice_reference": a.InvoiceReference, "invoice_marking": a.InvoiceMarking,
		"activity_code": a.ActivityCode, "invoice_label": a.InvoiceLabel,
	} {
		if len([]rune(text)) > 200 {
			v.Add(field, "Högst 200 tecken.")
		}
	}
	s := a.Sections
	for field, text := range map[string]string{
		"purpose": s.Purpose, "background": s.Background, "values": s.Values, "target_group": s.TargetGroup,
		"activities": s.Activities, "organisation_text": s.Organisation, "follow_up": s.FollowUp,
		"economy": s.Economy, "termination_terms": s.TerminationTerms, "reporting_duties": a.ReportingDuties,
		"invoice_address": a.InvoiceAddress,
	} {
		if len([]rune(text)) > MaxSectionLength {
			v.Add(field, fmt.Sprintf("Texten får vara högst %d tecken.", MaxSectionLength))
		}
	}
	for field, n := range map[string]int{
		"extension_months": a.ExtensionMonths, "max_extensions": a.MaxExtensions, "notice_months": a.NoticeMonths,
		"dialogue_meetings_per_year": a.DialogueMeetingsPerYear, "representatives_per_party": a.RepresentativesPerParty,
	} {
		if n < 0 || n > 120 {
			v.Add(field, "Ange ett heltal mellan 0 och 120.")
		}
	}
	for field, n := range map[string]*int{"participants_min": a.ParticipantsMin, "participants_max": a.ParticipantsMax} {
		if n != nil && (*n < 0 || *n > MaxParticipantsPerYear) {
			v.Add(field, fmt.Sprintf("Ange ett antal mellan 0 och %d.", MaxParticipantsPerYear))
		}
	}
	if a.ParticipantsMin != nil && a.ParticipantsMax != nil && *a.ParticipantsMax < *a.ParticipantsMin {
		v.Add("participants_max", "Högsta antalet kan inte vara lägre än lägsta.")
	}
	switch a.InvoiceFrequency {
	case "", InvoiceYearly, InvoiceQuarterly, InvoiceMonthly:
	default:
		v.Add("invoice_frequency", "Välj hur ofta föreningen fakturerar.")
	}
	return v.Err()
}

// ChecklistItem is one thing an IOP agreement should contain.
type ChecklistItem struct {
	Key       string
	Label     string
	Present   bool
	Mandatory bool // required before the agreement can be activated
}

// Checklist computes, from the data, what the agreement contains and what is
// missing, in the order an IOP agreement is usually written.
func (a Agreement) Checklist() []ChecklistItem {
	s := a.Sections
	has := func(t string) bool { return strings.TrimSpace(t) != "" }
	municipality, associations, contributors := 0, 0, 0
	signed, representatives := len(a.Parties) > 0, len(a.Parties) > 0
	for _, p := range a.Parties {
		switch p.Role {
		case PartyMunicipality:
			municipality++
		case PartyLeadAssociation, PartyPartnerAssociation:
			associations++
		}
		if has(p.Contribution) {
			contributors++
		}
		if !has(p.SignatoryName) {
			signed = false
		}
		if a.RepresentativesPerParty == 0 || len(p.Representatives) < a.RepresentativesPerParty {
			representatives = false
		}
	}
	return []ChecklistItem{
		{Key: "parties", Label: "Minst två parter, varav en kommun", Present: len(a.Parties) >= 2 && municipality > 0, Mandatory: true},
		{Key: "cofinancing", Label: "Båda parter bidrar till finansieringen", Present: municipality > 0 && associations > 0 && contributors >= 2},
		{Key: "purpose", Label: "Syfte", Present: has(s.Purpose)},
		{Key: "values", Label: "Värdegrund", Present: has(s.Values)},
		{Key: "target_group", Label: "Målgrupp", Present: has(s.TargetGroup)},
		{Key: "activities", Label: "Insatser och verksamhet", Present: has(s.Activities)},
		{Key: "steering_group", Label: "Styrgrupp med föreskrivet antal representanter per part", Present: representatives},
		{Key: "follow_up", Label: "Uppföljning", Present: has(s.FollowUp)},
		{Key: "economy", Label: "Ekonomi", Present: has(s.Economy)},
		{Key: "validity", Label: "Giltighetstid (start- och slutdatum)", Present: a.StartDate != nil && a.EndDate != nil, Mandatory: true},
		{Key: "notice", Label: "Uppsägningstid", Present: a.NoticeMonths > 0},
		{Key: "termination", Label: "Villkor för uppsägning och hävning", Present: has(s.TerminationTerms)},
		{Key: "signatures", Label: "Firmatecknare för varje part", Present: signed, Mandatory: true},
	}
}

// MissingForActivation lists the labels of the mandatory checklist items
// that are missing; an agreement can be activated when it is empty.
func (a Agreement) MissingForActivation() []string {
	var missing []string
	for _, item := range a.Checklist() {
		if item.Mandatory && !item.Present {
			missing = append(missing, item.Label)
		}
	}
	return missing
}

// ActivationError lists what is missing before an agreement can be activated.
type ActivationError struct{ Missing []string }

// Error names the missing items.
func (e *ActivationError) Error() string {
	return "Överenskommelsen kan inte aktiveras. Det saknas: " + strings.Join(e.Missing, "; ") + "."
}

// Activate moves a draft to active when nothing mandatory is missing.
func (a *Agreement) Activate() error {
	if a.Status != StatusDraft {
		return ValidationError{"status": "Bara ett utkast kan aktiveras."}
	}
	if missing := a.MissingForActivation(); len(missing) > 0 {
		return &ActivationError{Missing: missing}
	}
	a.Status = StatusActive
	return nil
}

// AddExtension records a decided extension, refusing one beyond the
// agreement's extension terms: no more than MaxExtensions, each at most
// ExtensionMonths past the current end.
func (a *Agreement) AddExtension(e Extension) error {
	v := ValidationError{}
	if a.Status != StatusActive {
		return ValidationError{"new_end_date": "Bara en aktiv överenskommelse kan förlängas."}
	}
	if a.ExtensionsLeft() == 0 {
		if a.ExtensionMonths <= 0 {
			return ValidationError{"new_end_date": "Överenskommelsen saknar villkor om förlängning."}
		}
		return ValidationError{"new_end_date": fmt.Sprintf("Överenskommelsen får förlängas högst %d gånger, och det är redan gjort.", a.MaxExtensions)}
	}
	if e.DecidedOn.IsZero() {
		v.Add("decided_on", "Ange beslutsdatum.")
	}
	if strings.TrimSpace(e.DecisionRef) == "" {
		v.Add("decision_ref", "Ange beslutets diarienummer eller paragraf.")
	} else if len([]rune(e.DecisionRef)) > 200 {
		v.Add("decision_ref", "Högst 200 tecken.")
	}
	current := a.CurrentEnd()
	if current == nil {
		v.Add("new_end_date", "Överenskommelsen saknar slutdatum att förlänga från.")
		return v
	}
	end := *current
	limit := AddMonths(end, a.ExtensionMonths)
	switch {
	case e.NewEndDate.IsZero():
		v.Add("new_end_date", "Ange nytt slutdatum.")
	case !e.NewEndDate.After(end):
		v.Add("new_end_date", fmt.Sprintf("Det nya slutdatumet måste vara efter nuvarande slutdatum %s.", end.Format(time.DateOnly)))
	case e.NewEndDate.After(limit):
		v.Add("new_end_date", fmt.Sprintf("En förlängning får vara högst %d månader, alltså till och med %s.", a.ExtensionMonths, limit.Format(time.DateOnly)))
	}
	if err := v.Err(); err != nil {
		return err
	}
	a.Extensions = append(a.Extensions, e)
	return nil
}

// Terminate ends an active agreement early by notice or rescission.
func (a *Agreement) Terminate(t Termination) error {
	if a.Status != StatusActive {
		return ValidationError{"terminated_on": "Bara en aktiv överenskommelse kan sägas upp eller hävas."}
	}
	v := ValidationError{}
	if t.On.IsZero() {
		v.Add("terminated_on", "Ange datum då överenskommelsen upphör.")
	} else if a.StartDate != nil && t.On.Before(*a.StartDate) {
		v.Add("terminated_on", "Datumet kan inte vara före startdatum.")
	} else if end := a.CurrentEnd(); end != nil && t.On.After(*end) {
		v.Add("terminated_on", fmt.Sprintf("Datumet kan inte vara efter slutdatum %s.", end.Format(time.DateOnly)))
	}
	if t.Kind != TerminationNotice && t.Kind != TerminationRescission {
		v.Add("termination_kind", "Välj uppsägning eller hävning.")
	}
	if strings.TrimSpace(t.Reason) == "" {
		v.Add("termination_reason", "Ange skälet.")
	}
	for field, text := range map[string]string{"termination_reason": t.Reason, "termination_settlement": t.Settlement} {
		if len([]rune(text)) > MaxSectionLength {
			v.Add(field, fmt.Sprintf("Texten får vara högst %d tecken.", MaxSectionLength))
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	a.Status = StatusTerminated
	a.Termination = &t
	return nil
}
