package partnership

import (
	"time"

	"iop/internal/money"
)

// ContributionKind says whether a budget line is paid in money or given in kind.
type ContributionKind string

// Cash lines are paid; in-kind lines are valued contributions such as
// volunteer work or premises.
const (
	Cash   ContributionKind = "cash"
	InKind ContributionKind = "in_kind"
)

// Basis is how a budget line's amount is calculated, as the source states
// it: quantity × unit price × share × periods × persons, e.g. "800 kr/vecka
// × 47 veckor" or "20 % av 25 000 kr i 12 månader × 2 personer". Factors
// that the source does not give are 1 (share: 10000 basis points = 100 %).
type Basis struct {
	Quantity    int64        // e.g. hours; 1 when not stated
	UnitPrice   money.Amount // price per unit, e.g. 25 000 kr
	Unit        string       // e.g. "kr/månad", "kr/vecka", "h/år"
	ShareBP     int64        // share in basis points: 2000 = 20 %
	Periods     int64        // e.g. 12 months, 47 weeks
	Persons     int64
	Description string // the basis in the source's own words
}

// BudgetLine is one line of a party's budget in an agreement. Amount is the
// yearly amount stated for the base year (the year the agreement starts).
type BudgetLine struct {
	ID          int64
	AgreementID int64
	PartyID     int64
	Position    int
	Section     string // e.g. "Kunskapsutflykter 10 st/heldagar/år"
	Text        string // e.g. "Busshyra heldag 12000kr/dag"
	Category    string // e.g. "Lön", "Lokal", "Ideellt arbete"
	Kind        ContributionKind
	Indexed     bool
	Basis       *Basis
	Amount      money.Amount // stated yearly amount for the base year
	// AcceptedNote explains an accepted deviation between the basis and
	// the stated amount; empty when none has been accepted.
	AcceptedNote string
}

// StatedTotal is a total as the source document states it, for one party
// (PartyID set) or for the whole agreement (PartyID 0), optionally for one
// section of that party's budget.
type StatedTotal struct {
	ID           int64
	AgreementID  int64
	PartyID      int64 // 0: the whole agreement
	Section      string
	Label        string // the source's wording, e.g. "Linköpings kommun TOTALT"
	Amount       money.Amount
	AcceptedNote string
}

// IndexMode says which yearly rates an agreement's indexed lines follow.
type IndexMode string

// An agreement either has a fixed rate (default 2 %) or follows the rates the
// municipality decides each year (falling back to the fixed rate for a year
// without a decision).
const (
	IndexFixed     IndexMode = "fixed"
	IndexMunicipal IndexMode = "municipal"
)

// IndexRate is a yearly rate the municipality has decided, e.g. a definitive
// OPI figure, in basis points (200 = 2 %).
type IndexRate struct {
	Year   int
	RateBP int64
	Source string // e.g. "OPI definitiv 2023"
}

// YearAmount is a budget line's materialised amount for one calendar year,
// after indexation and pro-rata. A locked year (its invoice approved or its
// annual report approved) is never recomputed.
type YearAmount struct {
	LineID   int64
	Year     int
	Amount   money.Amount
	Locked   bool
	LockedBy string // why it is locked, e.g. "Faktura godkänd"
}

// InvoiceStatus is where a received invoice is in its handling.
type InvoiceStatus string

// Invoices go received → approved → paid.
const (
	InvoiceReceived InvoiceStatus = "received"
	InvoiceApproved InvoiceStatus = "approved"
	InvoicePaid     InvoiceStatus = "paid"
)

// Invoice is an invoice received from an association.
type Invoice struct {
	ID          int64
	AgreementID int64
	Number      string
	InvoiceDate time.Time
	Year        int
	Period      int // 1 for yearly; 1–4 for quarterly; 1–12 for monthly
	Amount      money.Amount
	Status      InvoiceStatus
	Note        string
	Version     int
}
