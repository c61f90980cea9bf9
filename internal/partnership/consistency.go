package partnership

import (
	"math/big"

	"iop/internal/money"
)

// Deviation is a difference between an amount a source document states and
// what its parts give: a line's basis, or the lines a stated total covers.
// Deviations are flagged, never blocking; an officer may accept one with an
// explanation, and an accepted deviation is still reported, marked so.
type Deviation struct {
	LineID   int64        // the line whose basis deviates; 0 for a total
	TotalID  int64        // the stated total that deviates; 0 for a line
	Stated   money.Amount // the amount as the source states it
	Computed money.Amount // what the basis, or the sum of the lines, gives
	Diff     money.Amount // Stated − Computed: positive when the source states more
	Accepted bool         // an officer has accepted it
	Note     string       // the officer's explanation, when accepted
}

// Deviates reports whether the stated and the computed amounts differ.
func (d Deviation) Deviates() bool { return d.Diff != 0 }

// BasisAmount is what a basis produces: quantity × unit price × share ×
// periods × persons, computed exactly and rounded to whole kronor, halves
// away from zero (money.Amount.MulRat). A factor of 0 counts as not stated,
// that is 1 (share: 100 %). ok is false for a basis without a unit price,
// which produces no amount.
func BasisAmount(b Basis) (amount money.Amount, ok bool) {
	if !b.Priced() {
		return 0, false
	}
	factor := big.NewRat(orOne(b.Quantity), 1)
	factor.Mul(factor, big.NewRat(orValue(b.ShareBP, FullShareBP), FullShareBP))
	factor.Mul(factor, big.NewRat(orOne(b.Periods), 1))
	factor.Mul(factor, big.NewRat(orOne(b.Persons), 1))
	return b.UnitPrice.MulRat(factor), true
}

// LineDeviation compares a line's stated amount with what its basis
// produces (BasisAmount). ok is false when the line has no basis with a
// unit price, so there is nothing to compare; otherwise the Deviation is
// returned even when the amounts agree (Deviates reports whether they
// differ). KISAM's volunteer line "20 % av 25 000 kr i 12 månader × 2
// personer = 282 000 kr" gives Computed 120 000 kr and Diff 162 000 kr.
func LineDeviation(line BudgetLine) (Deviation, bool) {
	if line.Basis == nil {
		return Deviation{}, false
	}
	computed, ok := BasisAmount(*line.Basis)
	if !ok {
		return Deviation{}, false
	}
	return Deviation{
		LineID:   line.ID,
		Stated:   line.Amount,
		Computed: computed,
		Diff:     line.Amount - computed,
		Accepted: line.AcceptedNote != "",
		Note:     line.AcceptedNote,
	}, true
}

// CoveredLines are the lines a stated total sums: a party's lines
// (PartyID set), only those of one section when Section is set too, and
// every line for the agreement's total (PartyID 0).
func CoveredLines(total StatedTotal, lines []BudgetLine) []BudgetLine {
	var covered []BudgetLine
	for _, l := range lines {
		if total.PartyID != 0 && l.PartyID != total.PartyID {
			continue
		}
		if total.Section != "" && l.Section != total.Section {
			continue
		}
		covered = append(covered, l)
	}
	return covered
}

// TotalDeviation compares a stated total with the sum of the stated
// amounts of the lines it covers (CoveredLines); the sum is exact, never
// rounded. IKF's "910 000 kronor/år" against lines summing to 900 000 kr
// gives Diff 10 000 kr.
func TotalDeviation(total StatedTotal, lines []BudgetLine) Deviation {
	var sum money.Amount
	for _, l := range CoveredLines(total, lines) {
		sum = money.Sum(sum, l.Amount)
	}
	return Deviation{
		TotalID:  total.ID,
		Stated:   total.Amount,
		Computed: sum,
		Diff:     total.Amount - sum,
		Accepted: total.AcceptedNote != "",
		Note:     total.AcceptedNote,
	}
}

// BudgetDeviations lists what the budget page flags: every line whose
// basis does not produce its stated amount, in the order of lines, then
// every stated total that differs from the sum of its lines, in the order
// of totals. Accepted deviations are included, marked Accepted.
func BudgetDeviations(lines []BudgetLine, totals []StatedTotal) []Deviation {
	var out []Deviation
	for _, l := range lines {
		if d, ok := LineDeviation(l); ok && d.Deviates() {
			out = append(out, d)
		}
	}
	for _, t := range totals {
		if d := TotalDeviation(t, lines); d.Deviates() {
			out = append(out, d)
		}
	}
	return out
}

func orOne(n int64) int64 { return orValue(n, 1) }

func orValue(n, def int64) int64 {
	if n == 0 {
		return def
	}
	return n
}
