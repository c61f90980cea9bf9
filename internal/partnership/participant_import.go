package partnership

import (
	"maps"
	"slices"
	"time"
)

// ParticipantImportColumns are the columns of a participant import file,
// in the template's order, named as the register form labels its fields.
// Headers are matched ignoring case and spaces around '/'; some fields are
// also known by a shorter header (see participantImportColumns).
var ParticipantImportColumns = func() []string {
	out := make([]string, len(participantImportColumns))
	for i, c := range participantImportColumns {
		out[i] = c.Name
	}
	return out
}()

// The column indexes of participantImportColumns.
const (
	pcolGender = iota
	pcolBirthYear
	pcolBirthRegion
	pcolYearsInSweden
	pcolEducation
	pcolLabour
	pcolIncome
	pcolLivingArea
	pcolWorkCapacity
	pcolCohort
	pcolReferredOn
	pcolReferralSource
	pcolEnrolledOn
	pcolName
	pcolPersonnummer
	pcolPhone
	pcolEmail
	pcolConsent
)

var participantImportColumns = []importColumn{
	pcolGender:         {Name: "Kön"},
	pcolBirthYear:      {Name: "Födelseår"},
	pcolBirthRegion:    {Name: "Födelseregion"},
	pcolYearsInSweden:  {Name: "År i Sverige"},
	pcolEducation:      {Name: "Utbildningsnivå"},
	pcolLabour:         {Name: "Sysselsättning vid inskrivning", Aliases: []string{"Ställning på arbetsmarknaden vid inskrivning", "Ställning på arbetsmarknaden", "Sysselsättning"}},
	pcolIncome:         {Name: "Försörjning vid inskrivning", Aliases: []string{"Försörjning"}},
	pcolLivingArea:     {Name: "Bostadsområde"},
	pcolWorkCapacity:   {Name: "Arbetsförmåga (tim/vecka)", Aliases: []string{"Arbetsförmåga, timmar per vecka", "Arbetsförmåga"}},
	pcolCohort:         {Name: "Grupp"},
	pcolReferredOn:     {Name: "Anvisad datum", Aliases: []string{"Anvisningsdatum"}},
	pcolReferralSource: {Name: "Anvisad av"},
	pcolEnrolledOn:     {Name: "Inskriven datum", Aliases: []string{"Inskrivningsdatum"}},
	pcolName:           {Name: "Namn"},
	pcolPersonnummer:   {Name: "Personnummer"},
	pcolPhone:          {Name: "Telefon"},
	pcolEmail:          {Name: "E-post"},
	pcolConsent:        {Name: "Samtycke datum", Aliases: []string{"Samtyckesdatum", "Samtycke"}},
}

// participantImportRequired are the columns a file must have: those the
// register form requires.
var participantImportRequired = []int{
	pcolGender, pcolBirthYear, pcolBirthRegion, pcolEducation, pcolLabour, pcolIncome, pcolReferredOn, pcolReferralSource,
}

// participantColumnFields are the form field names (as Participant.Validate,
// ParseIdentity and the participant service name them) of each column.
var participantColumnFields = [...]string{
	pcolGender: "gender", pcolBirthYear: "birth_year", pcolBirthRegion: "birth_region",
	pcolYearsInSweden: "years_in_sweden", pcolEducation: "education", pcolLabour: "labour_status",
	pcolIncome: "income_source", pcolLivingArea: "living_area", pcolWorkCapacity: "work_capacity_hours",
	pcolCohort: "cohort", pcolReferredOn: "referred_on", pcolReferralSource: "referral_source",
	pcolEnrolledOn: "enrolled_on", pcolName: "name", pcolPersonnummer: "personnummer", pcolPhone: "phone",
	pcolEmail: "email", pcolConsent: "consent_given_on",
}

// MaxParticipantImportRows bounds the participants of one import file: far
// more than any agreement takes in during its whole term.
const MaxParticipantImportRows = 2000

// ParticipantImportRow is one participant read from an import file: the
// Excel row it came from, the statistical and lifecycle fields, and an
// optional identity with the day the consent to store it was given (set
// whenever the identity is).
type ParticipantImportRow struct {
	Row            int
	Participant    Participant
	Identity       Identity
	ConsentGivenOn *time.Time
}

// ParseParticipantImport reads a CSV file of participants as Excel saves it
// (the encodings, separators and line ends of ParseActivityImport). Coded
// fields are given as their Swedish labels (or codes), case ignored;
// years and hours as whole numbers; dates as ISO dates. The identity
// columns are optional; a row with any identifying field must have a
// consent date. Every row is checked, also after the first problem; when
// any is found the result is nil and the error is ImportErrors listing them
// all by row and column. No message repeats a personnummer, and no text
// from the file that looks like one is quoted. The rows returned pass
// Participant.Validate(today).
func ParseParticipantImport(data []byte, today time.Time) ([]ParticipantImportRow, error) {
	t, errs := readImportTable(data, MaxParticipantImportRows, "Filen har fler än 2 000 deltagare. Dela upp den i flera filer.")
	if len(errs) > 0 {
		return nil, errs
	}
	cols, errs := mapImportHeader(t.Header, participantImportColumns, participantImportRequired)
	if len(errs) > 0 {
		for i := range errs {
			errs[i].Column = unlikeIdentifier(errs[i].Column)
		}
		return nil, errs
	}
	var out []ParticipantImportRow
	for _, rec := range t.Records {
		row, rowErrs := parseParticipantRow(cols, rec.Row, rec.Fields, today)
		errs = append(errs, rowErrs...)
		out = append(out, row)
	}
	errs = append(errs, t.Stopped...)
	if len(errs) > 0 {
		return nil, errs
	}
	if len(out) == 0 {
		return nil, ImportErrors{{Row: 2, Message: "Filen innehåller inga deltagare under rubrikraden."}}
	}
	return out, nil
}

// ParticipantImportErrors turns a validation error of the participant on
// Excel row row, keyed by form field, into import problems by column, in
// column order; a problem with no column of its own (the agreement) comes
// last.
func ParticipantImportErrors(row int, v ValidationError) ImportErrors {
	var errs ImportErrors
	known := map[string]bool{}
	for col, field := range participantColumnFields {
		known[field] = true
		if msg := v[field]; msg != "" {
			errs = append(errs, ImportError{Row: row, Column: participantImportColumns[col].Name, Message: msg})
		}
	}
	for _, field := range slices.Sorted(maps.Keys(v)) {
		if !known[field] {
			errs = append(errs, ImportError{Row: row, Message: v[field]})
		}
	}
	return errs
}

// ParticipantImportTemplate is the file users download to fill in: the
// header and one example row, referred and enrolled on the given date,
// without an identity.
func ParticipantImportTemplate(example time.Time) []byte {
	day := dayOf(example).Format(time.DateOnly)
	row := []string{
		GenderWoman.Label(), "1988", RegionAfrica.Label(), "6", EducationSecondary.Label(),
		LabourRegistered.Label(), IncomeSocialAssistance.Label(), "Centrum", "20", "Grupp 1",
		day, ReferralEmploymentService.Label(), day, "", "", "", "", "",
	}
	return writeExcelCSV([][]string{ParticipantImportColumns, row})
}
