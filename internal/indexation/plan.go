package indexation

import (
	"context"
	"fmt"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// yearInputs is everything the indexation of a year is computed from.
type yearInputs struct {
	agreements []agreementInputs // those covering the year, in id order
	decided    []partnership.IndexRate
	before     map[int64]partnership.YearAmount // the year's stored amounts by line
}

// agreementInputs is what one agreement's amounts are computed from.
type agreementInputs struct {
	ag    partnership.Agreement
	lines []partnership.BudgetLine
	lock  *partnership.YearLock // the year's lock; nil when it is open
}

// readYear reads the inputs of the indexation of year on db with a fixed
// number of queries, whatever the number of agreements.
func readYear(ctx context.Context, db postgres.DBTX, year int) (yearInputs, error) {
	amounts := postgres.NewYearAmounts(db)
	ids, err := amounts.Covering(ctx, year)
	if err != nil || len(ids) == 0 {
		return yearInputs{}, err
	}
	var in yearInputs
	if in.decided, err = postgres.NewIndexRates(db).List(ctx); err != nil {
		return yearInputs{}, err
	}
	stored, err := amounts.ForYear(ctx, year)
	if err != nil {
		return yearInputs{}, err
	}
	in.before = make(map[int64]partnership.YearAmount, len(stored))
	for _, y := range stored {
		in.before[y.LineID] = y
	}
	locks, err := amounts.LocksOfYear(ctx, year)
	if err != nil {
		return yearInputs{}, err
	}
	ags, err := postgres.NewAgreements(db).ByIDs(ctx, ids)
	if err != nil {
		return yearInputs{}, err
	}
	lines, err := postgres.NewBudgets(db).LinesOf(ctx, ids)
	if err != nil {
		return yearInputs{}, err
	}
	in.agreements = make([]agreementInputs, len(ags))
	for i, ag := range ags {
		in.agreements[i] = agreementInputs{ag: ag, lines: lines[ag.ID]}
		if l, ok := locks[ag.ID]; ok {
			in.agreements[i].lock = &l
		}
	}
	return in, nil
}

// plan computes the agreement's amounts of year, each line compounded from
// its stated amount (never from stored pro-rated amounts) at the
// agreement's rates and pro-rated for a partial year, and reports what
// writing them does: the counts as YearAmounts.Upsert gives them and the
// party totals before and after. It reads and writes nothing, so a preview
// and a run compute alike.
func plan(a agreementInputs, year int, in yearInputs) (AgreementReport, []partnership.YearAmount, error) {
	ag, lines := a.ag, a.lines
	ar := AgreementReport{AgreementID: ag.ID, Title: ag.Title, CaseNumber: ag.CaseNumber}
	if a.lock != nil {
		ar.Locked, ar.LockReason = true, a.lock.Reason
	}
	start, end, ok := partnership.BudgetPeriod(ag)
	if !ok {
		return AgreementReport{}, nil, fmt.Errorf("agreement %d covers %d but has no budget period", ag.ID, year)
	}
	rate := partnership.Rates(ag.IndexMode, ag.IndexRateBP, in.decided)
	computed := make([]partnership.YearAmount, len(lines))
	for i, l := range lines {
		computed[i] = partnership.YearAmount{LineID: l.ID, Amount: partnership.AmountForYear(l, start, end, year, rate)}
		ar.Counts = ar.Counts.Add(lineCount(computed[i].Amount, in.before, l.ID, ar.Locked))
	}
	ar.Parties = partyTotals(ag, lines, computed, in.before, ar.Locked)
	return ar, computed, nil
}

// lineCount is what upserting amount for the line does, as the statement
// of YearAmounts.Upsert counts it: nothing in a locked year or to a locked
// amount, else a new amount, a changed one or the same one.
func lineCount(amount money.Amount, before map[int64]partnership.YearAmount, lineID int64, yearLocked bool) partnership.IndexationCounts {
	old, stored := before[lineID]
	switch {
	case yearLocked || stored && old.Locked:
		return partnership.IndexationCounts{Locked: 1}
	case !stored:
		return partnership.IndexationCounts{Inserted: 1}
	case old.Amount != amount:
		return partnership.IndexationCounts{Updated: 1}
	}
	return partnership.IndexationCounts{Unchanged: 1}
}

// partyTotals sums, for each party with budget lines, in the agreement's
// party order, the stored amounts of the year and the computed ones. A
// locked year keeps what it holds, so its new total is the old one.
func partyTotals(ag partnership.Agreement, lines []partnership.BudgetLine, computed []partnership.YearAmount,
	before map[int64]partnership.YearAmount, locked bool) []PartyTotal {
	byParty := map[int64]*PartyTotal{}
	for i, l := range lines {
		pt, ok := byParty[l.PartyID]
		if !ok {
			pt = &PartyTotal{PartyID: l.PartyID}
			byParty[l.PartyID] = pt
		}
		old, stored := before[l.ID]
		if stored {
			pt.Old = money.Sum(pt.Old, old.Amount)
			pt.Materialised = true
		} else {
			pt.Missing++
		}
		if !locked {
			pt.New = money.Sum(pt.New, computed[i].Amount)
		} else if stored {
			pt.New = money.Sum(pt.New, old.Amount)
		}
	}
	var out []PartyTotal
	for _, p := range ag.Parties {
		if pt, ok := byParty[p.ID]; ok {
			pt.Name, pt.Role = p.OrganisationName, p.Role
			out = append(out, *pt)
		}
	}
	return out
}
