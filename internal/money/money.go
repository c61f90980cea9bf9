// Package money is exact arithmetic on Swedish kronor: an Amount is a whole
// number of öre, never a float, and it is parsed and formatted the Swedish
// way ("1 251 000 kr").
//
// Rounding happens in one place, roundDiv: to the nearest whole number,
// halves away from zero (0,5 → 1, −0,5 → −1). Every operation that leaves
// whole öre (MulRatio, MulRat, RoundKronor, ShareBP) goes through it, and
// the amount operations round to whole kronor, which is the domain's rule
// for indexed, pro-rated and calculated amounts. MulRatio's int64 path
// (mulRatio64) repeats the rule without allocations; a test holds it to
// roundDiv.
package money

import (
	"math"
	"math/big"
)

// Amount is an amount of money in öre (1 krona = 100 öre).
type Amount int64

// Kronor returns the amount of k whole kronor.
func Kronor(k int64) Amount { return Amount(k * 100) }

// Ore returns the amount in öre.
func (a Amount) Ore() int64 { return int64(a) }

// MaxAmount is the largest magnitude Parse accepts: 10^12 kronor. It keeps
// user input about 90 000 times below the int64 limit, so arithmetic on
// parsed amounts (indexation over centuries, sums of many lines) cannot
// overflow.
const MaxAmount = Amount(1_000_000_000_000 * 100)

// orePerKrona is the number of öre in a krona.
const orePerKrona = 100

// IsWhole reports whether the amount is a whole number of kronor.
func (a Amount) IsWhole() bool { return a%orePerKrona == 0 }

// Abs is the amount without its sign. It panics for the one int64 value
// whose magnitude does not fit, far outside MaxAmount.
func (a Amount) Abs() Amount {
	if a == math.MinInt64 {
		panic("money: Abs overflows")
	}
	if a < 0 {
		return -a
	}
	return a
}

// RoundKronor rounds the amount to whole kronor, halves away from zero:
// 10,50 kr → 11 kr, −10,50 kr → −11 kr, 10,49 kr → 10 kr.
func (a Amount) RoundKronor() Amount { return a.MulRatio(1, 1) }

// MulRatio is a × num / den, computed exactly and rounded to whole kronor,
// halves away from zero. Indexation by r basis points is
// a.MulRatio(10000+r, 10000); pro-rata by 6 of 12 months is
// a.MulRatio(6, 12). It panics when den is 0 or when the result does not
// fit in an Amount; both are programming errors, not user input.
func (a Amount) MulRatio(num, den int64) Amount {
	if den == 0 {
		panic("money: MulRatio by zero denominator")
	}
	if r, ok := mulRatio64(int64(a), num, den); ok {
		return r
	}
	n := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(num))
	d := new(big.Int).Mul(big.NewInt(den), big.NewInt(orePerKrona))
	return kronorToAmount(roundDiv(n, d))
}

// MulRat is a × r, computed exactly and rounded to whole kronor, halves
// away from zero, like MulRatio but for factors that do not fit one int64
// fraction (e.g. quantity × share × periods × persons). It panics when the
// result does not fit in an Amount.
func (a Amount) MulRat(r *big.Rat) Amount {
	n := new(big.Int).Mul(big.NewInt(int64(a)), r.Num())
	d := new(big.Int).Mul(r.Denom(), big.NewInt(orePerKrona))
	return kronorToAmount(roundDiv(n, d))
}

// Sum adds the amounts exactly. Totals in this system are sums of amounts
// that have already been rounded; Sum never rounds. It panics on int64
// overflow, which amounts within MaxAmount cannot reach in practice.
func Sum(amounts ...Amount) Amount {
	var total Amount
	for _, a := range amounts {
		s := total + a
		if (a > 0 && s < total) || (a < 0 && s > total) {
			panic("money: Sum overflows")
		}
		total = s
	}
	return total
}

// ShareBP is part / whole in basis points (10000 = 100 %), rounded to the
// nearest basis point, halves away from zero; e.g. an association's share
// of an agreement's total. ok is false when whole is 0.
func ShareBP(part, whole Amount) (bp int64, ok bool) {
	if whole == 0 {
		return 0, false
	}
	n := new(big.Int).Mul(big.NewInt(int64(part)), big.NewInt(10000))
	q := roundDiv(n, big.NewInt(int64(whole)))
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// kronorToAmount turns a whole number of kronor into an Amount, panicking
// when it does not fit.
func kronorToAmount(kronor *big.Int) Amount {
	ore := new(big.Int).Mul(kronor, big.NewInt(orePerKrona))
	if !ore.IsInt64() {
		panic("money: amount overflows int64 öre")
	}
	return Amount(ore.Int64())
}

// roundDiv is n / d rounded to the nearest integer, halves away from zero.
// It is the only place in the system where money is rounded.
func roundDiv(n, d *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(n, d, new(big.Int)) // truncates toward zero
	twiceR := new(big.Int).Abs(r)
	twiceR.Lsh(twiceR, 1)
	if twiceR.CmpAbs(d) >= 0 {
		if n.Sign()*d.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}
