package partnership

import (
	"testing"

	"iop/internal/money"
)

const (
	ixMunicipality = 1
	ixAssociation  = 2
)

func ixKr(k int64) money.Amount { return money.Kronor(k) }

// ixKISAMBudget is KISAM-Världens mammor's budget as the source states it.
func ixKISAMBudget() ([]BudgetLine, []StatedTotal) {
	const year, trips = "Ekonomi / år", "Kunskapsutflykter 10 st/heldagar/år"
	m := func(id int64, section, text string, amount int64, basis *Basis) BudgetLine {
		return BudgetLine{ID: id, PartyID: ixMunicipality, Section: section, Text: text, Kind: Cash, Indexed: true, Amount: ixKr(amount), Basis: basis}
	}
	a := func(id int64, text string, amount int64, basis *Basis) BudgetLine {
		return BudgetLine{ID: id, PartyID: ixAssociation, Text: text, Kind: InKind, Indexed: true, Amount: ixKr(amount), Basis: basis}
	}
	lines := []BudgetLine{
		a(1, "Ideellt arbete", 282_000, &Basis{Quantity: 1, UnitPrice: ixKr(25_000), Unit: "kr/månad", ShareBP: 2000, Periods: 12, Persons: 2,
			Description: "20% av 25000 kr i 12 månader x 2 personer"}),
		a(2, "Heltidsanställd för praktiskt genomförande och stöd", 332_000, nil),
		a(3, "Hyra för lokal 15 000 kr/månad", 180_000, &Basis{Quantity: 1, UnitPrice: ixKr(15_000), Unit: "kr/månad", ShareBP: 10000, Periods: 12, Persons: 1}),
		a(4, "Fika ca 850 kr/vecka x 47 veckor", 40_000, nil),
		m(5, year, "Verksamhetsledare heltid 36 000 kr/månad", 600_000, nil),
		m(6, year, "Assistent till verksamhetsledare och aktivitetsledare för barnen", 282_000, nil),
		m(7, year, "Administration 5 000 kr/månad x 12 månader", 60_000, &Basis{UnitPrice: ixKr(5_000), Unit: "kr/månad", Periods: 12}),
		m(8, year, "Försäkringar", 15_000, nil),
		m(9, year, "Skapande material 800 kr/vecka x 47 veckor", 40_000, nil),
		m(10, year, "Busskort för studiebesök, kortare kunskapsutflykter", 48_000, nil),
		m(11, year, "Teknik och utbildningsmaterial", 40_000, nil),
		m(12, year, "PR/Information", 10_000, nil),
		m(13, trips, "Busshyra heldag 12 000kr/dag", 120_000, nil),
		m(14, trips, "Mat + förbrukningsmaterial 1000 kr/gång x 10 st", 10_000, &Basis{UnitPrice: ixKr(1_000), Unit: "kr/gång", Quantity: 10}),
		m(15, trips, "Guider/guidade visningar/inträde", 20_000, nil),
		m(16, trips, "Milersättning följebil", 6_000, nil),
	}
	totals := []StatedTotal{
		{ID: 1, PartyID: ixAssociation, Label: "KISAM-Världens mammor", Amount: ixKr(834_000)},
		{ID: 2, PartyID: ixMunicipality, Section: year, Amount: ixKr(1_095_000)},
		{ID: 3, PartyID: ixMunicipality, Section: trips, Amount: ixKr(156_000)},
		{ID: 4, PartyID: ixMunicipality, Label: "Linköpings kommun TOTALT", Amount: ixKr(1_251_000)},
	}
	return lines, totals
}

// ixIKFBudget is Internationella Kvinnoföreningen's budget as the source
// states it, with the agreement's total of 910 000 kronor/år.
func ixIKFBudget() ([]BudgetLine, []StatedTotal) {
	hours := func(h int64) *Basis { return &Basis{Quantity: h, Unit: "h/år", Description: "h/vecka"} }
	lines := []BudgetLine{
		{ID: 1, PartyID: ixMunicipality, Text: "Handledning", Kind: Cash, Indexed: true, Amount: ixKr(330_000), Basis: hours(1200)},
		{ID: 2, PartyID: ixMunicipality, Text: "Administration/ekonomi", Kind: Cash, Indexed: true, Amount: ixKr(120_000), Basis: hours(440)},
		{ID: 3, PartyID: ixAssociation, Text: "Individuella motiverande samtal/familjepedagog", Kind: InKind, Indexed: true, Amount: ixKr(330_000), Basis: hours(1200)},
		{ID: 4, PartyID: ixAssociation, Text: "Administration/samordning", Kind: InKind, Indexed: true, Amount: ixKr(45_000), Basis: hours(160)},
		{ID: 5, PartyID: ixAssociation, Text: "Lokalkostnader", Kind: InKind, Indexed: true, Amount: ixKr(75_000)},
	}
	totals := []StatedTotal{
		{ID: 1, PartyID: ixMunicipality, Label: "Totalt", Amount: ixKr(450_000)},
		{ID: 2, PartyID: ixAssociation, Label: "Totalt", Amount: ixKr(450_000)},
		{ID: 3, Label: "Det sammanlagda värdet för insatsen", Amount: ixKr(910_000)},
	}
	return lines, totals
}

func TestBasisAmount(t *testing.T) {
	tests := []struct {
		name  string
		basis Basis
		want  money.Amount
		ok    bool
	}{
		{"20 % of 25 000 kr × 12 months × 2 persons", Basis{Quantity: 1, UnitPrice: ixKr(25_000), ShareBP: 2000, Periods: 12, Persons: 2}, ixKr(120_000), true},
		{"factors left at zero count as one", Basis{UnitPrice: ixKr(25_000), ShareBP: 2000, Periods: 12, Persons: 2}, ixKr(120_000), true},
		{"850 kr/vecka × 47 veckor", Basis{UnitPrice: ixKr(850), Periods: 47}, ixKr(39_950), true},
		{"30 mil × 18,50 kr/mil × 10", Basis{Quantity: 30, UnitPrice: ixKr(18) + 50, Periods: 10}, ixKr(5_550), true},
		{"60 % of 28 000 kr × 12", Basis{UnitPrice: ixKr(28_000), ShareBP: 6000, Periods: 12}, ixKr(201_600), true},
		{"rounds to whole kronor", Basis{UnitPrice: ixKr(1_000), ShareBP: 3333}, ixKr(333), true},
		{"a half krona rounds away from zero", Basis{UnitPrice: ixKr(1), ShareBP: 5000}, ixKr(1), true},
		{"no unit price, no amount", Basis{Quantity: 1200, Unit: "h/år"}, 0, false},
		{"largest valid basis stays exact", Basis{Quantity: MaxBasisQuantity, UnitPrice: MaxBudgetAmount, ShareBP: FullShareBP, Periods: 1, Persons: 1},
			money.Kronor(1_000_000_000 * MaxBasisQuantity), true},
	}
	for _, tt := range tests {
		got, ok := BasisAmount(tt.basis)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: BasisAmount = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestKISAMVolunteerLineDeviates(t *testing.T) {
	lines, _ := ixKISAMBudget()
	d, ok := LineDeviation(lines[0])
	if !ok {
		t.Fatal("the volunteer line has a priced basis but was not checked")
	}
	want := Deviation{LineID: 1, Stated: ixKr(282_000), Computed: ixKr(120_000), Diff: ixKr(162_000)}
	if d != want || !d.Deviates() {
		t.Errorf("LineDeviation = %+v, want %+v", d, want)
	}
	if _, ok := LineDeviation(lines[1]); ok {
		t.Error("a line without a basis was checked")
	}
	if d, ok := LineDeviation(lines[2]); !ok || d.Deviates() {
		t.Errorf("rent 15 000 kr × 12 = 180 000 kr: %+v, %v", d, ok)
	}

	accepted := lines[0]
	accepted.AcceptedNote = "Källan räknar med sociala avgifter."
	d, _ = LineDeviation(accepted)
	if !d.Accepted || d.Note != accepted.AcceptedNote || d.Diff != ixKr(162_000) {
		t.Errorf("an accepted deviation = %+v", d)
	}
}

func TestKISAMSectionsAddUp(t *testing.T) {
	lines, totals := ixKISAMBudget()
	for _, total := range totals {
		if d := TotalDeviation(total, lines); d.Deviates() {
			t.Errorf("total %d (%s %q) deviates: %+v", total.ID, total.Label, total.Section, d)
		}
	}
	got := []money.Amount{TotalDeviation(totals[1], lines).Computed, TotalDeviation(totals[2], lines).Computed, TotalDeviation(totals[3], lines).Computed}
	want := []money.Amount{ixKr(1_095_000), ixKr(156_000), ixKr(1_251_000)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("municipal sum %d = %v, want %v", i, got[i], want[i])
		}
	}
	devs := BudgetDeviations(lines, totals)
	if len(devs) != 1 || devs[0].LineID != 1 {
		t.Errorf("KISAM's deviations = %+v, want only the volunteer line", devs)
	}
}

func TestIKFTotalDeviates(t *testing.T) {
	lines, totals := ixIKFBudget()
	if d := TotalDeviation(totals[0], lines); d.Deviates() || d.Computed != ixKr(450_000) {
		t.Errorf("municipal total: %+v", d)
	}
	if d := TotalDeviation(totals[1], lines); d.Deviates() || d.Computed != ixKr(450_000) {
		t.Errorf("IKF total: %+v", d)
	}
	want := Deviation{TotalID: 3, Stated: ixKr(910_000), Computed: ixKr(900_000), Diff: ixKr(10_000)}
	if d := TotalDeviation(totals[2], lines); d != want {
		t.Errorf("agreement total = %+v, want %+v", d, want)
	}
	devs := BudgetDeviations(lines, totals)
	if len(devs) != 1 || devs[0] != want {
		t.Errorf("IKF's deviations = %+v, want only the agreement total", devs)
	}
	totals[2].AcceptedNote = "Avrundat i källan."
	devs = BudgetDeviations(lines, totals)
	if len(devs) != 1 || !devs[0].Accepted || devs[0].Note != "Avrundat i källan." {
		t.Errorf("an accepted deviation is still reported, marked: %+v", devs)
	}
}

func TestNegativeDeviation(t *testing.T) {
	line := BudgetLine{ID: 7, Amount: ixKr(40_000), Basis: &Basis{UnitPrice: ixKr(850), Periods: 47}}
	d, ok := LineDeviation(line)
	if !ok || d.Diff != ixKr(50) {
		t.Errorf("fika: %+v", d)
	}
	line.Amount = ixKr(37_000)
	if d, _ := LineDeviation(line); d.Diff != ixKr(-2_950) {
		t.Errorf("a stated amount below the basis gives %v, want -2 950 kr", d.Diff)
	}
}
