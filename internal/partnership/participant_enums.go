package partnership

import "strings"

// The coded fields of a participant. Each is stored as its English code;
// Label gives the Swedish text of the forms and reports, and the Parse
// functions accept either, so that a form value and a cell of an imported
// spreadsheet are read alike.

// enumOption is one value of a coded field and its Swedish label.
type enumOption[T ~string] struct {
	value T
	label string
}

// enum is the ordered values of a coded field, in the order the UI
// presents them.
type enum[T ~string] []enumOption[T]

func (e enum[T]) label(v T) string {
	for _, o := range e {
		if o.value == v {
			return o.label
		}
	}
	return string(v)
}

// parse accepts the code or the Swedish label, case and surrounding space
// ignored.
func (e enum[T]) parse(s string) (T, bool) {
	s = strings.TrimSpace(s)
	for _, o := range e {
		if strings.EqualFold(s, string(o.value)) || strings.EqualFold(s, o.label) {
			return o.value, true
		}
	}
	var zero T
	return zero, false
}

// valid reports whether v is one of the codes (not a label).
func (e enum[T]) valid(v T) bool {
	for _, o := range e {
		if o.value == v {
			return true
		}
	}
	return false
}

func (e enum[T]) values() []T {
	out := make([]T, len(e))
	for i, o := range e {
		out[i] = o.value
	}
	return out
}

// Gender is a participant's gender as the statistics count it.
type Gender string

// The genders; GenderNotStated is for a participant who does not want to say.
const (
	GenderWoman     Gender = "woman"
	GenderMan       Gender = "man"
	GenderNonBinary Gender = "non_binary"
	GenderNotStated Gender = "not_stated"
)

var genders = enum[Gender]{
	{GenderWoman, "Kvinna"}, {GenderMan, "Man"}, {GenderNonBinary, "Icke-binär"}, {GenderNotStated, "Vill ej uppge"},
}

// Genders lists the genders in the order the UI presents them.
var Genders = genders.values()

// Label is the Swedish name of the gender.
func (g Gender) Label() string { return genders.label(g) }

// ParseGender reads a gender code or its Swedish label.
func ParseGender(s string) (Gender, bool) { return genders.parse(s) }

// BirthRegion is the region of a participant's country of birth.
type BirthRegion string

// The regions of birth, each excluding the ones before it.
const (
	RegionSweden       BirthRegion = "sweden"
	RegionNordic       BirthRegion = "nordic"
	RegionEU           BirthRegion = "eu"
	RegionEurope       BirthRegion = "europe"
	RegionAfrica       BirthRegion = "africa"
	RegionAsia         BirthRegion = "asia"
	RegionNorthAmerica BirthRegion = "north_america"
	RegionSouthAmerica BirthRegion = "south_america"
	RegionOceania      BirthRegion = "oceania"
	RegionUnknown      BirthRegion = "unknown"
)

var birthRegions = enum[BirthRegion]{
	{RegionSweden, "Sverige"}, {RegionNordic, "Norden utom Sverige"}, {RegionEU, "EU utom Norden"},
	{RegionEurope, "Europa utom EU"}, {RegionAfrica, "Afrika"}, {RegionAsia, "Asien"},
	{RegionNorthAmerica, "Nordamerika"}, {RegionSouthAmerica, "Sydamerika"}, {RegionOceania, "Oceanien"},
	{RegionUnknown, "Okänd"},
}

// BirthRegions lists the regions in the order the UI presents them.
var BirthRegions = birthRegions.values()

// Label is the Swedish name of the region.
func (r BirthRegion) Label() string { return birthRegions.label(r) }

// ParseBirthRegion reads a region code or its Swedish label.
func ParseBirthRegion(s string) (BirthRegion, bool) { return birthRegions.parse(s) }

// Education is a participant's highest completed education as an ISCED
// 2011 band.
type Education string

// The education bands.
const (
	EducationPrimary       Education = "isced_0_2"
	EducationSecondary     Education = "isced_3_4"
	EducationTertiaryShort Education = "isced_5"
	EducationTertiaryLong  Education = "isced_6_8"
	EducationUnknown       Education = "unknown"
)

var educations = enum[Education]{
	{EducationPrimary, "Förgymnasial (ISCED 0–2)"}, {EducationSecondary, "Gymnasial (ISCED 3–4)"},
	{EducationTertiaryShort, "Eftergymnasial kortare än 3 år (ISCED 5)"},
	{EducationTertiaryLong, "Eftergymnasial 3 år eller längre (ISCED 6–8)"}, {EducationUnknown, "Okänd"},
}

// Educations lists the bands in the order the UI presents them.
var Educations = educations.values()

// Label is the Swedish name of the band.
func (e Education) Label() string { return educations.label(e) }

// ParseEducation reads a band code or its Swedish label.
func ParseEducation(s string) (Education, bool) { return educations.parse(s) }

// LabourStatus is where a participant stood on the labour market when
// referred. The categories follow what the referring authorities record,
// coarse enough that a coordinator can answer without documents.
type LabourStatus string

// The labour-market statuses at entry.
const (
	LabourRegistered   LabourStatus = "registered_unemployed"
	LabourUnregistered LabourStatus = "unregistered_unemployed"
	LabourInProgramme  LabourStatus = "in_programme"
	LabourEmployed     LabourStatus = "employed"
	LabourStudying     LabourStatus = "studying"
	LabourOutside      LabourStatus = "outside"
	LabourUnknown      LabourStatus = "unknown"
)

var labourStatuses = enum[LabourStatus]{
	{LabourRegistered, "Arbetssökande, inskriven på Arbetsförmedlingen"},
	{LabourUnregistered, "Arbetslös, inte inskriven på Arbetsförmedlingen"},
	{LabourInProgramme, "I arbetsmarknadsinsats"},
	{LabourEmployed, "Anställd (även deltid eller timanställning)"},
	{LabourStudying, "Studerar"},
	{LabourOutside, "Utanför arbetskraften (t.ex. hemarbetande, sjukskriven)"},
	{LabourUnknown, "Okänd"},
}

// LabourStatuses lists the statuses in the order the UI presents them.
var LabourStatuses = labourStatuses.values()

// Label is the Swedish name of the status.
func (s LabourStatus) Label() string { return labourStatuses.label(s) }

// ParseLabourStatus reads a status code or its Swedish label.
func ParseLabourStatus(s string) (LabourStatus, bool) { return labourStatuses.parse(s) }

// IncomeSource is a participant's main income when referred.
type IncomeSource string

// The income sources at entry.
const (
	IncomeSocialAssistance IncomeSource = "social_assistance"
	IncomeEstablishment    IncomeSource = "establishment_allowance"
	IncomeActivitySupport  IncomeSource = "activity_support"
	IncomeWage             IncomeSource = "wage"
	IncomeNone             IncomeSource = "none"
	IncomeOther            IncomeSource = "other"
	IncomeUnknown          IncomeSource = "unknown"
)

var incomeSources = enum[IncomeSource]{
	{IncomeSocialAssistance, "Försörjningsstöd"}, {IncomeEstablishment, "Etableringsersättning"},
	{IncomeActivitySupport, "Aktivitetsstöd"}, {IncomeWage, "Lön"}, {IncomeNone, "Ingen inkomst"},
	{IncomeOther, "Annan"}, {IncomeUnknown, "Okänd"},
}

// IncomeSources lists the sources in the order the UI presents them.
var IncomeSources = incomeSources.values()

// Label is the Swedish name of the source.
func (s IncomeSource) Label() string { return incomeSources.label(s) }

// ParseIncomeSource reads a source code or its Swedish label.
func ParseIncomeSource(s string) (IncomeSource, bool) { return incomeSources.parse(s) }

// ReferralSource is the organisation that referred a participant.
type ReferralSource string

// The referring organisations; ReferralSelf is a participant who came by
// themselves.
const (
	ReferralEmploymentService ReferralSource = "employment_service"
	ReferralSocialServices    ReferralSource = "social_services"
	ReferralSelf              ReferralSource = "self"
	ReferralOther             ReferralSource = "other"
)

var referralSources = enum[ReferralSource]{
	{ReferralEmploymentService, "Arbetsförmedlingen"}, {ReferralSocialServices, "Socialtjänsten"},
	{ReferralSelf, "Egen anmälan"}, {ReferralOther, "Annan"},
}

// ReferralSources lists the referring organisations in the order the UI
// presents them.
var ReferralSources = referralSources.values()

// Label is the Swedish name of the referring organisation.
func (s ReferralSource) Label() string { return referralSources.label(s) }

// ParseReferralSource reads a referral source code or its Swedish label.
func ParseReferralSource(s string) (ReferralSource, bool) { return referralSources.parse(s) }

// DeclineReason is why a referred participant was not enrolled. It tells
// whether the person came to the intake interview, which the intake funnel
// counts ("kom till intervju").
type DeclineReason string

// The reasons for not enrolling.
const (
	DeclineNoShow          DeclineReason = "no_show"
	DeclineBeforeInterview DeclineReason = "participant_before_interview"
	DeclineParticipant     DeclineReason = "participant_after_interview"
	DeclineAssociation     DeclineReason = "association_after_interview"
	DeclineOtherReason     DeclineReason = "other"
)

var declineReasons = enum[DeclineReason]{
	{DeclineNoShow, "Kom inte till intervjun"},
	{DeclineBeforeInterview, "Tackade nej före intervjun"},
	{DeclineParticipant, "Tackade nej efter intervjun"},
	{DeclineAssociation, "Föreningen tackade nej efter intervjun"},
	{DeclineOtherReason, "Annat skäl"},
}

// DeclineReasons lists the reasons in the order the UI presents them.
var DeclineReasons = declineReasons.values()

// Label is the Swedish text of the reason.
func (r DeclineReason) Label() string { return declineReasons.label(r) }

// ParseDeclineReason reads a reason code or its Swedish label.
func ParseDeclineReason(s string) (DeclineReason, bool) { return declineReasons.parse(s) }

// Came reports whether a participant declined for this reason had come to
// the intake interview.
func (r DeclineReason) Came() bool { return r == DeclineParticipant || r == DeclineAssociation }

// ExitDestination is where a participant went on leaving, coded to the
// national municipal-statistics definitions.
type ExitDestination string

// The exit destinations.
const (
	ExitWork          ExitDestination = "work"
	ExitStudies       ExitDestination = "studies"
	ExitOtherMeasure  ExitDestination = "other_measure"
	ExitParentalLeave ExitDestination = "parental_leave"
	ExitIllness       ExitDestination = "illness"
	ExitMoved         ExitDestination = "moved"
	ExitUnknown       ExitDestination = "unknown"
)

var exitDestinations = enum[ExitDestination]{
	{ExitWork, "Arbete"}, {ExitStudies, "Studier"}, {ExitOtherMeasure, "Annan insats"},
	{ExitParentalLeave, "Föräldraledighet"}, {ExitIllness, "Sjukdom"}, {ExitMoved, "Flytt"}, {ExitUnknown, "Okänd"},
}

// ExitDestinations lists the destinations in the order the UI presents them.
var ExitDestinations = exitDestinations.values()

// Label is the Swedish name of the destination.
func (d ExitDestination) Label() string { return exitDestinations.label(d) }

// Hint is the definition the choice must meet, shown beside it on the form.
func (d ExitDestination) Hint() string {
	switch d {
	case ExitWork:
		return "Anställning på den reguljära arbetsmarknaden som varar minst en sammanhängande månad. Kommunala arbetsmarknadsanställningar räknas inte."
	case ExitStudies:
		return "Utbildning som ger rätt till studiemedel."
	case ExitOtherMeasure:
		return "En annan arbetsmarknadsinsats, till exempel hos Arbetsförmedlingen eller en kommunal arbetsmarknadsanställning."
	case ExitParentalLeave:
		return "Föräldraledighet som gör att deltagandet avslutas."
	case ExitIllness:
		return "Sjukdom eller sjukskrivning som gör att deltagandet avslutas."
	case ExitMoved:
		return "Flyttat från kommunen."
	case ExitUnknown:
		return "Avslutad utan känd fortsättning."
	}
	return ""
}

// ParseExitDestination reads a destination code or its Swedish label.
func ParseExitDestination(s string) (ExitDestination, bool) { return exitDestinations.parse(s) }

// ConsentScope is what a participant's consent covers.
type ConsentScope string

// The consent scopes. Identifying fields may be stored only while a
// ConsentIdentity is in force.
const (
	ConsentIdentity ConsentScope = "identity_storage"
	ConsentFollowUp ConsentScope = "follow_up_contact"
)

var consentScopes = enum[ConsentScope]{
	{ConsentIdentity, "Lagring av identitetsuppgifter"}, {ConsentFollowUp, "Kontakt för uppföljning efter avslut"},
}

// ConsentScopes lists the scopes in the order the UI presents them.
var ConsentScopes = consentScopes.values()

// Label is the Swedish name of the scope.
func (s ConsentScope) Label() string { return consentScopes.label(s) }

// ParseConsentScope reads a scope code or its Swedish label.
func ParseConsentScope(s string) (ConsentScope, bool) { return consentScopes.parse(s) }

// ParticipantStatus is where a participant is in the lifecycle. It is
// computed from the lifecycle dates, never stored on its own.
type ParticipantStatus string

// The statuses: referred → enrolled → exited, or referred → declined.
const (
	StatusReferred ParticipantStatus = "referred"
	StatusEnrolled ParticipantStatus = "enrolled"
	StatusDeclined ParticipantStatus = "declined"
	StatusExited   ParticipantStatus = "exited"
)

var participantStatuses = enum[ParticipantStatus]{
	{StatusReferred, "Anvisad"}, {StatusEnrolled, "Inskriven"}, {StatusDeclined, "Ej inskriven"}, {StatusExited, "Avslutad"},
}

// ParticipantStatuses lists the statuses in the order the UI presents them.
var ParticipantStatuses = participantStatuses.values()

// Label is the Swedish name of the status.
func (s ParticipantStatus) Label() string { return participantStatuses.label(s) }

// ParseParticipantStatus reads a status code or its Swedish label.
func ParseParticipantStatus(s string) (ParticipantStatus, bool) { return participantStatuses.parse(s) }
