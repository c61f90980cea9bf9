package money

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestMulRatio64AgreesWithRoundDiv checks that the int64 path of MulRatio
// gives what the big.Int path gives, halves and signs included, wherever
// it answers at all.
func TestMulRatio64AgreesWithRoundDiv(t *testing.T) {
	slow := func(a, num, den int64) (got Amount, ok bool) {
		defer func() {
			if recover() != nil {
				ok = false
			}
		}()
		n := new(big.Int).Mul(big.NewInt(a), big.NewInt(num))
		d := new(big.Int).Mul(big.NewInt(den), big.NewInt(orePerKrona))
		return kronorToAmount(roundDiv(n, d)), true
	}
	values := []int64{0, 1, -1, 49, 50, 51, -49, -50, -51, 149, 150, -150, 250, -250, 10000, 10200, 9800, 12, 7,
		int64(MaxAmount), -int64(MaxAmount), math.MaxInt64, math.MinInt64, math.MaxInt64 / 100, math.MinInt64 / 100}
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		values = append(values, r.Int64N(2*int64(MaxAmount))-int64(MaxAmount), r.Int64N(40000)-20000)
	}
	checked := 0
	for _, a := range values {
		for _, num := range values {
			for _, den := range []int64{1, -1, 2, 3, 7, 12, -12, 365, 366, 10000, -10000, 1 << 40, math.MaxInt64} {
				fast, ok := mulRatio64(a, num, den)
				if !ok {
					continue
				}
				checked++
				if want, ok := slow(a, num, den); !ok || fast != want {
					t.Fatalf("%d × %d / %d: int64 path %d, big.Int path %d (%v)", a, num, den, fast, want, ok)
				}
			}
		}
	}
	if checked < 100000 {
		t.Errorf("only %d cases fit in int64", checked)
	}
}
