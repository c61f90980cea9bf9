package partnership

import (
	"strings"
	"time"

	"iop/internal/money"
)

// AgreementStatus is where an agreement is in its life.
type AgreementStatus string

// The statuses of an agreement: draft → active → ended, or terminated.
const (
	StatusDraft      AgreementStatus = "draft"
	StatusActive     AgreementStatus = "active"
	StatusEnded      AgreementStatus = "ended"
	StatusTerminated AgreementStatus = "terminated"
)

// Label is the Swedish name of the status.
func (s AgreementStatus) Label() string {
	switch s {
	case StatusDraft:
		return "Utkast"
	case StatusActive:
		return "Aktiv"
	case StatusEnded:
		return "Avslutad"
	case StatusTerminated:
		return "Uppsagd"
	}
	return string(s)
}

// PartyRole is what a party does in an agreement.
type PartyRole string

// The roles a party can have.
const (
	PartyMunicipality       PartyRole = "municipality"
	PartyLeadAssociation    PartyRole = "lead_association"
	PartyPartnerAssociation PartyRole = "partner_association"
	PartyReferringAuthority PartyRole = "referring_authority"
)

// PartyRoles lists the roles in the order the UI presents them.
var PartyRoles = []PartyRole{PartyMunicipality, PartyLeadAssociation, PartyPartnerAssociation, PartyReferringAuthority}

// Valid reports whether r is a known role.
func (r PartyRole) Valid() bool {
	for _, known := range PartyRoles {
		if r == known {
			return true
		}
	}
	return false
}

// Label is the Swedish name of the role.
func (r PartyRole) Label() string {
	switch r {
	case PartyMunicipality:
		return "Kommun"
	case PartyLeadAssociation:
		return "Huvudansvarig förening"
	case PartyPartnerAssociation:
		return "Samverkande förening"
	case PartyReferringAuthority:
		return "Anvisande myndighet"
	}
	return string(r)
}

// InvoiceFrequency is how often the association invoices the municipality.
type InvoiceFrequency string

// The invoicing frequencies; the empty value means not yet agreed.
const (
	InvoiceYearly    InvoiceFrequency = "yearly"
	InvoiceQuarterly InvoiceFrequency = "quarterly"
	InvoiceMonthly   InvoiceFrequency = "monthly"
)

// InvoiceFrequencies lists the frequencies in the order the UI presents them.
var InvoiceFrequencies = []InvoiceFrequency{InvoiceYearly, InvoiceQuarterly, InvoiceMonthly}

// Label is the Swedish name of the frequency.
func (f InvoiceFrequency) Label() string {
	switch f {
	case InvoiceYearly:
		return "En gång per år"
	case InvoiceQuarterly:
		return "Kvartalsvis"
	case InvoiceMonthly:
		return "Månadsvis"
	}
	return string(f)
}

// TerminationKind is how an agreement was ended early.
type TerminationKind string

// Notice (uppsägning) ends it after the notice period; rescission (hävning)
// ends it at once after a material breach.
const (
	TerminationNotice     TerminationKind = "notice"
	TerminationRescission TerminationKind = "rescission"
)

// Label is the Swedish name of the kind.
func (k TerminationKind) Label() string {
	switch k {
	case TerminationNotice:
		return "Uppsägning"
	case TerminationRescission:
		return "Hävning"
	}
	return string(k)
}

// Sections are the text sections of an IOP agreement. Paragraphs are
// separated by blank lines; lines starting with "- " are list items.
type Sections struct {
	Purpose          string // syfte
	Background       string // bakgrund
	Values           string // värdegrund
	TargetGroup      string // målgrupp
	Activities       string // insatser/verksamhet
	Organisation     string // organisation och samverkan
	FollowUp         string // uppföljning
	Economy          string // ekonomi
	TerminationTerms string // villkor för uppsägning och hävning
}

// Party is an organisation's part in an agreement.
type Party struct {
	ID               int64
	OrganisationID   int64
	OrganisationName string // read-only, from the organisation
	OrganisationKind OrgKind
	Role             PartyRole
	SignatoryName    string // firmatecknare
	SignatoryTitle   string
	SignedOn         *time.Time
	Representatives  []string // steering-group representatives, "Namn, titel"
	Contribution     string   // what the party contributes, in words
}

// Extension is a decided prolongation of an agreement.
type Extension struct {
	ID          int64
	DecidedOn   time.Time
	DecisionRef string
	NewEndDate  time.Time
}

// Termination records how an agreement was ended early.
type Termination struct {
	On         time.Time
	Kind       TerminationKind
	Reason     string
	Settlement string // economic settlement
}

// Agreement is an IOP agreement between a municipality and one or more associations.
type Agreement struct {
	ID             int64
	Version        int // for optimistic concurrency: bumped by every change
	Title          string
	CaseNumber     string // diarienummer
	Committee      string // e.g. Arbetsmarknadsnämnden
	Administration string // e.g. Integration- och arbetsmarknadsförvaltningen
	Sections       Sections

	StartDate       *time.Time
	EndDate         *time.Time // the end date as signed; extensions move CurrentEnd
	ExtensionMonths int        // length of one extension; 0 means none allowed
	MaxExtensions   int
	NoticeMonths    int
	Status          AgreementStatus
	Termination     *Termination

	ParticipantsMin         *int
	ParticipantsMax         *int
	DialogueMeetingsPerYear int
	RepresentativesPerParty int // required steering-group representatives per party
	ReportingDuties         string

	InvoiceFrequency InvoiceFrequency
	InvoiceAddress   string
	InvoiceReference string // referenskod
	InvoiceMarking   string // märkning
	ActivityCode     string
	InvoiceLabel     string

	// IndexMode and IndexRateBP are how the indexed budget lines follow
	// price and wage development: a fixed yearly rate in basis points
	// (default 200 = 2 %) or the municipality's decided rates, falling back
	// to IndexRateBP for a year without a decision. A new agreement whose
	// IndexMode is empty gets the defaults.
	IndexMode   IndexMode
	IndexRateBP int64
	// VolunteerHourRate is what one hour of volunteer work is valued at;
	// 0 when the agreement does not state it.
	VolunteerHourRate money.Amount

	Parties    []Party
	Extensions []Extension // in decision order

	CreatedAt time.Time
	UpdatedAt time.Time
}

// CurrentEnd is the end date after every decided extension, or nil.
func (a Agreement) CurrentEnd() *time.Time {
	end := a.EndDate
	for i := range a.Extensions {
		if end == nil || a.Extensions[i].NewEndDate.After(*end) {
			end = &a.Extensions[i].NewEndDate
		}
	}
	return end
}

// StatusOn is the status on the given day: an active agreement whose end
// date has passed has ended, without anyone having to mark it.
func (a Agreement) StatusOn(today time.Time) AgreementStatus {
	if a.Status == StatusActive {
		if end := a.CurrentEnd(); end != nil && dayOf(today).After(*end) {
			return StatusEnded
		}
	}
	return a.Status
}

// DecisionNeededBy is the last day on which a decision on extension can be
// taken before the notice period runs out: current end − notice period.
func (a Agreement) DecisionNeededBy() *time.Time {
	end := a.CurrentEnd()
	if end == nil {
		return nil
	}
	d := AddMonths(*end, -a.NoticeMonths)
	return &d
}

// Warning is something about an agreement that needs an officer's attention.
type Warning string

// The warnings shown in lists and on the agreement page.
const (
	WarnDecisionDue Warning = "Beslut om förlängning behövs senast %s"
	WarnEndsSoon    Warning = "Upphör %s"
)

// Warnings lists what needs attention on the given day: a decision on
// extension that is due within 3 months (or overdue) while extensions
// remain, and an end within 6 months.
func (a Agreement) Warnings(today time.Time) []string {
	if a.StatusOn(today) != StatusActive {
		return nil
	}
	today = dayOf(today)
	var out []string
	if by := a.DecisionNeededBy(); by != nil && a.ExtensionsLeft() > 0 && !today.Before(AddMonths(*by, -3)) {
		out = append(out, strings.Replace(string(WarnDecisionDue), "%s", by.Format(time.DateOnly), 1))
	}
	if end := a.CurrentEnd(); end != nil && !today.Before(AddMonths(*end, -6)) {
		out = append(out, strings.Replace(string(WarnEndsSoon), "%s", end.Format(time.DateOnly), 1))
	}
	return out
}

// ExtensionsLeft is how many more extensions the terms allow.
func (a Agreement) ExtensionsLeft() int {
	if a.ExtensionMonths <= 0 {
		return 0
	}
	return max(a.MaxExtensions-len(a.Extensions), 0)
}

// AddMonths moves a calendar date by n months the way agreements count
// them: a month's last day stays the last day (2024-12-31 − 6 months is
// 2024-06-30, 2023-06-30 + 6 months is 2023-12-31), and a day the target
// month lacks becomes its last day (2024-01-30 + 1 month is 2024-02-29).
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := daysIn(first.Year(), first.Month())
	if day > last || day == daysIn(y, m) {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
}

// CanEditAgreements reports whether the role may create and change agreements.
func (r Role) CanEditAgreements() bool { return r == RoleAdmin || r == RoleOfficer }
