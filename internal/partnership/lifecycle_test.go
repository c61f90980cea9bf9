package partnership_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"iop/internal/partnership"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayp(s string) *time.Time {
	d := day(s)
	return &d
}

// complete is a draft with everything activation requires: Linköpings
// Stadsmission's "Hoppfull framtid", 2018–2019, extendable two years at a
// time at most twice, six months' notice.
func complete() partnership.Agreement {
	return partnership.Agreement{
		ID: 1, Title: "Hoppfull framtid", Status: partnership.StatusDraft,
		StartDate: dayp("2018-01-01"), EndDate: dayp("2019-12-31"),
		ExtensionMonths: 24, MaxExtensions: 2, NoticeMonths: 6,
		Parties: []partnership.Party{
			{ID: 10, OrganisationID: 1, Role: partnership.PartyMunicipality, SignatoryName: "Kim Ordförande"},
			{ID: 11, OrganisationID: 2, Role: partnership.PartyLeadAssociation, SignatoryName: "Lo Verksamhetschef"},
		},
	}
}

func active() partnership.Agreement {
	a := complete()
	a.Status = partnership.StatusActive
	return a
}

func TestActivate(t *testing.T) {
	const (
		parties    = "Minst två parter, varav en kommun"
		validity   = "Giltighetstid (start- och slutdatum)"
		signatures = "Firmatecknare för varje part"
	)
	tests := []struct {
		name    string
		change  func(*partnership.Agreement)
		missing []string // nil: activation succeeds
	}{
		{"complete", func(*partnership.Agreement) {}, nil},
		{"empty draft", func(a *partnership.Agreement) {
			*a = partnership.Agreement{Title: "Tom", Status: partnership.StatusDraft}
		},
			[]string{parties, validity, signatures}},
		{"one party", func(a *partnership.Agreement) { a.Parties = a.Parties[:1] }, []string{parties}},
		{"no municipality", func(a *partnership.Agreement) { a.Parties[0].Role = partnership.PartyPartnerAssociation }, []string{parties}},
		{"no end date", func(a *partnership.Agreement) { a.EndDate = nil }, []string{validity}},
		{"no start date", func(a *partnership.Agreement) { a.StartDate = nil }, []string{validity}},
		{"a party without signatory", func(a *partnership.Agreement) { a.Parties[1].SignatoryName = "  " }, []string{signatures}},
		{"no dates, one signatory missing", func(a *partnership.Agreement) {
			a.StartDate, a.EndDate, a.Parties[0].SignatoryName = nil, nil, ""
		}, []string{validity, signatures}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := complete()
			tt.change(&a)
			err := a.Activate()
			if tt.missing == nil {
				if err != nil || a.Status != partnership.StatusActive {
					t.Fatalf("activate: %v, status %s", err, a.Status)
				}
				return
			}
			var aerr *partnership.ActivationError
			if !errors.As(err, &aerr) || !slices.Equal(aerr.Missing, tt.missing) {
				t.Fatalf("activate: %v, want missing %q", err, tt.missing)
			}
			if a.Status != partnership.StatusDraft {
				t.Errorf("status changed to %s", a.Status)
			}
			for _, m := range tt.missing {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("message %q does not name %q", err, m)
				}
			}
		})
	}
	a := active()
	var verr partnership.ValidationError
	if err := a.Activate(); !errors.As(err, &verr) {
		t.Errorf("activating an active agreement: %v", err)
	}
}

func TestStatusOnEndsAutomatically(t *testing.T) {
	extended := active()
	extended.Extensions = []partnership.Extension{{DecidedOn: day("2019-05-01"), DecisionRef: "§ 1", NewEndDate: day("2021-12-31")}}
	terminated := active()
	terminated.Status = partnership.StatusTerminated
	terminated.Termination = &partnership.Termination{On: day("2019-06-30"), Kind: partnership.TerminationNotice, Reason: "x"}
	tests := []struct {
		name  string
		a     partnership.Agreement
		today time.Time
		want  partnership.AgreementStatus
	}{
		{"active within its period", active(), day("2019-06-01"), partnership.StatusActive},
		{"active on its last day", active(), time.Date(2019, 12, 31, 23, 59, 0, 0, time.UTC), partnership.StatusActive},
		{"ended the day after", active(), day("2020-01-01"), partnership.StatusEnded},
		{"extension keeps it active", extended, day("2021-06-01"), partnership.StatusActive},
		{"ended after the extension", extended, day("2022-01-01"), partnership.StatusEnded},
		{"a draft never ends by itself", complete(), day("2030-01-01"), partnership.StatusDraft},
		{"terminated stays terminated", terminated, day("2030-01-01"), partnership.StatusTerminated},
	}
	for _, tt := range tests {
		if got := tt.a.StatusOn(tt.today); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestTerminate(t *testing.T) {
	ok := partnership.Termination{On: day("2019-06-30"), Kind: partnership.TerminationRescission, Reason: "Väsentligt avtalsbrott", Settlement: "Återbetalning av 50 000 kr"}
	tests := []struct {
		name   string
		a      partnership.Agreement
		t      partnership.Termination
		fields []string // fields refused; nil: terminated
	}{
		{"rescission of an active agreement", active(), ok, nil},
		{"notice without settlement", active(), partnership.Termination{On: day("2019-12-31"), Kind: partnership.TerminationNotice, Reason: "Ändrade behov"}, nil},
		{"a draft", complete(), ok, []string{"terminated_on"}},
		{"nothing filled in", active(), partnership.Termination{}, []string{"terminated_on", "termination_kind", "termination_reason"}},
		{"before the start", active(), partnership.Termination{On: day("2017-12-31"), Kind: partnership.TerminationNotice, Reason: "x"}, []string{"terminated_on"}},
		{"after the end", active(), partnership.Termination{On: day("2020-01-01"), Kind: partnership.TerminationNotice, Reason: "x"}, []string{"terminated_on"}},
		{"unknown kind", active(), partnership.Termination{On: day("2019-01-01"), Kind: "other", Reason: "x"}, []string{"termination_kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			err := a.Terminate(tt.t)
			if tt.fields == nil {
				if err != nil || a.Status != partnership.StatusTerminated || *a.Termination != tt.t {
					t.Fatalf("terminate: %v, status %s", err, a.Status)
				}
				if a.StatusOn(day("2019-07-01")) != partnership.StatusTerminated {
					t.Errorf("StatusOn after termination: %s", a.StatusOn(day("2019-07-01")))
				}
				return
			}
			var verr partnership.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("terminate: %v", err)
			}
			for _, f := range tt.fields {
				if verr[f] == "" {
					t.Errorf("no message for %s: %v", f, verr)
				}
			}
			if a.Status != tt.a.Status || a.Termination != nil {
				t.Errorf("changed: %s %+v", a.Status, a.Termination)
			}
		})
	}
}

func TestAddExtension(t *testing.T) {
	ext := func(newEnd string) partnership.Extension {
		return partnership.Extension{DecidedOn: day("2019-05-10"), DecisionRef: "AMN 2019 § 12", NewEndDate: day(newEnd)}
	}
	once := active()
	once.Extensions = []partnership.Extension{ext("2021-12-31")}
	twice := once
	twice.Extensions = append(slices.Clone(once.Extensions), ext("2023-12-31"))
	noTerms := active()
	noTerms.ExtensionMonths, noTerms.MaxExtensions = 0, 0
	tests := []struct {
		name    string
		a       partnership.Agreement
		e       partnership.Extension
		wantEnd string // the current end afterwards; "" means refused
		message string // part of the refusal
	}{
		{"the full two years", active(), ext("2021-12-31"), "2021-12-31", ""},
		{"shorter than the terms", active(), ext("2020-12-31"), "2020-12-31", ""},
		{"the second extension from the new end", once, ext("2023-12-31"), "2023-12-31", ""},
		{"one day beyond the terms", active(), ext("2022-01-01"), "", "högst 24 månader, alltså till och med 2021-12-31"},
		{"beyond the terms from the new end", once, ext("2024-01-31"), "", "till och med 2023-12-31"},
		{"not after the current end", once, ext("2021-12-31"), "", "måste vara efter nuvarande slutdatum 2021-12-31"},
		{"a third extension", twice, ext("2025-12-31"), "", "högst 2 gånger"},
		{"no extension terms", noTerms, ext("2020-12-31"), "", "saknar villkor om förlängning"},
		{"a draft", complete(), ext("2020-12-31"), "", "Bara en aktiv"},
		{"no decision", active(), partnership.Extension{NewEndDate: day("2020-12-31")}, "", "Ange beslutsdatum"},
		{"no new end date", active(), partnership.Extension{DecidedOn: day("2019-05-10"), DecisionRef: "§ 1"}, "", "Ange nytt slutdatum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			before := len(a.Extensions)
			err := a.AddExtension(tt.e)
			if tt.wantEnd != "" {
				if err != nil {
					t.Fatalf("extend: %v", err)
				}
				if got := a.CurrentEnd().Format(time.DateOnly); got != tt.wantEnd || len(a.Extensions) != before+1 {
					t.Errorf("current end %s (%d extensions), want %s", got, len(a.Extensions), tt.wantEnd)
				}
				if a.ExtensionsLeft() != a.MaxExtensions-before-1 {
					t.Errorf("extensions left %d", a.ExtensionsLeft())
				}
				return
			}
			var verr partnership.ValidationError
			if !errors.As(err, &verr) || !strings.Contains(verr.Error(), tt.message) {
				t.Fatalf("extend: %v, want a refusal saying %q", err, tt.message)
			}
			if len(a.Extensions) != before {
				t.Errorf("extension recorded despite the refusal")
			}
		})
	}
}

func TestDecisionNeededBy(t *testing.T) {
	extended := active()
	extended.Extensions = []partnership.Extension{{NewEndDate: day("2021-12-31")}}
	noNotice := active()
	noNotice.NoticeMonths = 0
	midMonth := active()
	midMonth.EndDate = dayp("2019-08-15")
	draft := complete()
	draft.EndDate = nil
	tests := []struct {
		name string
		a    partnership.Agreement
		want string // "" for none
	}{
		{"end − six months, at the end of a month", active(), "2019-06-30"},
		{"from the extended end", extended, "2021-06-30"},
		{"no notice period", noNotice, "2019-12-31"},
		{"mid-month end", midMonth, "2019-02-15"},
		{"no end date", draft, ""},
	}
	for _, tt := range tests {
		got := tt.a.DecisionNeededBy()
		if tt.want == "" {
			if got != nil {
				t.Errorf("%s: %s, want none", tt.name, got.Format(time.DateOnly))
			}
			continue
		}
		if got == nil || got.Format(time.DateOnly) != tt.want {
			t.Errorf("%s: %v, want %s", tt.name, got, tt.want)
		}
	}
}

func TestWarnings(t *testing.T) {
	used := active()
	used.Extensions = []partnership.Extension{{NewEndDate: day("2021-12-31")}, {NewEndDate: day("2023-12-31")}}
	const (
		decision = "Beslut om förlängning behövs senast 2019-06-30"
		ends     = "Upphör 2019-12-31"
	)
	tests := []struct {
		name  string
		a     partnership.Agreement
		today string
		want  []string
	}{
		{"plenty of time", active(), "2019-01-01", nil},
		{"the day before the decision is due in three months", active(), "2019-03-30", nil},
		{"decision due within three months", active(), "2019-03-31", []string{decision}},
		{"decision overdue and the end within six months", active(), "2019-07-01", []string{decision, ends}},
		{"every extension used: only the end", used, "2023-07-01", []string{"Upphör 2023-12-31"}},
		{"ended: nothing", active(), "2020-01-01", nil},
		{"a draft: nothing", complete(), "2019-07-01", nil},
	}
	for _, tt := range tests {
		if got := tt.a.Warnings(day(tt.today)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2019-12-31", 24, "2021-12-31"},
		{"2024-12-31", -6, "2024-06-30"},
		{"2023-06-30", 6, "2023-12-31"},
		{"2024-01-30", 1, "2024-02-29"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2023-02-28", 12, "2024-02-29"},
		{"2019-08-15", -6, "2019-02-15"},
		{"2019-03-31", 0, "2019-03-31"},
	}
	for _, tt := range tests {
		if got := partnership.AddMonths(day(tt.from), tt.n).Format(time.DateOnly); got != tt.want {
			t.Errorf("%s %+d months: %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}
