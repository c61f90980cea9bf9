package report

import (
	"context"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

// partyBudget is what one party contributes in the year, after
// indexation and pro-rating.
type partyBudget struct {
	name         string
	municipality bool
	cash         int64
	inKind       int64
	volunteer    int64 // in-kind lines of category "Ideellt arbete"
}

// data is everything the report of a set of agreements needs for a year,
// aggregated in SQL per agreement.
type data struct {
	year       int
	today      time.Time
	agreements []partnership.Agreement
	orgNumbers map[int64]string // by organisation id

	recorded    map[int64]postgres.ReportRecorded
	activities  map[int64][]postgres.ReportActivityRow
	perPart     map[int64][]postgres.ReportPerParticipantRow
	people      map[int64][]postgres.ReportParticipantRow
	funnel      map[int64]postgres.ReportFunnelRow
	exits       map[int64][]postgres.ReportGroupRow
	indicators  map[int64][]postgres.ReportGroupRow
	followUps   map[int64][]postgres.ReportGroupRow
	steps       map[int64][]postgres.ReportStepRow
	stepsAny    map[int64][2]int64
	budgets     map[int64][]partyBudget
	estimated   map[int64]bool // the year's amounts are computed from the rules, not materialised
	noPeriod    map[int64]bool // the agreement's period is not known: no yearly budget
	deviations  map[int64]int  // budget deviations not accepted
	volunteer   map[int64]int64
	invoices    map[int64]postgres.ReportInvoiceRow
	meetings    map[int64][]postgres.ReportMeetingRow
	unsubmitted map[int64]bool
	reportsSeen bool // the product has annual reports to check
	portfolio   bool // the report of all agreements
}

func group[T any](rows []T, id func(T) int64) map[int64][]T {
	out := map[int64][]T{}
	for _, r := range rows {
		out[id(r)] = append(out[id(r)], r)
	}
	return out
}

// load reads the year's aggregates of the agreements ids, in their order.
func (s *Service) load(ctx context.Context, ids []int64, year int) (*data, error) {
	pool := s.db.Pool
	st := postgres.NewReports(pool)
	d := &data{year: year, today: partnership.Today(s.now()), orgNumbers: map[int64]string{},
		budgets: map[int64][]partyBudget{}, estimated: map[int64]bool{}, noPeriod: map[int64]bool{},
		deviations: map[int64]int{}, funnel: map[int64]postgres.ReportFunnelRow{},
		invoices: map[int64]postgres.ReportInvoiceRow{}}
	var err error
	if d.agreements, err = postgres.NewAgreements(pool).ByIDs(ctx, ids); err != nil {
		return nil, err
	}
	var orgIDs []int64
	seen := map[int64]bool{}
	for _, a := range d.agreements {
		for _, p := range a.Parties {
			if !seen[p.OrganisationID] {
				seen[p.OrganisationID] = true
				orgIDs = append(orgIDs, p.OrganisationID)
			}
		}
	}
	if len(orgIDs) > 0 {
		if d.orgNumbers, err = postgres.NewOrganisations(pool).OrgNumbers(ctx, orgIDs); err != nil {
			return nil, err
		}
	}
	if d.recorded, err = st.ReportRecordedFor(ctx, ids); err != nil {
		return nil, err
	}
	act, err := st.ReportActivities(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	d.activities = group(act, func(r postgres.ReportActivityRow) int64 { return r.AgreementID })
	// The year's volunteer time is the sum over its types: every type with
	// activities in the year is among these rows.
	d.volunteer = make(map[int64]int64, len(d.activities))
	for _, r := range act {
		d.volunteer[r.AgreementID] += r.VolunteerMinutes
	}
	pp, err := st.ReportPerParticipant(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	d.perPart = group(pp, func(r postgres.ReportPerParticipantRow) int64 { return r.AgreementID })
	people, err := st.ReportParticipants(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	d.people = group(people, func(r postgres.ReportParticipantRow) int64 { return r.AgreementID })
	funnel, err := st.ReportFunnel(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	for _, f := range funnel {
		d.funnel[f.AgreementID] = f
	}
	byAgreement := func(r postgres.ReportGroupRow) int64 { return r.AgreementID }
	rows, err := st.ReportExits(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	d.exits = group(rows, byAgreement)
	if rows, err = st.ReportIndicators(ctx, ids, year); err != nil {
		return nil, err
	}
	d.indicators = group(rows, byAgreement)
	if rows, err = st.ReportFollowUps(ctx, ids, year); err != nil {
		return nil, err
	}
	d.followUps = group(rows, byAgreement)
	steps, err := st.ReportSteps(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	d.steps = group(steps, func(r postgres.ReportStepRow) int64 { return r.AgreementID })
	if d.stepsAny, err = st.ReportStepsAny(ctx, ids, year); err != nil {
		return nil, err
	}
	inv, err := st.ReportInvoices(ctx, ids, year)
	if err != nil {
		return nil, err
	}
	for _, r := range inv {
		d.invoices[r.AgreementID] = r
	}
	meet, err := st.ReportMeetings(ctx, ids, year, d.today)
	if err != nil {
		return nil, err
	}
	d.meetings = group(meet, func(r postgres.ReportMeetingRow) int64 { return r.AgreementID })
	if d.unsubmitted, d.reportsSeen, err = st.ReportUnsubmitted(ctx, ids, year); err != nil {
		return nil, err
	}
	if err := d.loadBudgets(ctx, st, pool); err != nil {
		return nil, err
	}
	return d, nil
}

// loadBudgets sums each party's contribution in the year: the
// materialised year amounts when the indexation has materialised every
// line of the agreement, otherwise the amounts the rules give (indexed
// and pro-rated exactly as the indexation would).
func (d *data) loadBudgets(ctx context.Context, st *postgres.Reports, db postgres.DBTX) error {
	ids := make([]int64, len(d.agreements))
	for i, a := range d.agreements {
		ids[i] = a.ID
	}
	rows, err := st.ReportBudgets(ctx, ids, d.year)
	if err != nil {
		return err
	}
	byAgreement := group(rows, func(r postgres.ReportBudgetRow) int64 { return r.AgreementID })
	var decided []partnership.IndexRate
	budgets := postgres.NewBudgets(db)
	allLines, err := budgets.LinesOf(ctx, ids)
	if err != nil {
		return err
	}
	allTotals, err := budgets.TotalsOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, a := range d.agreements {
		lines, totals := allLines[a.ID], allTotals[a.ID]
		for _, dev := range partnership.BudgetDeviations(lines, totals) {
			if !dev.Accepted {
				d.deviations[a.ID]++
			}
		}
		sums := byAgreement[a.ID]
		byParty := map[int64]*partyBudget{}
		var order []*partyBudget
		for _, p := range a.Parties {
			pb := &partyBudget{name: p.OrganisationName, municipality: p.Role == partnership.PartyMunicipality}
			byParty[p.ID] = pb
			order = append(order, pb)
		}
		materialised := len(sums) > 0
		for _, r := range sums {
			materialised = materialised && r.Materialised
		}
		if materialised {
			for _, r := range sums {
				if pb := byParty[r.PartyID]; pb != nil {
					pb.cash, pb.inKind, pb.volunteer = r.Cash, r.InKind, r.Volunteer
				}
			}
		} else if len(lines) > 0 {
			start, end, ok := partnership.BudgetPeriod(a)
			if !ok {
				d.noPeriod[a.ID] = true
			} else {
				if decided == nil && a.IndexMode == partnership.IndexMunicipal {
					if decided, err = postgres.NewIndexRates(db).List(ctx); err != nil {
						return err
					}
				}
				rate := partnership.Rates(a.IndexMode, a.IndexRateBP, decided)
				d.estimated[a.ID] = true
				for _, l := range lines {
					pb := byParty[l.PartyID]
					if pb == nil {
						continue
					}
					amt := partnership.AmountForYear(l, start, end, d.year, rate).Ore()
					if l.Kind == partnership.Cash {
						pb.cash += amt
					} else {
						pb.inKind += amt
						if strings.EqualFold(strings.TrimSpace(l.Category), "Ideellt arbete") {
							pb.volunteer += amt
						}
					}
				}
			}
		}
		for _, pb := range order {
			d.budgets[a.ID] = append(d.budgets[a.ID], *pb)
		}
	}
	return nil
}

// expected is what the municipality is expected to pay the agreement in
// the year: its cash contribution.
func (d *data) expected(id int64) int64 {
	var sum int64
	for _, pb := range d.budgets[id] {
		if pb.municipality {
			sum += pb.cash
		}
	}
	return sum
}

// elapsed is how much of the year has passed on today, num/den: all of a
// past year, none of a future one.
func (d *data) elapsed() (num, den int64) {
	switch {
	case d.year < d.today.Year():
		return 1, 1
	case d.year > d.today.Year():
		return 0, 1
	}
	start := time.Date(d.year, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(d.year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	return int64(d.today.Sub(start).Hours()/24) + 1, int64(end.Sub(start).Hours() / 24)
}

// yearOver reports whether the whole year has passed.
func (d *data) yearOver() bool { return d.year < d.today.Year() }
