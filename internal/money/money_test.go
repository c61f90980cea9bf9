package money_test

import (
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"iop/internal/money"
)

func TestRoundKronor(t *testing.T) {
	tests := []struct {
		in, want money.Amount
	}{
		{0, 0},
		{1049, 1000},
		{1050, 1100},
		{1051, 1100},
		{-1049, -1000},
		{-1050, -1100},
		{-1051, -1100},
		{49, 0},
		{50, 100},
		{-50, -100},
		{money.Kronor(1_251_000), money.Kronor(1_251_000)},
	}
	for _, tt := range tests {
		if got := tt.in.RoundKronor(); got != tt.want {
			t.Errorf("%d öre RoundKronor = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestMulRatio(t *testing.T) {
	tests := []struct {
		name     string
		a        money.Amount
		num, den int64
		want     money.Amount
	}{
		{"2 % on 550 000", money.Kronor(550_000), 10200, 10000, money.Kronor(561_000)},
		{"2 % on 572 220 rounds down", money.Kronor(572_220), 10200, 10000, money.Kronor(583_664)},
		{"2 % on 583 664 rounds up", money.Kronor(583_664), 10200, 10000, money.Kronor(595_337)},
		{"half rounds away from zero", money.Kronor(25), 1, 2, money.Kronor(13)},
		{"negative half rounds away from zero", money.Kronor(-25), 1, 2, money.Kronor(-13)},
		{"negative denominator", money.Kronor(25), 1, -2, money.Kronor(-13)},
		{"six of twelve months", money.Kronor(450_000), 6, 12, money.Kronor(225_000)},
		{"days of a year", money.Kronor(450_000), 292, 365, money.Kronor(360_000)},
		{"product beyond int64 stays exact", money.MaxAmount, math.MaxInt64, math.MaxInt64, money.MaxAmount},
	}
	for _, tt := range tests {
		if got := tt.a.MulRatio(tt.num, tt.den); got != tt.want {
			t.Errorf("%s: %v × %d/%d = %v, want %v", tt.name, tt.a, tt.num, tt.den, got, tt.want)
		}
	}
}

func TestMulRat(t *testing.T) {
	// 20 % of 25 000 kr × 12 months × 2 persons.
	r := big.NewRat(2000*12*2, 10000)
	if got, want := money.Kronor(25_000).MulRat(r), money.Kronor(120_000); got != want {
		t.Errorf("MulRat = %v, want %v", got, want)
	}
	// 30 mil × 18,50 kr × 10.
	if got, want := money.Amount(1850).MulRat(big.NewRat(300, 1)), money.Kronor(5550); got != want {
		t.Errorf("MulRat = %v, want %v", got, want)
	}
}

func TestSum(t *testing.T) {
	got := money.Sum(money.Kronor(330_000), money.Kronor(120_000), money.Kronor(330_000), money.Kronor(45_000), money.Kronor(75_000))
	if want := money.Kronor(900_000); got != want {
		t.Errorf("Sum = %v, want %v", got, want)
	}
	if got := money.Sum(); got != 0 {
		t.Errorf("Sum() = %v, want 0", got)
	}
}

func TestSumPanicsOnOverflow(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Sum did not panic on overflow")
		}
	}()
	money.Sum(math.MaxInt64, 1)
}

func TestMulRatioPanicsOnOverflow(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MulRatio did not panic on overflow")
		}
	}()
	money.MaxAmount.MulRatio(1_000_000, 1)
}

func TestShareBP(t *testing.T) {
	tests := []struct {
		part, whole money.Amount
		want        int64
		ok          bool
	}{
		{money.Kronor(450_000), money.Kronor(900_000), 5000, true},
		{money.Kronor(980_500), money.Kronor(2_080_500), 4713, true}, // 47,128…%
		{money.Kronor(1), money.Kronor(3), 3333, true},
		{money.Kronor(1), money.Kronor(0), 0, false},
	}
	for _, tt := range tests {
		got, ok := money.ShareBP(tt.part, tt.whole)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ShareBP(%v, %v) = %d, %v; want %d, %v", tt.part, tt.whole, got, ok, tt.want, tt.ok)
		}
	}
}

func TestAbsAndIsWhole(t *testing.T) {
	if got := money.Amount(-1050).Abs(); got != 1050 {
		t.Errorf("Abs = %d", got)
	}
	if !money.Kronor(-3).IsWhole() || money.Amount(-1050).IsWhole() {
		t.Error("IsWhole is wrong")
	}
}

// refRound is the reference for rounding half away from zero, written
// independently of the package: round(|x|) with the sign put back.
func refRound(x *big.Rat) *big.Int {
	abs := new(big.Rat).Abs(x)
	abs.Add(abs, big.NewRat(1, 2))
	q := new(big.Int).Quo(abs.Num(), abs.Denom()) // floor of a non-negative value
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

func TestPropertyMulRatioIsExactRounding(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := money.Amount(rapid.Int64Range(-int64(money.MaxAmount), int64(money.MaxAmount)).Draw(t, "öre"))
		// |num / den| ≤ 20 000 keeps MaxAmount × num / den inside int64.
		num := rapid.Int64Range(-20_000, 20_000).Draw(t, "num")
		den := rapid.Int64Range(1, 1_000_000).Draw(t, "den")
		if rapid.Bool().Draw(t, "negative den") {
			den = -den
		}
		x := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(num)), new(big.Int).Mul(big.NewInt(den), big.NewInt(100)))
		want := new(big.Int).Mul(refRound(x), big.NewInt(100))
		if got := a.MulRatio(num, den); big.NewInt(int64(got)).Cmp(want) != 0 {
			t.Fatalf("%d × %d / %d = %d öre, want %s", a, num, den, got, want)
		}
	})
}

func TestPropertyRoundKronorHalfAwayFromZero(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := money.Amount(rapid.Int64Range(-int64(money.MaxAmount), int64(money.MaxAmount)).Draw(t, "öre"))
		r := a.RoundKronor()
		if !r.IsWhole() {
			t.Fatalf("RoundKronor(%d) = %d is not whole kronor", a, r)
		}
		if (-a).RoundKronor() != -r {
			t.Fatalf("rounding is not symmetric around zero: %d → %d, %d → %d", a, r, -a, (-a).RoundKronor())
		}
		diff := (r - a).Abs()
		if diff > 50 {
			t.Fatalf("RoundKronor(%d) = %d is more than 50 öre away", a, r)
		}
		if diff == 50 && r.Abs() < a.Abs() {
			t.Fatalf("RoundKronor(%d) = %d rounds a half toward zero", a, r)
		}
	})
}

func TestPropertySumIsOrderIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		amounts := rapid.SliceOf(rapid.Int64Range(-int64(money.MaxAmount), int64(money.MaxAmount))).Draw(t, "amounts")
		as := make([]money.Amount, len(amounts))
		var want int64
		for i, a := range amounts {
			as[i] = money.Amount(a)
			want += a
		}
		if got := money.Sum(as...); int64(got) != want {
			t.Fatalf("Sum = %d, want %d", got, want)
		}
		perm := rapid.Permutation(as).Draw(t, "order")
		if got := money.Sum(perm...); int64(got) != want {
			t.Fatalf("Sum in another order = %d, want %d", got, want)
		}
	})
}
