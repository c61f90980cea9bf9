package partnership

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"iop/internal/money"
)

func ixAmounts(periods []PeriodAmount) []money.Amount {
	out := make([]money.Amount, len(periods))
	for i, p := range periods {
		out[i] = p.Amount
	}
	return out
}

func ixEqual(a, b []money.Amount) bool {
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

func TestExpectedPayments(t *testing.T) {
	s2021, e2021 := ixDate("2018-01-01"), ixDate("2021-12-31")
	tests := []struct {
		name       string
		total      money.Amount
		freq       InvoiceFrequency
		start, end time.Time
		year       int
		want       []money.Amount
	}{
		{"yearly", ixKr(459_000), InvoiceYearly, ixDate("2023-01-01"), ixDate("2024-12-31"), 2024, []money.Amount{ixKr(459_000)}},
		{"terms not agreed count as yearly", ixKr(459_000), "", ixDate("2023-01-01"), ixDate("2024-12-31"), 2024, []money.Amount{ixKr(459_000)}},
		{"quarterly, even", ixKr(1_144_440), InvoiceQuarterly, s2021, e2021, 2020, []money.Amount{ixKr(286_110), ixKr(286_110), ixKr(286_110), ixKr(286_110)}},
		{"monthly, remainder to the last month", ixKr(1_167_328), InvoiceMonthly, s2021, e2021, 2021, []money.Amount{
			ixKr(97_277), ixKr(97_277), ixKr(97_277), ixKr(97_277), ixKr(97_277), ixKr(97_277),
			ixKr(97_277), ixKr(97_277), ixKr(97_277), ixKr(97_277), ixKr(97_277), ixKr(97_281)}},
		{"a quarter partly covered gets a full share", ixKr(300_000), InvoiceQuarterly, ixDate("2023-03-15"), ixDate("2024-06-30"), 2023,
			[]money.Amount{ixKr(75_000), ixKr(75_000), ixKr(75_000), ixKr(75_000)}},
		{"quarters after the end get nothing; öre go to the last", ixKr(225_001) + 50, InvoiceQuarterly, ixDate("2023-03-15"), ixDate("2024-06-30"), 2024,
			[]money.Amount{ixKr(112_500), ixKr(112_501) + 50, 0, 0}},
		{"months before the start get nothing", ixKr(60_000), InvoiceMonthly, ixDate("2023-10-01"), ixDate("2025-09-30"), 2023,
			[]money.Amount{0, 0, 0, 0, 0, 0, 0, 0, 0, ixKr(20_000), ixKr(20_000), ixKr(20_000)}},
		{"negative totals split toward zero", ixKr(-1_001), InvoiceQuarterly, s2021, e2021, 2019, []money.Amount{ixKr(-250), ixKr(-250), ixKr(-250), ixKr(-251)}},
		{"a year not covered", ixKr(0), InvoiceQuarterly, ixDate("2023-01-01"), ixDate("2024-12-31"), 2025, []money.Amount{0, 0, 0, 0}},
	}
	for _, tt := range tests {
		got := ExpectedPayments(tt.total, tt.freq, tt.start, tt.end, tt.year)
		if !ixEqual(ixAmounts(got), tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, ixAmounts(got), tt.want)
		}
		for i, p := range got {
			if p.Year != tt.year || p.Period != i+1 {
				t.Errorf("%s: period %d is %d/%d", tt.name, i+1, p.Year, p.Period)
			}
		}
	}
}

func TestExpectedPaymentsPeriods(t *testing.T) {
	q := ExpectedPayments(ixKr(4), InvoiceQuarterly, ixDate("2024-01-01"), ixDate("2024-12-31"), 2024)
	if !q[1].Start.Equal(ixDate("2024-04-01")) || !q[1].End.Equal(ixDate("2024-06-30")) || q[1].Label != "Kvartal 2 2024" {
		t.Errorf("second quarter = %+v", q[1])
	}
	m := ExpectedPayments(ixKr(12), InvoiceMonthly, ixDate("2024-01-01"), ixDate("2024-12-31"), 2024)
	if !m[1].End.Equal(ixDate("2024-02-29")) || m[2].Label != "Mars 2024" {
		t.Errorf("months = %+v, %+v", m[1], m[2])
	}
	y := ExpectedPayments(ixKr(1), InvoiceYearly, ixDate("2023-01-01"), ixDate("2024-12-31"), 2023)
	if y[0].Label != "Helår 2023" || !y[0].End.Equal(ixDate("2023-12-31")) {
		t.Errorf("year = %+v", y[0])
	}
}

func TestPeriodLabel(t *testing.T) {
	tests := []struct {
		f            InvoiceFrequency
		year, period int
		want         string
	}{
		{InvoiceYearly, 2023, 1, "Helår 2023"},
		{"", 2023, 1, "Helår 2023"},
		{InvoiceQuarterly, 2024, 4, "Kvartal 4 2024"},
		{InvoiceMonthly, 2024, 12, "December 2024"},
		{InvoiceMonthly, 2024, 13, "Månad 13 2024"},
	}
	for _, tt := range tests {
		if got := PeriodLabel(tt.f, tt.year, tt.period); got != tt.want {
			t.Errorf("PeriodLabel(%q, %d, %d) = %q, want %q", tt.f, tt.year, tt.period, got, tt.want)
		}
	}
}

// ixIKFAgreement is the IKF agreement: 2023-01-01 – 2024-12-31, invoiced
// once a year, each party 450 000 kr a year.
func ixIKFAgreement() Agreement {
	start, end := ixDate("2023-01-01"), ixDate("2024-12-31")
	return Agreement{StartDate: &start, EndDate: &end, InvoiceFrequency: InvoiceYearly, Parties: []Party{
		{ID: ixMunicipality, Role: PartyMunicipality},
		{ID: ixAssociation, Role: PartyLeadAssociation},
	}}
}

func TestIKFMunicipalPayments(t *testing.T) {
	a := ixIKFAgreement()
	lines, _ := ixIKFBudget()
	rate := Rates(IndexMunicipal, DefaultIndexRateBP, nil)
	want := map[int]money.Amount{2022: 0, 2023: ixKr(450_000), 2024: ixKr(459_000), 2025: 0}
	for year, w := range want {
		if got := MunicipalCashForYear(a, lines, year, rate); got != w {
			t.Errorf("%d: municipal cash %v, want %v", year, got, w)
		}
	}
	p := AgreementPayments(a, lines, 2024, rate)
	if len(p) != 1 || p[0].Amount != ixKr(459_000) || p[0].Label != "Helår 2024" {
		t.Errorf("2024 payments = %+v", p)
	}
	if p := AgreementPayments(Agreement{}, lines, 2024, rate); p != nil {
		t.Errorf("payments without a period = %+v", p)
	}

	// An in-kind municipal line is no payment; a terminated agreement
	// pays its covered months only.
	lines = append(lines, BudgetLine{PartyID: ixMunicipality, Kind: InKind, Amount: ixKr(10_000)})
	a.Status, a.Termination = StatusTerminated, &Termination{On: ixDate("2024-06-30")}
	if got, want := MunicipalCashForYear(a, lines, 2024, rate), ixKr(229_500); got != want {
		t.Errorf("terminated 2024-06-30: %v, want %v", got, want)
	}
}

func TestInvoiceDeviation(t *testing.T) {
	if got := InvoiceDeviation(ixKr(459_000), ixKr(460_000)); got != ixKr(1_000) {
		t.Errorf("over-invoiced: %v", got)
	}
	if got := InvoiceDeviation(ixKr(459_000), ixKr(450_000)); got != ixKr(-9_000) {
		t.Errorf("under-invoiced: %v", got)
	}
}

func TestPropertyPaymentsSumToTheYear(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total := money.Amount(rapid.Int64Range(-int64(MaxBudgetAmount), int64(MaxBudgetAmount)).Draw(t, "öre"))
		f := rapid.SampledFrom([]InvoiceFrequency{"", InvoiceYearly, InvoiceQuarterly, InvoiceMonthly}).Draw(t, "frequency")
		start, end := ixDrawPeriod(t)
		for _, year := range Years(start, end) {
			periods := ExpectedPayments(total, f, start, end, year)
			if got := money.Sum(ixAmounts(periods)...); got != total {
				t.Fatalf("%d %s: periods sum to %v, want %v", year, f, got, total)
			}
			for _, p := range periods {
				if !p.End.Before(start) && !p.Start.After(end) {
					continue
				}
				if p.Amount != 0 {
					t.Fatalf("%d %s: period %d outside the agreement gets %v", year, f, p.Period, p.Amount)
				}
			}
		}
	})
}
