package partnership

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"iop/internal/money"
)

func ixDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestYearlyAmountWorkedFigures(t *testing.T) {
	stadsmissionen := BudgetLine{Amount: money.Kronor(550_000), Indexed: true}
	fixed := Rates(IndexFixed, DefaultIndexRateBP, nil)
	want := map[int]int64{2018: 550_000, 2019: 561_000, 2020: 572_220, 2021: 583_664, 2022: 595_337, 2023: 607_244}
	for year, kronor := range want {
		if got := YearlyAmount(stadsmissionen, 2018, year, fixed); got != money.Kronor(kronor) {
			t.Errorf("Stadsmissionen %d = %v, want %v", year, got, money.Kronor(kronor))
		}
	}

	ikf := BudgetLine{Amount: money.Kronor(450_000), Indexed: true}
	municipal := Rates(IndexMunicipal, DefaultIndexRateBP, []IndexRate{{Year: 2025, RateBP: 310, Source: "OPI definitiv 2025"}})
	if got, want := YearlyAmount(ikf, 2023, 2024, municipal), money.Kronor(459_000); got != want {
		t.Errorf("IKF 2024 = %v, want %v", got, want)
	}
	// 459 000 × 1,031 = 473 229.
	if got, want := YearlyAmount(ikf, 2023, 2025, municipal), money.Kronor(473_229); got != want {
		t.Errorf("IKF 2025 with a decided 3,1 %% = %v, want %v", got, want)
	}
}

func TestYearlyAmountNotIndexedAndBeforeBase(t *testing.T) {
	line := BudgetLine{Amount: money.Kronor(75_000)}
	fixed := Rates(IndexFixed, 200, nil)
	if got := YearlyAmount(line, 2023, 2030, fixed); got != money.Kronor(75_000) {
		t.Errorf("a line that is not indexed changed: %v", got)
	}
	line.Indexed = true
	if got := YearlyAmount(line, 2023, 2020, fixed); got != money.Kronor(75_000) {
		t.Errorf("a year before the base year changed: %v", got)
	}
}

func TestRates(t *testing.T) {
	decided := []IndexRate{{Year: 2024, RateBP: 350}, {Year: 2025, RateBP: -50}}
	tests := []struct {
		name  string
		mode  IndexMode
		fixed int64
		year  int
		want  int64
	}{
		{"fixed ignores decisions", IndexFixed, 200, 2024, 200},
		{"unset mode is fixed", "", 250, 2024, 250},
		{"municipal uses the decided rate", IndexMunicipal, 200, 2024, 350},
		{"municipal decided negative rate", IndexMunicipal, 200, 2025, -50},
		{"municipal falls back to the fixed rate", IndexMunicipal, 200, 2026, 200},
		{"zero fixed rate is no indexation", IndexFixed, 0, 2026, 0},
	}
	for _, tt := range tests {
		if got := Rates(tt.mode, tt.fixed, decided)(tt.year); got != tt.want {
			t.Errorf("%s: rate(%d) = %d, want %d", tt.name, tt.year, got, tt.want)
		}
	}
}

func TestCoveredShare(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		year       int
		num, den   int64
	}{
		{"whole year", "2023-01-01", "2024-12-31", 2023, 12, 12},
		{"second whole year", "2023-01-01", "2024-12-31", 2024, 12, 12},
		{"not covered after", "2023-01-01", "2024-12-31", 2025, 0, 1},
		{"not covered before", "2023-01-01", "2024-12-31", 2022, 0, 1},
		{"starts on a month's first day", "2023-07-01", "2025-06-30", 2023, 6, 12},
		{"ends on a month's last day", "2023-07-01", "2025-06-30", 2025, 6, 12},
		{"ends on 29 February", "2024-01-01", "2024-02-29", 2024, 2, 12},
		{"starts mid-month: days", "2023-03-15", "2024-12-31", 2023, 292, 365},
		{"ends mid-month in a leap year: days", "2023-01-01", "2024-06-15", 2024, 167, 366},
		{"one day", "2023-05-10", "2023-05-10", 2023, 1, 365},
		{"end before start", "2023-05-10", "2023-05-09", 2023, 0, 1},
	}
	for _, tt := range tests {
		num, den := CoveredShare(ixDate(tt.start), ixDate(tt.end), tt.year)
		if num != tt.num || den != tt.den {
			t.Errorf("%s: CoveredShare = %d/%d, want %d/%d", tt.name, num, den, tt.num, tt.den)
		}
	}
}

func TestAmountForYearProRata(t *testing.T) {
	line := BudgetLine{Amount: money.Kronor(550_000), Indexed: true}
	fixed := Rates(IndexFixed, 200, nil)
	start, end := ixDate("2018-07-01"), ixDate("2020-03-15")
	tests := []struct {
		year int
		want money.Amount
	}{
		{2017, 0},
		{2018, money.Kronor(275_000)}, // 550 000 × 6/12
		{2019, money.Kronor(561_000)}, // the next year compounds on the full-year amount
		{2020, money.Kronor(117_258)}, // 572 220 × 75/366 days = 117 258,19…
		{2021, 0},
	}
	for _, tt := range tests {
		if got := AmountForYear(line, start, end, tt.year, fixed); got != tt.want {
			t.Errorf("%d: %v, want %v", tt.year, got, tt.want)
		}
	}
}

func TestBudgetPeriodAndYears(t *testing.T) {
	start, end, ext, term := ixDate("2018-01-01"), ixDate("2019-12-31"), ixDate("2021-12-31"), ixDate("2020-06-30")
	a := Agreement{StartDate: &start, EndDate: &end, Extensions: []Extension{{NewEndDate: ext}}}
	s, e, ok := BudgetPeriod(a)
	if !ok || !s.Equal(start) || !e.Equal(ext) {
		t.Errorf("extended period = %v–%v, %v", s, e, ok)
	}
	if got := Years(s, e); len(got) != 4 || got[0] != 2018 || got[3] != 2021 {
		t.Errorf("Years = %v", got)
	}
	a.Termination = &Termination{On: term}
	if _, e, _ := BudgetPeriod(a); !e.Equal(term) {
		t.Errorf("terminated period ends %v, want %v", e, term)
	}
	if _, _, ok := BudgetPeriod(Agreement{StartDate: &start}); ok {
		t.Error("a period without an end is known")
	}
	if _, _, ok := BudgetPeriod(Agreement{EndDate: &end}); ok {
		t.Error("a period without a start is known")
	}
	if got := Years(end, start); got != nil {
		t.Errorf("Years of a reversed period = %v", got)
	}
}

// ixDrawLine draws a budget line with a whole-kronor amount, positive or
// negative, indexed or not.
func ixDrawLine(t *rapid.T, label string) BudgetLine {
	return BudgetLine{
		Amount:  money.Kronor(rapid.Int64Range(-10_000_000, 10_000_000).Draw(t, label+" kronor")),
		Indexed: rapid.Bool().Draw(t, label+" indexed"),
		Kind:    rapid.SampledFrom([]ContributionKind{Cash, InKind}).Draw(t, label+" kind"),
	}
}

// ixDrawRates draws a municipal rate table over the years 2001–2060 with
// some years decided and a fixed rate for the rest.
func ixDrawRates(t *rapid.T) RateFunc {
	var decided []IndexRate
	for y := 2001; y <= 2060; y++ {
		if rapid.Bool().Draw(t, "decided") {
			decided = append(decided, IndexRate{Year: y, RateBP: rapid.Int64Range(-500, 1500).Draw(t, "rate")})
		}
	}
	return Rates(IndexMunicipal, rapid.Int64Range(-500, 1500).Draw(t, "fixed"), decided)
}

func ixDrawPeriod(t *rapid.T) (start, end time.Time) {
	start = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rapid.IntRange(0, 20*365).Draw(t, "start day"))
	end = start.AddDate(0, 0, rapid.IntRange(0, 12*365).Draw(t, "length"))
	return start, end
}

func TestPropertyTotalIsSumOfLines(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lines := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) BudgetLine { return ixDrawLine(t, "line") }), 0, 12).Draw(t, "lines")
		rate := ixDrawRates(t)
		start, end := ixDrawPeriod(t)
		for _, year := range Years(start, end) {
			var sum money.Amount
			for _, l := range lines {
				sum += AmountForYear(l, start, end, year, rate)
			}
			if got := TotalForYear(lines, start, end, year, rate); got != sum {
				t.Fatalf("%d: total %v, sum of lines %v", year, got, sum)
			}
			shuffled := rapid.Permutation(lines).Draw(t, "line order")
			if got := TotalForYear(shuffled, start, end, year, rate); got != sum {
				t.Fatalf("%d: total in another line order %v, want %v", year, got, sum)
			}
		}
	})
}

func TestPropertyOrderOfComputationDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		line := ixDrawLine(t, "line")
		rate := ixDrawRates(t)
		base := rapid.IntRange(2001, 2030).Draw(t, "base year")
		last := base + rapid.IntRange(0, 29).Draw(t, "span")
		years := make([]int, 0, 30)
		for y := base; y <= last; y++ {
			years = append(years, y)
		}
		// Iteratively, year by year, from the previous rounded amount.
		iterative := map[int]money.Amount{base: line.Amount}
		for _, y := range years[1:] {
			bp := rate(y)
			if !line.Indexed {
				bp = 0
			}
			iterative[y] = IndexStep(iterative[y-1], bp)
		}
		// Directly, in any order.
		for _, y := range rapid.Permutation(years).Draw(t, "order") {
			if got := YearlyAmount(line, base, y, rate); got != iterative[y] {
				t.Fatalf("%d: direct %v, iterative %v", y, got, iterative[y])
			}
		}
	})
}

func TestPropertyZeroRateChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		line := ixDrawLine(t, "line")
		line.Amount += money.Amount(rapid.Int64Range(0, 99).Draw(t, "öre"))
		zero := Rates(IndexFixed, 0, nil)
		base := rapid.IntRange(2001, 2030).Draw(t, "base year")
		year := base + rapid.IntRange(0, 40).Draw(t, "later")
		got := YearlyAmount(line, base, year, zero)
		want := line.Amount
		if year > base && line.Indexed {
			want = line.Amount.RoundKronor() // indexation rounds to whole kronor
		}
		if got != want {
			t.Fatalf("%v at 0 %% in %d = %v, want %v", line.Amount, year, got, want)
		}
	})
}

func TestPropertyFullYearProRataIsIdentity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		line := ixDrawLine(t, "line")
		line.Amount += money.Amount(rapid.Int64Range(-99, 99).Draw(t, "öre"))
		rate := ixDrawRates(t)
		first := rapid.IntRange(2001, 2040).Draw(t, "first year")
		last := first + rapid.IntRange(0, 10).Draw(t, "years")
		start := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)
		end := time.Date(last, 12, 31, 0, 0, 0, 0, time.UTC)
		for y := first; y <= last; y++ {
			if got, want := AmountForYear(line, start, end, y, rate), YearlyAmount(line, first, y, rate); got != want {
				t.Fatalf("%d fully covered: %v, yearly amount %v", y, got, want)
			}
		}
	})
}

func TestPropertyIndexRoundsHalfAwayFromZero(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		prev := money.Kronor(rapid.Int64Range(-10_000_000, 10_000_000).Draw(t, "kronor"))
		bp := rapid.Int64Range(-1000, 1000).Draw(t, "bp")
		if rapid.Bool().Draw(t, "exact half") {
			// 50 × odd kronor × (1 + odd %) always ends in half a krona.
			prev = money.Kronor(50 * (2*rapid.Int64Range(-1000, 1000).Draw(t, "j") + 1))
			bp = 100 * (2*rapid.Int64Range(-5, 5).Draw(t, "i") + 1)
		}
		got := IndexStep(prev, bp)
		// Compare in units of 10⁻⁴ öre to stay in integers.
		exact := int64(prev) * (10000 + bp)
		diff := int64(got)*10000 - exact // (rounded − exact) in öre × 10⁻⁴
		if !got.IsWhole() {
			t.Fatalf("IndexStep(%v, %d) = %v is not whole kronor", prev, bp, got)
		}
		if diff > 50*10000 || diff < -50*10000 {
			t.Fatalf("IndexStep(%v, %d) = %v is more than half a krona off", prev, bp, got)
		}
		half := diff == 50*10000 || diff == -50*10000
		if half && ((exact > 0 && diff < 0) || (exact < 0 && diff > 0)) {
			t.Fatalf("IndexStep(%v, %d) = %v rounds a half toward zero", prev, bp, got)
		}
		if IndexStep(-prev, bp) != -got {
			t.Fatalf("IndexStep is not symmetric: %v → %v, %v → %v", prev, got, -prev, IndexStep(-prev, bp))
		}
	})
}
