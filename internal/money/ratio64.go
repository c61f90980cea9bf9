package money

import (
	"math"
	"math/bits"
)

// mulRatio64 is MulRatio in int64 arithmetic, for the operands of
// indexation and pro-rata, whose products fit: the big.Int path allocated
// a dozen times per step, which dominated pages that compound thousands of
// lines. It rounds exactly as roundDiv does (a test checks the two agree);
// ok is false when a product does not fit, and MulRatio then takes the
// big.Int path, which also reports overflow.
func mulRatio64(a, num, den int64) (Amount, bool) {
	n, ok := mul64(a, num)
	if !ok {
		return 0, false
	}
	d, ok := mul64(den, orePerKrona)
	if !ok {
		return 0, false
	}
	q, r := n/d, n%d // truncates toward zero, as big.Int.QuoRem
	if abs64(r) >= abs64(d)-abs64(r) {
		if (n < 0) != (d < 0) {
			q--
		} else {
			q++
		}
	}
	ore, ok := mul64(q, orePerKrona)
	return Amount(ore), ok
}

// mul64 is x × y, ok false when it does not fit in an int64 or either
// operand is math.MinInt64 (whose magnitude does not).
func mul64(x, y int64) (int64, bool) {
	if x == math.MinInt64 || y == math.MinInt64 {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if (x < 0) != (y < 0) {
		return -int64(lo), true
	}
	return int64(lo), true
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
