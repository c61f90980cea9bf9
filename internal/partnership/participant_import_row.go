package partnership

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Messages of the participant import's cells.
const (
	msgImportYear         = "Ange födelseåret med fyra siffror, till exempel 1988."
	msgImportWholeNumber  = "Ange ett heltal, till exempel 5, eller lämna tomt."
	msgImportDate         = "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2024-03-05."
	msgImportConsentNeed  = "Ange när samtycket till lagring av identitetsuppgifter gavs: identitetsuppgifter sparas bara med samtycke."
	msgImportConsentAlone = "Ett samtyckesdatum hör till identitetsuppgifter. Fyll i dem eller lämna datumet tomt."
)

// parseParticipantRow reads the record of Excel row row and reports its
// problems in column order, one per column: a cell that cannot be read
// (not a number, a date or one of the labels) first, then the rules of
// Participant.Validate, ParseIdentity and the consent.
func parseParticipantRow(cols []int, row int, record []string, today time.Time) (ParticipantImportRow, ImportErrors) {
	var errs ImportErrors
	msgs := make([]string, len(participantImportColumns)) // the first problem of each column
	fail := func(col int, msg string) {
		if msgs[col] == "" {
			msgs[col] = msg
		}
	}
	cell := func(col int) string { return importCell(cols, record, col) }
	if extraImportFields(cols, record) {
		errs = append(errs, ImportError{Row: row, Message: msgImportExtraFields})
	}
	for col := range participantImportColumns {
		if !storableCell(cell(col)) {
			fail(col, msgImportControl)
		}
	}

	var p Participant
	p.Gender = importEnum(cell(pcolGender), genders, "kön", func(m string) { fail(pcolGender, m) })
	p.BirthRegion = importEnum(cell(pcolBirthRegion), birthRegions, "födelseregion", func(m string) { fail(pcolBirthRegion, m) })
	p.Education = importEnum(cell(pcolEducation), educations, "utbildningsnivå", func(m string) { fail(pcolEducation, m) })
	p.LabourStatus = importEnum(cell(pcolLabour), labourStatuses, "sysselsättning vid inskrivning", func(m string) { fail(pcolLabour, m) })
	p.IncomeSource = importEnum(cell(pcolIncome), incomeSources, "försörjning vid inskrivning", func(m string) { fail(pcolIncome, m) })
	p.ReferralSource = importEnum(cell(pcolReferralSource), referralSources, "vem som anvisade", func(m string) { fail(pcolReferralSource, m) })
	if s := cell(pcolBirthYear); s != "" {
		if n, ok := importInt(s); ok {
			p.BirthYear = n
		} else {
			fail(pcolBirthYear, msgImportYear)
		}
	}
	optInt := func(col int) *int {
		s := cell(col)
		if s == "" {
			return nil
		}
		n, ok := importInt(s)
		if !ok {
			fail(col, msgImportWholeNumber)
			return nil
		}
		return &n
	}
	p.YearsInSweden = optInt(pcolYearsInSweden)
	p.WorkCapacityHours = optInt(pcolWorkCapacity)
	p.LivingArea, p.Cohort = cell(pcolLivingArea), cell(pcolCohort)
	date := func(col int) *time.Time {
		s := cell(col)
		if s == "" {
			return nil
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil || len(s) != len(time.DateOnly) {
			fail(col, msgImportDate)
			return nil
		}
		return &d
	}
	if d := date(pcolReferredOn); d != nil {
		p.ReferredOn = *d
	}
	p.EnrolledOn = date(pcolEnrolledOn)
	p = p.Normalize()

	out := ParticipantImportRow{Row: row, Participant: p}
	v := ValidationError{}
	if err := p.Validate(today); err != nil {
		errors.As(err, &v)
	}
	id, err := ParseIdentity(cell(pcolName), cell(pcolPersonnummer), cell(pcolPhone), cell(pcolEmail), today)
	var idErr ValidationError
	if errors.As(err, &idErr) {
		for field, msg := range idErr {
			v.Add(field, msg)
		}
	}
	out.Identity = id
	out.ConsentGivenOn = date(pcolConsent)
	hasIdentity := err != nil || !id.IsZero()
	switch {
	case hasIdentity && out.ConsentGivenOn == nil && msgs[pcolConsent] == "":
		v.Add("consent_given_on", msgImportConsentNeed)
	case !hasIdentity && out.ConsentGivenOn != nil:
		v.Add("consent_given_on", msgImportConsentAlone)
	case out.ConsentGivenOn != nil:
		if (Consent{Scope: ConsentIdentity, GivenOn: *out.ConsentGivenOn}).Validate(today) != nil {
			v.Add("consent_given_on", MsgConsentGivenOn)
		}
	}
	for col, field := range participantColumnFields {
		if msg := v[field]; msg != "" {
			fail(col, msg)
		}
	}
	for col, msg := range msgs {
		if msg != "" {
			errs = append(errs, ImportError{Row: row, Column: participantImportColumns[col].Name, Message: msg})
		}
	}
	return out, errs
}

// importEnum reads a coded field given as its Swedish label or code. A
// hyphen is taken for the en dash of labels such as "Förgymnasial (ISCED
// 0–2)", as few type the dash. An empty or unknown cell is reported with
// the labels to choose from.
func importEnum[T ~string](s string, e enum[T], what string, fail func(string)) T {
	if s == "" {
		fail("Ange " + what + ". Använd en av: " + e.labels() + ".")
		return ""
	}
	if v, ok := e.parse(s); ok {
		return v
	}
	if v, ok := e.parse(strings.ReplaceAll(s, "-", "–")); ok {
		return v
	}
	if q := unlikeIdentifier(shownText(s)); q != "" {
		fail("Okänt värde ”" + q + "”. Använd en av: " + e.labels() + ".")
	} else {
		fail("Okänt värde. Använd en av: " + e.labels() + ".")
	}
	return ""
}

func (e enum[T]) labels() string {
	names := make([]string, len(e))
	for i, o := range e {
		names[i] = o.label
	}
	return strings.Join(names, ", ")
}

// importInt reads a whole number as Excel may write it, with spaces
// between groups of digits.
func importInt(s string) (int, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
	if s == "" || len(s) > 6 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// unlikeIdentifier is s, or "" when s holds six digits or more and could
// be a personnummer put in the wrong column: a message quotes no such text.
func unlikeIdentifier(s string) string {
	digits := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if digits >= 6 {
		return ""
	}
	return s
}
