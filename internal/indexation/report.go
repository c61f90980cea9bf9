package indexation

import (
	"fmt"

	"iop/internal/money"
	"iop/internal/partnership"
)

// Report is what a run or a preview of the indexation did, or would do, to
// a year: per agreement covering it and per party, the totals before and
// after, and the counts line by line.
type Report struct {
	Year       int
	DryRun     bool  // a preview: nothing was changed
	RunID      int64 // the recorded run; 0 for a preview
	Agreements []AgreementReport
	Counts     partnership.IndexationCounts // the sum over the agreements
}

// AgreementReport is one agreement's part of a report.
type AgreementReport struct {
	AgreementID int64
	Title       string
	CaseNumber  string
	Parties     []PartyTotal // the parties with budget lines, in party order
	Counts      partnership.IndexationCounts
	// Locked is true when the year is locked for the agreement: it was
	// skipped and LockReason says why (e.g. "Faktura 2024-1 godkänd").
	Locked     bool
	LockReason string
}

// PartyTotal is one party's total of the year before and after the run.
type PartyTotal struct {
	PartyID int64
	Name    string
	Role    partnership.PartyRole
	// Old is the sum of the amounts stored for the year before the run;
	// Materialised is false when none of the party's lines had one.
	Old          money.Amount
	Materialised bool
	Missing      int // lines without a stored amount before the run
	// New is the year's total after the run: the lines' amounts as the
	// rules give them or, in a locked year, what it holds unchanged.
	New money.Amount
}

// ChangedAgreements counts the agreements whose amounts the run wrote.
func (r Report) ChangedAgreements() int {
	n := 0
	for _, a := range r.Agreements {
		if a.Counts.Changed() {
			n++
		}
	}
	return n
}

// Skipped returns the agreements left alone because the year is locked.
func (r Report) Skipped() []AgreementReport {
	var out []AgreementReport
	for _, a := range r.Agreements {
		if a.Locked {
			out = append(out, a)
		}
	}
	return out
}

// Changed reports whether the run wrote, or the preview would write, any
// amount.
func (r Report) Changed() bool { return r.Counts.Changed() }

// Summary says in one or two Swedish sentences what the run did, or what
// the preview would do.
func (r Report) Summary() string {
	if len(r.Agreements) == 0 {
		return fmt.Sprintf("Ingen överenskommelse gäller år %d; det finns inget att indexera.", r.Year)
	}
	var s string
	switch {
	case r.DryRun && !r.Changed():
		s = fmt.Sprintf("Inga ändringar behövs: år %d är redan indexerat.", r.Year)
	case r.DryRun:
		s = fmt.Sprintf("Indexeringen av år %d skulle ge %s i %s.", r.Year, CountsText(r.Counts), agreements(len(r.Agreements)))
	case !r.Changed():
		s = fmt.Sprintf("Inga ändringar: år %d var redan indexerat.", r.Year)
	default:
		s = fmt.Sprintf("Indexeringen av år %d är klar: %s i %s.", r.Year, CountsText(r.Counts), agreements(len(r.Agreements)))
	}
	if n := len(r.Skipped()); n > 0 {
		s += fmt.Sprintf(" %s hoppades över eftersom året är låst.", agreements(n))
	}
	return s
}

// CountsText is the counts in words: "5 nya belopp, 2 ändrade, 0
// oförändrade, 0 låsta".
func CountsText(c partnership.IndexationCounts) string {
	return fmt.Sprintf("%d nya belopp, %d ändrade, %d oförändrade, %d låsta", c.Inserted, c.Updated, c.Unchanged, c.Locked)
}

func agreements(n int) string {
	if n == 1 {
		return "1 överenskommelse"
	}
	return fmt.Sprintf("%d överenskommelser", n)
}

// OldText is the party's total before the run in words: the amount, "inte
// indexerat" when nothing was stored for the year, or the amount with how
// many lines had none.
func (p PartyTotal) OldText() string {
	switch {
	case !p.Materialised:
		return "inte indexerat"
	case p.Missing == 1:
		return p.Old.String() + " (1 post saknas)"
	case p.Missing > 1:
		return fmt.Sprintf("%s (%d poster saknas)", p.Old, p.Missing)
	}
	return p.Old.String()
}
