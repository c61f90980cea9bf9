// Package money is exact arithmetic on Swedish kronor: an Amount is a whole
// number of öre, never a float, and it is parsed and formatted the Swedish
// way ("1 251 000 kr").
package money

// Amount is an amount of money in öre (1 krona = 100 öre).
type Amount int64

// Kronor returns the amount of k whole kronor.
func Kronor(k int64) Amount { return Amount(k * 100) }

// Ore returns the amount in öre.
func (a Amount) Ore() int64 { return int64(a) }
