package partnership

import (
	"testing"
	"time"
)

func dayPtr(s string) *time.Time { t := day(s); return &t }

func deadlineAgreement() Agreement {
	return Agreement{
		ID: 7, Title: "IKF", Status: StatusActive, StartDate: dayPtr("2023-01-01"), EndDate: dayPtr("2025-12-31"),
		ExtensionMonths: 12, MaxExtensions: 1, NoticeMonths: 6, DialogueMeetingsPerYear: 2, ReportingDuties: "Årsrapport",
		InvoiceFrequency: InvoiceQuarterly,
	}
}

func TestExtensionDeadline(t *testing.T) {
	extended := deadlineAgreement()
	extended.Extensions = []Extension{{NewEndDate: day("2026-12-31")}}
	twoLeft := deadlineAgreement()
	twoLeft.MaxExtensions = 2
	twoLeft.Extensions = extended.Extensions
	noTerms := deadlineAgreement()
	noTerms.ExtensionMonths = 0
	threeMonths := deadlineAgreement()
	threeMonths.NoticeMonths = 3
	threeMonths.EndDate = dayPtr("2025-05-31")
	draft := deadlineAgreement()
	draft.Status = StatusDraft
	for _, tc := range []struct {
		name  string
		a     Agreement
		today string
		due   string // "" for no deadline
		ref   string
	}{
		{"six months before the end", deadlineAgreement(), "2025-01-10", "2025-06-30", "2025-12-31"},
		{"overdue still listed while in force", deadlineAgreement(), "2025-09-01", "2025-06-30", "2025-12-31"},
		{"no extension left", extended, "2026-01-10", "", ""},
		{"second extension from the new end", twoLeft, "2026-01-10", "2026-06-30", "2026-12-31"},
		{"no extension terms", noTerms, "2025-01-10", "", ""},
		{"month end clamped", threeMonths, "2025-01-10", "2025-02-28", "2025-05-31"},
		{"ended agreement", deadlineAgreement(), "2026-01-01", "", ""},
		{"draft", draft, "2025-01-10", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := ExtensionDeadline(tc.a, day(tc.today))
			if ok != (tc.due != "") {
				t.Fatalf("ok = %v, want deadline %q", ok, tc.due)
			}
			if ok && (d.Due.Format(time.DateOnly) != tc.due || d.Ref != tc.ref || d.Kind != DeadlineExtension) {
				t.Errorf("got %+v, want due %s ref %s", d, tc.due, tc.ref)
			}
		})
	}
}

func TestMeetingDeadlines(t *testing.T) {
	dialogue := func(on string) Meeting { return Meeting{Kind: MeetingDialogue, HeldOn: day(on)} }
	endsMidYear := deadlineAgreement()
	endsMidYear.EndDate = dayPtr("2025-09-15")
	four := deadlineAgreement()
	four.DialogueMeetingsPerYear = 4
	three := deadlineAgreement()
	three.DialogueMeetingsPerYear = 3
	for _, tc := range []struct {
		name     string
		a        Agreement
		meetings []Meeting
		today    string
		want     []string
	}{
		{"none held: half-year and year end", deadlineAgreement(), nil, "2024-03-01", []string{"2024-06-30", "2024-12-31"}},
		{"one held: year end", deadlineAgreement(), []Meeting{dialogue("2024-02-01")}, "2024-03-01", []string{"2024-12-31"}},
		{"planned counts", deadlineAgreement(), []Meeting{dialogue("2024-02-01"), dialogue("2024-11-01")}, "2024-03-01", nil},
		{"last year's meetings do not count", deadlineAgreement(), []Meeting{dialogue("2023-02-01"), dialogue("2023-11-01")}, "2024-03-01", []string{"2024-06-30", "2024-12-31"}},
		{"steering group is not a dialogue meeting", deadlineAgreement(), []Meeting{{Kind: MeetingSteeringGroup, HeldOn: day("2024-02-01")}}, "2024-03-01", []string{"2024-06-30", "2024-12-31"}},
		{"clamped to the end", endsMidYear, nil, "2025-03-01", []string{"2025-06-30", "2025-09-15"}},
		{"four a year: quarter ends", four, nil, "2024-01-01", []string{"2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"}},
		{"three a year", three, nil, "2024-01-01", []string{"2024-04-30", "2024-08-31", "2024-12-31"}},
		{"ended", deadlineAgreement(), nil, "2026-03-01", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := dues(MeetingDeadlines(tc.a, tc.meetings, day(tc.today)))
			if !equalStrings(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReportDeadline(t *testing.T) {
	none := deadlineAgreement()
	none.ReportingDuties = ""
	for _, tc := range []struct {
		name, today, due string
		a                Agreement
	}{
		{"last year's report in January", "2024-01-15", "2024-03-31", deadlineAgreement()},
		{"overdue within 90 days", "2024-06-01", "2024-03-31", deadlineAgreement()},
		{"next year's after 90 days", "2024-07-01", "2025-03-31", deadlineAgreement()},
		{"first year: not before the start", "2023-02-01", "2024-03-31", deadlineAgreement()},
		{"after the end: the last year's", "2026-02-01", "2026-03-31", deadlineAgreement()},
		{"nothing after the last report", "2026-08-01", "", deadlineAgreement()},
		{"no reporting duty", "2024-01-15", "", none},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := ReportDeadline(tc.a, day(tc.today))
			if ok != (tc.due != "") || (ok && d.Due.Format(time.DateOnly) != tc.due) {
				t.Errorf("got %v %v, want %q", d.Due, ok, tc.due)
			}
		})
	}
}

func TestInvoiceDeadlines(t *testing.T) {
	yearly := deadlineAgreement()
	yearly.InvoiceFrequency = ""
	lateStart := deadlineAgreement()
	lateStart.StartDate = dayPtr("2024-05-01")
	for _, tc := range []struct {
		name     string
		a        Agreement
		invoices []Invoice
		today    string
		want     []string
	}{
		{"quarters of last year and this year so far", deadlineAgreement(), nil, "2024-05-10",
			[]string{"2023-01-31", "2023-05-01", "2023-07-31", "2023-10-31", "2024-01-31", "2024-05-01"}},
		{"received invoices drop out", deadlineAgreement(), []Invoice{{Year: 2023, Period: 1}, {Year: 2023, Period: 2}, {Year: 2023, Period: 3}, {Year: 2023, Period: 4}, {Year: 2024, Period: 1}}, "2024-05-10",
			[]string{"2024-05-01"}},
		{"yearly", yearly, []Invoice{{Year: 2023, Period: 1}}, "2024-01-05", []string{"2024-01-31"}},
		{"not before the start", lateStart, nil, "2024-05-10", []string{"2024-05-01"}},
		{"not after the end", deadlineAgreement(), []Invoice{{Year: 2025, Period: 1}, {Year: 2025, Period: 2}, {Year: 2025, Period: 3}, {Year: 2025, Period: 4}}, "2026-06-01", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := dues(InvoiceDeadlines(tc.a, tc.invoices, day(tc.today)))
			if !equalStrings(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestActionItemAndFollowUpDeadlines(t *testing.T) {
	a := deadlineAgreement()
	meetings := []Meeting{{ID: 3, ActionItems: []ActionItem{
		{ID: 11, Text: "Skicka underlag", DueOn: dayPtr("2024-04-01")},
		{ID: 12, Text: "Klar", DueOn: dayPtr("2024-04-01"), DoneOn: dayPtr("2024-03-01")},
		{ID: 13, Text: "Utan datum"},
	}}}
	got := ActionItemDeadlines(a, meetings)
	if len(got) != 1 || got[0].UID() != "action_item-7-11@iop" || got[0].Link != "/agreements/7/meetings/3" {
		t.Errorf("action items: %+v", got)
	}
	f := FollowUpDeadline(a, OpenFollowUp{ID: 5, AgreementID: 7, ParticipantCode: "K-001", Months: 6, DueOn: day("2024-09-30")})
	if f.Title != "Uppföljning 6 mån efter avslut, deltagare K-001" || !f.Overdue(day("2024-10-01")) || f.Overdue(day("2024-09-30")) {
		t.Errorf("follow-up: %+v", f)
	}
}

func TestSortDeadlinesOverdueFirst(t *testing.T) {
	ds := []Deadline{{Kind: DeadlineReport, Due: day("2024-03-31")}, {Kind: DeadlineInvoice, Due: day("2023-01-31")}, {Kind: DeadlineMeeting, Due: day("2024-03-31"), AgreementID: 1}}
	SortDeadlines(ds)
	if ds[0].Kind != DeadlineInvoice || ds[1].Kind != DeadlineReport {
		t.Errorf("order: %+v", ds)
	}
}

func dues(ds []Deadline) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Due.Format(time.DateOnly))
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
