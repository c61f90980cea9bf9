package partnership

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// DeadlineKind is what a deadline is about.
type DeadlineKind string

// The kinds of deadline, all computed from what is already recorded.
const (
	DeadlineExtension  DeadlineKind = "extension"   // decision on extension before the notice period
	DeadlineMeeting    DeadlineKind = "meeting"     // a dialogue meeting the yearly requirement still needs
	DeadlineReport     DeadlineKind = "report"      // the yearly report
	DeadlineInvoice    DeadlineKind = "invoice"     // an expected invoice not received
	DeadlineActionItem DeadlineKind = "action_item" // an open action item of a meeting
	DeadlineFollowUp   DeadlineKind = "followup"    // a follow-up after a participant's exit
)

// DeadlineKinds lists the kinds in the order the UI presents them.
var DeadlineKinds = []DeadlineKind{DeadlineExtension, DeadlineMeeting, DeadlineReport, DeadlineInvoice, DeadlineActionItem, DeadlineFollowUp}

// Valid reports whether k is a known kind.
func (k DeadlineKind) Valid() bool {
	for _, known := range DeadlineKinds {
		if k == known {
			return true
		}
	}
	return false
}

// Label is the Swedish name of the kind.
func (k DeadlineKind) Label() string {
	switch k {
	case DeadlineExtension:
		return "Beslut om förlängning"
	case DeadlineMeeting:
		return "Dialogmöte"
	case DeadlineReport:
		return "Årsrapport"
	case DeadlineInvoice:
		return "Faktura"
	case DeadlineActionItem:
		return "Åtgärdspunkt"
	case DeadlineFollowUp:
		return "Uppföljning"
	}
	return string(k)
}

// Deadline is something an agreement needs done by a date. It is computed
// from the agreement, its meetings, invoices and follow-ups, never typed in.
type Deadline struct {
	Kind           DeadlineKind
	AgreementID    int64
	AgreementTitle string
	Ref            string    // what the deadline is about within the agreement, stable: e.g. "2024-2", an item id
	Due            time.Time // the calendar date, UTC midnight
	Title          string    // Swedish, without any participant's identity
	Link           string    // the page where it is dealt with
}

// UID is the deadline's stable identity, e.g. for a calendar event:
// the same deadline gets the same UID every time it is computed.
func (d Deadline) UID() string {
	return fmt.Sprintf("%s-%d-%s@iop", d.Kind, d.AgreementID, d.Ref)
}

// Overdue reports whether the deadline passed before today.
func (d Deadline) Overdue(today time.Time) bool { return d.Due.Before(dayOf(today)) }

// SortDeadlines orders deadlines by date, then agreement and kind, so the
// overdue ones come first and the list reads the same every time.
func SortDeadlines(ds []Deadline) {
	sorted := make([]Deadline, len(ds))
	for k, i := range DeadlineOrder(ds) {
		sorted[k] = ds[i]
	}
	copy(ds, sorted)
}

// DeadlineOrder is the positions of ds in SortDeadlines' order (date,
// agreement, kind, reference, then position), found by sorting small keys
// instead of moving whole deadlines: a list that shows a page of them
// copies only those.
func DeadlineOrder(ds []Deadline) []int32 {
	type key struct {
		due int64
		at  int32
	}
	keys := make([]key, len(ds))
	for i := range ds {
		keys[i] = key{due: ds[i].Due.Unix(), at: int32(i)}
	}
	slices.SortFunc(keys, func(x, y key) int {
		if c := cmp.Compare(x.due, y.due); c != 0 {
			return c
		}
		a, b := &ds[x.at], &ds[y.at]
		if c := cmp.Compare(a.AgreementID, b.AgreementID); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Ref, b.Ref); c != 0 {
			return c
		}
		return cmp.Compare(x.at, y.at)
	})
	order := make([]int32, len(keys))
	for i, k := range keys {
		order[i] = k.at
	}
	return order
}

// ReportDueMonth and ReportDueDay are when a yearly report is due: 31 March
// of the year after the year it reports on.
const (
	ReportDueMonth = time.March
	ReportDueDay   = 31
)

// InvoiceGraceDays is how long after a period starts its invoice is
// expected to have arrived.
const InvoiceGraceDays = 30

// inForce reports whether the agreement binds its parties on today:
// active and not past its end.
func inForce(a Agreement, today time.Time) bool {
	return a.StatusOn(today) == StatusActive
}

func agreementLink(a Agreement, sub string) string {
	return "/agreements/" + strconv.FormatInt(a.ID, 10) + sub
}

// ExtensionDeadline is the decision on extension an agreement in force
// needs while it can still be extended: due on its current end minus the
// notice period (DecisionNeededBy). The Ref is the current end date, so a
// decided extension makes a new deadline rather than moving the old one.
func ExtensionDeadline(a Agreement, today time.Time) (Deadline, bool) {
	if !inForce(a, today) || a.ExtensionsLeft() == 0 {
		return Deadline{}, false
	}
	due := a.DecisionNeededBy()
	if due == nil {
		return Deadline{}, false
	}
	end := a.CurrentEnd()
	return Deadline{
		Kind: DeadlineExtension, AgreementID: a.ID, AgreementTitle: a.Title, Ref: end.Format(time.DateOnly),
		Due:   dayOf(*due),
		Title: fmt.Sprintf("Beslut om förlängning (upphör %s, %d mån uppsägningstid)", end.Format(time.DateOnly), a.NoticeMonths),
		Link:  agreementLink(a, ""),
	}, true
}
