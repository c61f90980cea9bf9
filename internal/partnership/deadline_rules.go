package partnership

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// MeetingDeadlines are the dialogue meetings an agreement in force still
// needs this year (the year of today) to meet its yearly requirement. The
// requirement is spread evenly over the year: with N meetings a year, the
// k-th is due by the end of month ⌈12·k/N⌉ (two a year: 30 June and
// 31 December), but never after the agreement's current end. Every
// dialogue meeting of the year counts, held or planned: a planned meeting
// is itself on the calendar, so only the missing ones become deadlines.
func MeetingDeadlines(a Agreement, meetings []Meeting, today time.Time) []Deadline {
	have := 0
	for _, m := range meetings {
		if m.Kind == MeetingDialogue && m.HeldOn.Year() == today.Year() {
			have++
		}
	}
	return MissingMeetingDeadlines(a, have, today)
}

// MissingMeetingDeadlines are MeetingDeadlines from the number of dialogue
// meetings the agreement has in the year of today (held or planned), as a
// count in SQL gives it.
func MissingMeetingDeadlines(a Agreement, have int, today time.Time) []Deadline {
	if !inForce(a, today) || a.DialogueMeetingsPerYear <= 0 {
		return nil
	}
	year := today.Year()
	n := a.DialogueMeetingsPerYear
	var out []Deadline
	for k := have + 1; k <= n; k++ {
		month := (12*k + n - 1) / n
		due := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC)
		if end := a.CurrentEnd(); end != nil && due.After(dayOf(*end)) {
			due = dayOf(*end)
		}
		out = append(out, Deadline{
			Kind: DeadlineMeeting, AgreementID: a.ID, AgreementTitle: a.Title, Ref: strconv.Itoa(year) + "-" + strconv.Itoa(k),
			Due:   due,
			Title: "Dialogmöte " + strconv.Itoa(k) + " av " + strconv.Itoa(n) + " " + strconv.Itoa(year) + " ej planerat",
			Link:  agreementLink(a, "/meetings"),
		})
	}
	return out
}

// reportShownOverdue is how long after its due date a yearly report stays
// on the list. A report handed in (submitted or approved, see package
// annualreport) takes its deadline off the list at once (the deadline
// service checks); one never handed in gives way to the next year's
// deadline after this, so an old gap does not hide the current duty.
const reportShownOverdue = 90 * 24 * time.Hour

// ReportDeadline is the yearly report of an agreement with a reporting
// duty (ReportingDuties set), due 31 March of the year after the year it
// reports on. It is last year's report until 90 days after that date,
// then this year's; only a year the agreement covered has a report, so a
// new agreement's first deadline is its first year's report.
func ReportDeadline(a Agreement, today time.Time) (Deadline, bool) {
	if a.ReportingDuties == "" || a.Status == StatusDraft {
		return Deadline{}, false
	}
	start, end, ok := BudgetPeriod(a)
	if !ok {
		return Deadline{}, false
	}
	today = dayOf(today)
	year := today.Year() - 1
	if today.Sub(reportDue(year)) > reportShownOverdue {
		year++
	}
	year = max(year, start.Year()) // an agreement's first report is of its first year
	if year < start.Year() || year > end.Year() {
		return Deadline{}, false
	}
	return Deadline{
		Kind: DeadlineReport, AgreementID: a.ID, AgreementTitle: a.Title, Ref: strconv.Itoa(year),
		Due: reportDue(year), Title: fmt.Sprintf("Årsrapport %d", year), Link: agreementLink(a, ""),
	}, true
}

func reportDue(year int) time.Time {
	return time.Date(year+1, ReportDueMonth, ReportDueDay, 0, 0, 0, 0, time.UTC)
}

// InvoiceDeadlines are the invoices an agreement is expected to have sent
// and has not: every invoicing period (under its InvoiceFrequency) of last
// year and this year that has started by today and overlaps the agreement's
// budget period, without an invoice for that year and period, is due
// InvoiceGraceDays after the period starts. Older years are left to the
// invoice overview, so an old agreement does not flood the list.
func InvoiceDeadlines(a Agreement, invoices []Invoice, today time.Time) []Deadline {
	if a.Status == StatusDraft {
		return nil
	}
	start, end, ok := BudgetPeriod(a)
	if !ok {
		return nil
	}
	today = dayOf(today)
	got := map[[2]int]bool{}
	for _, inv := range invoices {
		got[[2]int{inv.Year, inv.Period}] = true
	}
	n := PeriodsPerYear(a.InvoiceFrequency)
	months := 12 / n
	var out []Deadline
	for year := max(start.Year(), today.Year()-1); year <= today.Year(); year++ {
		for p := 1; p <= n; p++ {
			first := time.Date(year, time.Month((p-1)*months+1), 1, 0, 0, 0, 0, time.UTC)
			last := first.AddDate(0, months, -1)
			if first.After(today) || last.Before(start) || first.After(end) || got[[2]int{year, p}] {
				continue
			}
			out = append(out, Deadline{
				Kind: DeadlineInvoice, AgreementID: a.ID, AgreementTitle: a.Title, Ref: strconv.Itoa(year) + "-" + strconv.Itoa(p),
				Due:   first.AddDate(0, 0, InvoiceGraceDays),
				Title: "Faktura ej mottagen: " + PeriodLabel(a.InvoiceFrequency, year, p),
				Link:  agreementLink(a, "/invoices"),
			})
		}
	}
	return out
}

// actionTitleRunes is how much of an action item's text its deadline shows.
const actionTitleRunes = 80

// ActionItemDeadlines are the open action items with a due date of the
// agreement's meetings.
func ActionItemDeadlines(a Agreement, meetings []Meeting) []Deadline {
	var out []Deadline
	for _, m := range meetings {
		for _, item := range m.ActionItems {
			if item.DoneOn != nil || item.DueOn == nil {
				continue
			}
			out = append(out, Deadline{
				Kind: DeadlineActionItem, AgreementID: a.ID, AgreementTitle: a.Title, Ref: strconv.FormatInt(item.ID, 10),
				Due:   dayOf(*item.DueOn),
				Title: "Åtgärd: " + truncateRunes(item.Text, actionTitleRunes),
				Link:  agreementLink(a, fmt.Sprintf("/meetings/%d", m.ID)),
			})
		}
	}
	return out
}

// OpenFollowUp is a follow-up not yet recorded, as a deadline needs it:
// the participant only by code.
type OpenFollowUp struct {
	ID              int64
	AgreementID     int64
	ParticipantCode string
	Months          int
	DueOn           time.Time
}

// FollowUpDeadline is an open follow-up as a deadline, naming the
// participant by code only.
func FollowUpDeadline(a Agreement, f OpenFollowUp) Deadline {
	return Deadline{
		Kind: DeadlineFollowUp, AgreementID: a.ID, AgreementTitle: a.Title, Ref: strconv.FormatInt(f.ID, 10),
		Due:   dayOf(f.DueOn),
		Title: fmt.Sprintf("Uppföljning %d mån efter avslut, deltagare %s", f.Months, f.ParticipantCode),
		Link:  agreementLink(a, "/followups/overdue"),
	}
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
