package annualreport

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// State is where a report stands in its review.
type State string

// The states of a report. A year without a stored report is NotStarted.
const (
	NotStarted State = ""
	Draft      State = "draft"
	Submitted  State = "submitted"
	Returned   State = "returned"
	Approved   State = "approved"
)

// Label is the Swedish name of the state.
func (s State) Label() string {
	switch s {
	case NotStarted:
		return "Inte påbörjad"
	case Draft:
		return "Utkast"
	case Submitted:
		return "Inlämnad"
	case Returned:
		return "Återsänd för komplettering"
	case Approved:
		return "Godkänd"
	}
	return string(s)
}

// Done reports whether the association has handed the report in: the
// yearly report deadline is met once it is submitted (and stays met when
// it is approved; a returned report is due again).
func (s State) Done() bool { return s == Submitted || s == Approved }

// Action is a step of the workflow.
type Action string

// The actions on a report.
const (
	ActRead    Action = "read"
	ActSave    Action = "save"    // write the narrative as a draft
	ActSubmit  Action = "submit"  // hand it in to the municipality
	ActComment Action = "comment" // the officer's comment
	ActReturn  Action = "return"  // back to the association, with a comment
	ActApprove Action = "approve" // approve and lock the year
)

// writers are the roles that write the narrative: the staff of the
// agreement's associations (which agreements they reach is decided by
// visibility, see Service).
func writer(r partnership.Role) bool { return r == partnership.RoleAssociationStaff }

// reviewer is a role that reviews reports: the municipality's officers
// and administrators.
func reviewer(r partnership.Role) bool {
	return r == partnership.RoleOfficer || r == partnership.RoleAdmin
}

// MayRead reports whether a role reads annual reports at all: everyone but
// the coordinator (association staff only their own agreements').
func MayRead(r partnership.Role) bool {
	return writer(r) || reviewer(r) || r == partnership.RoleViewer
}

// MaySaveSummary reports whether a role writes the portfolio's summary.
func MaySaveSummary(r partnership.Role) bool { return reviewer(r) }

// ShowsDisclosed reports whether a role's pages show figures after
// disclosure control: the viewer (the committee's secretary) always does;
// officers, admins and the association's own staff work inside the system.
func ShowsDisclosed(r partnership.Role) bool { return r == partnership.RoleViewer }

// Check decides whether a role may take act on a report in state: nil when
// it may, an error wrapping partnership.ErrForbidden when the role never
// may, and one wrapping partnership.ErrConflict when the role may but not
// in this state (nobody changes an approved report).
func Check(role partnership.Role, state State, act Action) error {
	var roleOK bool
	var states []State
	switch act {
	case ActRead:
		return roleErr(MayRead(role), role, act)
	case ActSave, ActSubmit:
		// Submit saves the narrative it is given first, so a report can be
		// written and handed in in one go.
		roleOK, states = writer(role), []State{NotStarted, Draft, Returned}
	case ActComment, ActReturn, ActApprove:
		roleOK, states = reviewer(role), []State{Submitted}
	default:
		return fmt.Errorf("unknown action %q: %w", act, partnership.ErrForbidden)
	}
	if err := roleErr(roleOK, role, act); err != nil {
		return err
	}
	for _, s := range states {
		if s == state {
			return nil
		}
	}
	return fmt.Errorf("%s a report that is %q: %w", act, state, partnership.ErrConflict)
}

func roleErr(ok bool, role partnership.Role, act Action) error {
	if !ok {
		return fmt.Errorf("role %q may not %s annual reports: %w", role, act, partnership.ErrForbidden)
	}
	return nil
}

// Limits of the texts, as the database allows them.
const (
	MaxNarrative = 20000
	MaxComment   = 5000
)

// NarrativeFields are the form fields of the narrative, in order, with
// their Swedish headings.
var NarrativeFields = []struct{ Name, Label string }{
	{"activities", "Genomförda aktiviteter"},
	{"results", "Resultat"},
	{"lessons", "Lärdomar"},
	{"challenges", "Utmaningar"},
	{"next_year", "Nästa år"},
}

// NarrativeValues are the narrative's texts by form field.
func NarrativeValues(n postgres.Narrative) map[string]string {
	return map[string]string{"activities": n.Activities, "results": n.Results, "lessons": n.Lessons,
		"challenges": n.Challenges, "next_year": n.NextYear}
}

// NarrativeOf is the narrative of form values by field name, trimmed.
func NarrativeOf(values map[string]string) postgres.Narrative {
	t := func(f string) string { return strings.TrimSpace(values[f]) }
	return postgres.Narrative{Activities: t("activities"), Results: t("results"), Lessons: t("lessons"),
		Challenges: t("challenges"), NextYear: t("next_year")}
}

// ValidateDraft checks the narrative's lengths: a draft may be incomplete.
func ValidateDraft(n postgres.Narrative) partnership.ValidationError {
	verr := partnership.ValidationError{}
	for f, v := range NarrativeValues(n) {
		if utf8.RuneCountInString(v) > MaxNarrative {
			verr.Add(f, fmt.Sprintf("Texten får vara högst %d tecken.", MaxNarrative))
		}
	}
	return verr
}

// ValidateSubmit checks a narrative before it is handed in: besides the
// lengths, every heading needs a text.
func ValidateSubmit(n postgres.Narrative) partnership.ValidationError {
	verr := ValidateDraft(n)
	values := NarrativeValues(n)
	for _, f := range NarrativeFields {
		if values[f.Name] == "" {
			verr.Add(f.Name, "Skriv något under "+f.Label+" innan rapporten lämnas in.")
		}
	}
	return verr
}

// ValidateComment checks an officer's comment; required says that it may
// not be empty (a return always explains why).
func ValidateComment(body string) partnership.ValidationError {
	verr := partnership.ValidationError{}
	switch {
	case strings.TrimSpace(body) == "":
		verr.Add("comment", "Skriv en kommentar.")
	case utf8.RuneCountInString(body) > MaxComment:
		verr.Add("comment", fmt.Sprintf("Kommentaren får vara högst %d tecken.", MaxComment))
	}
	return verr
}

// ValidateSummary checks the officer's summary of the portfolio.
func ValidateSummary(summary string) partnership.ValidationError {
	verr := partnership.ValidationError{}
	switch {
	case strings.TrimSpace(summary) == "":
		verr.Add("summary", "Skriv en sammanfattning.")
	case utf8.RuneCountInString(summary) > MaxNarrative:
		verr.Add("summary", fmt.Sprintf("Sammanfattningen får vara högst %d tecken.", MaxNarrative))
	}
	return verr
}
