package money

import (
	"strconv"
	"strings"
)

// nbsp is U+00A0 NO-BREAK SPACE: String puts it between digit groups and
// before "kr" so that an amount never wraps over two lines.
const nbsp = "\u00a0"

// String formats the amount the Swedish way: digit groups of three
// separated by no-break spaces (U+00A0), öre after a decimal comma only
// when the amount is not whole, and " kr": "1 251 000 kr",
// "1 251 000,50 kr", "-450 000 kr". The minus sign is ASCII '-' (not
// U+2212) so that a copied amount pastes into spreadsheets and other
// programs as a number; Parse accepts both.
func (a Amount) String() string {
	return a.format(nbsp) + nbsp + "kr"
}

// Plain formats the amount without grouping or unit, for CSV files and
// form values: "1251000", "1251000,50", "-450000".
func (a Amount) Plain() string {
	return a.format("")
}

// format writes sign, grouped kronor and öre (when not whole).
func (a Amount) format(groupSep string) string {
	neg := a < 0
	mag := uint64(a)
	if neg {
		mag = -mag // two's complement: also right for math.MinInt64
	}
	kronor, ore := mag/orePerKrona, mag%orePerKrona
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(group(strconv.FormatUint(kronor, 10), groupSep))
	if ore != 0 {
		b.WriteByte(',')
		if ore < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.FormatUint(ore, 10))
	}
	return b.String()
}

// group inserts sep between groups of three digits from the right.
func group(digits, sep string) string {
	if sep == "" || len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}
