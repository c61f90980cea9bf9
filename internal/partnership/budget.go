package partnership

import (
	"fmt"
	"strings"
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

// Valid reports whether k is a known kind.
func (k ContributionKind) Valid() bool { return k == Cash || k == InKind }

// Label is the Swedish name of the kind.
func (k ContributionKind) Label() string {
	switch k {
	case Cash:
		return "Kontant"
	case InKind:
		return "Naturainsats"
	}
	return string(k)
}

// The bounds of what a budget accepts. They keep every product of a basis
// and every sum of an agreement's lines far inside int64 öre.
const (
	MaxBudgetAmount  = money.Amount(1_000_000_000_00) // 1 000 000 000 kr
	MaxBasisQuantity = 1_000_000
	MaxBasisPeriods  = 366
	MaxBasisPersons  = 10_000
	FullShareBP      = 10_000 // 100 %
	maxBudgetText    = 500
	maxBudgetLabel   = 200
	maxBasisUnit     = 50
	maxAcceptedNote  = 2000
)

// Basis is how a budget line's amount is calculated, as the source states
// it: quantity × unit price × share × periods × persons, e.g. "800 kr/vecka
// × 47 veckor" or "20 % av 25 000 kr i 12 månader × 2 personer". Factors
// that the source does not give are 1 (share: 10000 basis points = 100 %).
//
// A basis without a unit price (UnitPrice 0) states a volume but no price,
// e.g. "30 h/vecka (1 200 h/år)" (Quantity 1200, Unit "h/år"), or only words
// that no single product expresses (Description alone): it produces no
// amount, so there is nothing to check it against.
type Basis struct {
	Quantity    int64        // e.g. hours; 1 when not stated
	UnitPrice   money.Amount // price per unit, e.g. 25 000 kr; 0 when the source gives none
	Unit        string       // e.g. "kr/månad", "kr/vecka", "h/år"
	ShareBP     int64        // share in basis points: 2000 = 20 %
	Periods     int64        // e.g. 12 months, 47 weeks
	Persons     int64
	Description string // the basis in the source's own words
}

// Priced reports whether the basis gives a unit price and so produces an
// amount that can be checked against the stated one.
func (b Basis) Priced() bool { return b.UnitPrice != 0 }

// validate adds the basis's problems to v, keyed by form field name.
func (b Basis) validate(v ValidationError) {
	if b.Quantity < 1 || b.Quantity > MaxBasisQuantity {
		v.Add("basis_quantity", fmt.Sprintf("Ange ett antal mellan 1 och %d.", MaxBasisQuantity))
	}
	if b.UnitPrice < 0 || b.UnitPrice > MaxBudgetAmount {
		v.Add("basis_unit_price", "Ange ett à-pris mellan 0 och 1 000 000 000 kr.")
	}
	if b.ShareBP < 1 || b.ShareBP > FullShareBP {
		v.Add("basis_share", "Ange en andel mellan 0,01 och 100 %.")
	}
	if b.Periods < 1 || b.Periods > MaxBasisPeriods {
		v.Add("basis_periods", fmt.Sprintf("Ange ett antal perioder mellan 1 och %d.", MaxBasisPeriods))
	}
	if b.Persons < 1 || b.Persons > MaxBasisPersons {
		v.Add("basis_persons", fmt.Sprintf("Ange ett antal personer mellan 1 och %d.", MaxBasisPersons))
	}
	if len([]rune(b.Unit)) > maxBasisUnit {
		v.Add("basis_unit", fmt.Sprintf("Enheten får vara högst %d tecken.", maxBasisUnit))
	}
	if len([]rune(b.Description)) > maxBudgetText {
		v.Add("basis_description", fmt.Sprintf("Underlaget får vara högst %d tecken.", maxBudgetText))
	}
	if !b.Priced() && b.Quantity == 1 && strings.TrimSpace(b.Description) == "" {
		v.Add("basis_description", "Beskriv underlaget, ange ett à-pris eller ta bort underlaget.")
	}
}

// BudgetLine is one line of a party's budget in an agreement. Amount is the
// yearly amount stated for the base year (the year the agreement starts).
type BudgetLine struct {
	ID          int64
	AgreementID int64
	PartyID     int64
	Position    int    // order within the party's lines, 1-based; 0 in a new line: last
	Section     string // e.g. "Kunskapsutflykter 10 st/heldagar/år"; empty when the source has none
	Text        string // e.g. "Busshyra heldag 12000kr/dag"
	Category    string // e.g. "Lön", "Lokal", "Ideellt arbete"
	Kind        ContributionKind
	Indexed     bool
	Basis       *Basis
	Amount      money.Amount // stated yearly amount for the base year
	// AcceptedNote explains an accepted deviation between the basis and
	// the stated amount; empty when none has been accepted.
	AcceptedNote string
	UpdatedAt    time.Time // read-only: when the line last changed
}

// Validate checks the fields an officer enters, keyed by form field name:
// party_id, section, text, category, kind, amount, accepted_note and the
// basis_* fields.
func (l BudgetLine) Validate() error {
	v := ValidationError{}
	if l.PartyID <= 0 {
		v.Add("party_id", "Välj vilken part budgetposten gäller.")
	}
	if strings.TrimSpace(l.Text) == "" {
		v.Add("text", "Ange budgetpostens text.")
	} else if len([]rune(l.Text)) > maxBudgetText {
		v.Add("text", fmt.Sprintf("Texten får vara högst %d tecken.", maxBudgetText))
	}
	for field, text := range map[string]string{"section": l.Section, "category": l.Category} {
		if len([]rune(text)) > maxBudgetLabel {
			v.Add(field, fmt.Sprintf("Högst %d tecken.", maxBudgetLabel))
		}
	}
	if !l.Kind.Valid() {
		v.Add("kind", "Välj kontant eller naturainsats.")
	}
	if l.Amount < 0 || l.Amount > MaxBudgetAmount {
		v.Add("amount", "Ange ett belopp mellan 0 och 1 000 000 000 kr.")
	}
	if len([]rune(l.AcceptedNote)) > maxAcceptedNote {
		v.Add("accepted_note", fmt.Sprintf("Förklaringen får vara högst %d tecken.", maxAcceptedNote))
	}
	if l.Basis != nil {
		l.Basis.validate(v)
	}
	return v.Err()
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

// Validate checks the fields an officer enters, keyed by form field name:
// party_id, section, label, amount and accepted_note. Only a party's
// budget has sections, so a section total needs a party.
func (t StatedTotal) Validate() error {
	v := ValidationError{}
	if t.PartyID < 0 {
		v.Add("party_id", "Välj en part eller hela överenskommelsen.")
	}
	if t.PartyID == 0 && strings.TrimSpace(t.Section) != "" {
		v.Add("section", "En delsumma för ett avsnitt gäller en part: välj parten.")
	}
	for field, text := range map[string]string{"section": t.Section, "label": t.Label} {
		if len([]rune(text)) > maxBudgetLabel {
			v.Add(field, fmt.Sprintf("Högst %d tecken.", maxBudgetLabel))
		}
	}
	if t.Amount < 0 || t.Amount > MaxBudgetAmount {
		v.Add("amount", "Ange ett belopp mellan 0 och 1 000 000 000 kr.")
	}
	if len([]rune(t.AcceptedNote)) > maxAcceptedNote {
		v.Add("accepted_note", fmt.Sprintf("Förklaringen får vara högst %d tecken.", maxAcceptedNote))
	}
	return v.Err()
}

// Budget is an agreement's whole budget: its lines in party order, then
// line order, and the totals its source states.
type Budget struct {
	AgreementID int64
	Lines       []BudgetLine
	Totals      []StatedTotal
}

// ErrYearLocked means the change would alter an amount of a year that is
// locked for the agreement (its invoice or annual report approved). It is a
// conflict: errors.Is(err, ErrConflict) holds as well.
var ErrYearLocked = fmt.Errorf("%w: the year is locked", ErrConflict)

// IndexMode says which yearly rates an agreement's indexed lines follow.
type IndexMode string

// An agreement either has a fixed rate (default 2 %) or follows the rates the
// municipality decides each year (falling back to the fixed rate for a year
// without a decision).
const (
	IndexFixed     IndexMode = "fixed"
	IndexMunicipal IndexMode = "municipal"
)

// Valid reports whether m is a known mode.
func (m IndexMode) Valid() bool { return m == IndexFixed || m == IndexMunicipal }

// Label is the Swedish name of the mode.
func (m IndexMode) Label() string {
	switch m {
	case IndexFixed:
		return "Fast procentsats"
	case IndexMunicipal:
		return "Kommunens beslutade index"
	}
	return string(m)
}

// ValidateEconomy checks the agreement's indexation terms and volunteer
// hour rate, keyed by form field name: index_mode, index_rate and
// volunteer_hour_rate.
func (a Agreement) ValidateEconomy() error {
	v := ValidationError{}
	if !a.IndexMode.Valid() {
		v.Add("index_mode", "Välj fast procentsats eller kommunens beslutade index.")
	}
	if !ValidIndexRate(a.IndexRateBP) {
		v.Add("index_rate", MsgIndexRateRange)
	}
	if a.VolunteerHourRate < 0 || a.VolunteerHourRate > money.Kronor(100_000) {
		v.Add("volunteer_hour_rate", "Ange ett timvärde mellan 0 och 100 000 kr.")
	}
	return v.Err()
}

// IndexRate is a yearly rate the municipality has decided, e.g. a definitive
// OPI figure, in basis points (200 = 2 %).
type IndexRate struct {
	Year   int
	RateBP int64
	Source string // e.g. "OPI definitiv 2023"
}

// MinBudgetYear and MaxBudgetYear bound the calendar years the system keeps
// amounts, rates and invoices for.
const (
	MinBudgetYear = 2000
	MaxBudgetYear = 2100
)

// Validate checks the fields an admin enters, keyed by form field name:
// year, rate and source.
func (r IndexRate) Validate() error {
	v := ValidationError{}
	if r.Year < MinBudgetYear || r.Year > MaxBudgetYear {
		v.Add("year", fmt.Sprintf("Ange ett år mellan %d och %d.", MinBudgetYear, MaxBudgetYear))
	}
	if !ValidIndexRate(r.RateBP) {
		v.Add("rate", MsgIndexRateRange)
	}
	if len([]rune(r.Source)) > maxBudgetLabel {
		v.Add("source", fmt.Sprintf("Källan får vara högst %d tecken.", maxBudgetLabel))
	}
	return v.Err()
}

// YearAmount is a budget line's materialised amount for one calendar year,
// after indexation and pro-rata. A locked year (its invoice approved or its
// annual report approved) is never recomputed.
type YearAmount struct {
	AgreementID int64
	LineID      int64
	Year        int
	Amount      money.Amount
	Locked      bool
	LockedBy    string    // why it is locked, e.g. "Faktura godkänd"
	ComputedAt  time.Time // when the amount was last materialised
}

// YearLock records that an agreement's year may no longer change, and why.
type YearLock struct {
	AgreementID int64
	Year        int
	Reason      string // e.g. "Faktura 2023-17 godkänd"
	LockedAt    time.Time
}

// IndexationCounts say what materialising amounts did, line by line.
type IndexationCounts struct {
	Inserted  int // amounts materialised for the first time
	Updated   int // amounts that changed
	Unchanged int // amounts that were already right
	Locked    int // amounts left alone because their year is locked
}

// Add returns the sum of c and o.
func (c IndexationCounts) Add(o IndexationCounts) IndexationCounts {
	return IndexationCounts{Inserted: c.Inserted + o.Inserted, Updated: c.Updated + o.Updated,
		Unchanged: c.Unchanged + o.Unchanged, Locked: c.Locked + o.Locked}
}

// Changed reports whether anything was written.
func (c IndexationCounts) Changed() bool { return c.Inserted+c.Updated > 0 }

// IndexationRun is the record of one run of the yearly indexation.
type IndexationRun struct {
	ID            int64
	Year          int
	StartedBy     *int64 // the user; nil for the scheduled run
	StartedByName string // read-only, from the user
	DryRun        bool
	Agreements    int // agreements covering the year that were processed
	IndexationCounts
	StartedAt  time.Time
	FinishedAt time.Time
}
