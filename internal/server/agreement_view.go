package server

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// agreementDate shows a calendar date as 2026-03-05, or "" for none.
func agreementDate(d *time.Time) string {
	if d == nil {
		return ""
	}
	return d.Format(time.DateOnly)
}

// months shows a number of months in Swedish.
func months(n int) string {
	if n == 1 {
		return "1 månad"
	}
	return fmt.Sprintf("%d månader", n)
}

// agreementVM shapes the agreement page on the given day; the history, the
// layout and any refusal are filled in by the caller.
func agreementVM(a partnership.Agreement, today time.Time, canEdit bool) templates.AgreementVM {
	status := a.StatusOn(today)
	vm := templates.AgreementVM{
		ID: a.ID, Title: a.Title, Status: status.Label(), StatusKey: string(status),
		Version: fmt.Sprint(a.Version), CanEdit: canEdit,
		CanActivate:  canEdit && a.Status == partnership.StatusDraft,
		CanExtend:    canEdit && a.Status == partnership.StatusActive && a.ExtensionsLeft() > 0,
		CanTerminate: canEdit && status == partnership.StatusActive,
		Warnings:     a.Warnings(today),
	}
	period := ""
	if a.StartDate != nil || a.CurrentEnd() != nil {
		period = agreementDate(a.StartDate) + " – " + agreementDate(a.CurrentEnd())
	}
	decision := ""
	if (status == partnership.StatusActive || status == partnership.StatusDraft) && a.ExtensionsLeft() > 0 {
		decision = agreementDate(a.DecisionNeededBy())
	}
	vm.Overview = []templates.AgreementFact{
		{Label: "Status", Value: status.Label(), TestID: "overview-status"},
		{Label: "Diarienummer", Value: a.CaseNumber},
		{Label: "Nämnd", Value: a.Committee},
		{Label: "Förvaltning", Value: a.Administration},
		{Label: "Giltighet", Value: period, TestID: "period"},
		{Label: "Beslut om förlängning behövs senast", Value: decision, TestID: "decision-needed-by"},
		{Label: "Indexering", Value: budgetIndexTerms(a), TestID: "index-terms"},
		{Label: "Värde per ideell timme", Value: budgetVolunteerRate(a.VolunteerHourRate)},
	}
	for _, item := range a.Checklist() {
		vm.Checklist = append(vm.Checklist, templates.AgreementChecklistRow{
			Key: item.Key, Label: item.Label, Present: item.Present, Mandatory: item.Mandatory,
		})
	}
	sec := a.Sections
	texts := []string{sec.Purpose, sec.Background, sec.Values, sec.TargetGroup, sec.Activities,
		sec.Organisation, sec.FollowUp, sec.Economy, sec.TerminationTerms}
	for i, f := range templates.AgreementSectionFields {
		vm.Sections = append(vm.Sections, templates.AgreementSection{ID: f.Name, Heading: f.Label, Text: texts[i]})
	}
	for _, p := range a.Parties {
		vm.Parties = append(vm.Parties, templates.AgreementPartyVM{
			ID: p.ID, Organisation: p.OrganisationName, Kind: p.OrganisationKind.Label(), Role: p.Role.Label(),
			SignatoryName: p.SignatoryName, SignatoryTitle: p.SignatoryTitle, SignedOn: agreementDate(p.SignedOn),
			Representatives: p.Representatives, Contribution: p.Contribution,
		})
	}
	vm.Validity = agreementValidity(a)
	for _, e := range a.Extensions {
		vm.Extensions = append(vm.Extensions, templates.AgreementExtensionRow{
			DecidedOn: agreementDate(&e.DecidedOn), DecisionRef: e.DecisionRef, NewEndDate: agreementDate(&e.NewEndDate),
		})
	}
	if t := a.Termination; t != nil {
		vm.Termination = []templates.AgreementFact{
			{Label: "Typ", Value: t.Kind.Label()}, {Label: "Upphör", Value: agreementDate(&t.On), TestID: "terminated-on"},
			{Label: "Skäl", Value: t.Reason}, {Label: "Ekonomisk reglering", Value: t.Settlement},
		}
	}
	vm.Terms = []templates.AgreementFact{
		{Label: "Deltagare per år", Value: participants(a.ParticipantsMin, a.ParticipantsMax)},
		{Label: "Dialogmöten per år", Value: countOrEmpty(a.DialogueMeetingsPerYear)},
		{Label: "Representanter i styrgruppen per part", Value: countOrEmpty(a.RepresentativesPerParty)},
	}
	vm.ReportingDuties = a.ReportingDuties
	vm.Invoicing = []templates.AgreementFact{
		{Label: "Faktureringsintervall", Value: a.InvoiceFrequency.Label()},
		{Label: "Fakturaadress", Value: a.InvoiceAddress},
		{Label: "Referenskod", Value: a.InvoiceReference},
		{Label: "Märkning", Value: a.InvoiceMarking},
		{Label: "Aktivitetskod", Value: a.ActivityCode},
		{Label: "Benämning på fakturan", Value: a.InvoiceLabel},
	}
	return vm
}

// agreementValidity is the period and the extension terms.
func agreementValidity(a partnership.Agreement) []templates.AgreementFact {
	terms := "Kan inte förlängas"
	left := ""
	if a.ExtensionMonths > 0 && a.MaxExtensions > 0 {
		times := "gånger"
		if a.MaxExtensions == 1 {
			times = "gång"
		}
		terms = fmt.Sprintf("%s åt gången, högst %d %s", months(a.ExtensionMonths), a.MaxExtensions, times)
		left = fmt.Sprintf("%d av %d", a.ExtensionsLeft(), a.MaxExtensions)
	}
	notice := ""
	if a.NoticeMonths > 0 {
		notice = months(a.NoticeMonths)
	}
	return []templates.AgreementFact{
		{Label: "Startdatum", Value: agreementDate(a.StartDate)},
		{Label: "Slutdatum enligt överenskommelsen", Value: agreementDate(a.EndDate)},
		{Label: "Nuvarande slutdatum", Value: agreementDate(a.CurrentEnd()), TestID: "current-end"},
		{Label: "Uppsägningstid", Value: notice},
		{Label: "Förlängning", Value: terms},
		{Label: "Förlängningar kvar", Value: left, TestID: "extensions-left"},
	}
}

func participants(lo, hi *int) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%d–%d", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf("minst %d", *lo)
	case hi != nil:
		return fmt.Sprintf("högst %d", *hi)
	}
	return ""
}

func countOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

// agreementActions names the audited actions on an agreement in Swedish.
var agreementActions = map[string]string{
	"agreement.create":       "Skapade överenskommelsen",
	"agreement.update":       "Ändrade uppgifter",
	"agreement.activate":     "Aktiverade överenskommelsen",
	"agreement.extend":       "Registrerade förlängning",
	"agreement.terminate":    "Sade upp eller hävde överenskommelsen",
	"agreement.party_add":    "Lade till part",
	"agreement.party_update": "Ändrade part",
	"agreement.party_remove": "Tog bort part",
	"document.upload":        "Laddade upp dokument",
	"document.download":      "Laddade ned dokument",
	"document.delete":        "Tog bort dokument",
	"invoice.create":         "Registrerade faktura",
	"invoice.update":         "Ändrade faktura",
	"invoice.approve":        "Godkände faktura",
	"invoice.pay":            "Markerade faktura som betald",
	"invoice.delete":         "Tog bort faktura",

	// the budget (budget*.go)
	"budget.create":             "Registrerade budgeten",
	"budget.indexed":            "Indexerade budgeten",
	"budget.line_create":        "Lade till budgetpost",
	"budget.line_update":        "Ändrade budgetpost",
	"budget.line_delete":        "Tog bort budgetpost",
	"budget.total_create":       "Lade till angiven summa",
	"budget.total_update":       "Ändrade angiven summa",
	"budget.total_delete":       "Tog bort angiven summa",
	"budget.accept_deviation":   "Godtog avvikelse i budgeten",
	"budget.withdraw_deviation": "Återkallade godkänd avvikelse i budgeten",

	// activity types and targets (activity_types.go, activity_targets.go)
	"activity_type.create":   "Lade till aktivitetstyp",
	"activity_type.update":   "Ändrade aktivitetstyp",
	"activity_type.delete":   "Tog bort aktivitetstyp",
	"activity_target.set":    "Satte mål för aktivitetstyp",
	"activity_target.delete": "Tog bort mål för aktivitetstyp",

	// logged activities (activity_forms.go, activity_edit.go, activity_import.go)
	"activity.create": "Loggade aktivitet",
	"activity.update": "Ändrade aktivitet",
	"activity.delete": "Tog bort aktivitet",
	"activity.import": "Importerade aktiviteter",
}

// agreementDetailLabels names the details of audit events, in the order shown.
var agreementDetailLabels = []struct{ key, label string }{
	{"title", "Namn"}, {"organisation", "Organisation"}, {"role", "Roll"}, {"decided_on", "Beslutsdatum"},
	{"decision_ref", "Beslut"}, {"new_end_date", "Nytt slutdatum"}, {"kind", "Typ"}, {"on", "Upphör"},
	{"file_name", "Fil"}, {"filename", "Fil"}, {"invoice", "Faktura"}, {"locked_year", "Låst budgetår"},
	{"budget_line", "Budgetpost"}, {"stated_total", "Summa"}, {"explanation", "Förklaring"},
	{"activity_type", "Aktivitetstyp"}, {"year", "År"}, {"target", "Mål"},
	{"activity_date", "Datum"}, {"rows", "Rader"},
}

// agreementHistory shows the audit events as who did what and when.
func agreementHistory(events []postgres.HistoryEntry) []templates.AgreementHistoryRow {
	rows := make([]templates.AgreementHistoryRow, len(events))
	for i, e := range events {
		who := e.ActorName
		if who == "" {
			who = "Systemet"
		}
		what, ok := agreementActions[e.Action]
		if !ok {
			what = e.Action
		}
		rows[i] = templates.AgreementHistoryRow{
			When: formatDateTime(&e.OccurredAt, ""), Who: who, What: what, Details: agreementEventDetails(e.Details),
		}
	}
	return rows
}

// agreementEventDetails describes the details of an event in Swedish: the
// changed fields by their labels, then the known values.
func agreementEventDetails(d map[string]any) string {
	var parts []string
	if fields, ok := d["fields"].([]any); ok && len(fields) > 0 {
		var labels []string
		for _, f := range fields {
			name := fmt.Sprint(f)
			i := slices.IndexFunc(templates.AgreementFields, func(fl templates.FieldLabel) bool { return fl.Name == name })
			if i >= 0 {
				name = templates.AgreementFields[i].Label
			}
			labels = append(labels, name)
		}
		parts = append(parts, "Ändrade fält: "+strings.Join(labels, ", "))
	}
	for _, l := range agreementDetailLabels {
		if v, ok := d[l.key]; ok && fmt.Sprint(v) != "" {
			parts = append(parts, l.label+": "+fmt.Sprint(v))
		}
	}
	return strings.Join(parts, ". ")
}
