package money

import (
	"strconv"
	"strings"
)

// MaxPercentBP is the largest magnitude ParsePercent accepts: 10 000 %.
// What is sensible (a share of at most 100 %, an index rate of a few
// percent) is for the caller to validate; this bound only keeps
// arithmetic on parsed rates far from overflow.
const MaxPercentBP = 1_000_000

// percentSuffixes are the units a percentage may end with.
var percentSuffixes = []string{"procent", "%"}

// ParsePercent reads a percentage written the Swedish way and returns it
// in basis points (1 % = 100): "2 %" → 200, "2,5" → 250, "-0,75 %" → -75,
// "20 procent" → 2000. Numbers follow the rules of Parse (decimal comma,
// at most two decimals, a minus sign as '-', '−' or '–'); the "%" or
// "procent" is optional. Errors are *ParseError with a Swedish message.
func ParsePercent(s string) (int64, error) {
	fail := func(msg string) (int64, error) { return 0, &ParseError{Input: s, Msg: msg} }
	body := trimSpace(s)
	if body == "" {
		return fail("Ange en procentsats.")
	}
	body = trimSpace(stripSuffix(body, percentSuffixes))
	neg, body := stripSign(body)
	if body == "" {
		return fail("Ange procentsatsen med siffror, t.ex. 2 %.")
	}
	bp, msg := parseScaled(body, MaxPercentBP, "Procentsatsen", "hundradels procent")
	if msg != "" {
		return fail(msg)
	}
	if neg {
		return -int64(bp), nil
	}
	return int64(bp), nil
}

// FormatPercent formats basis points as a Swedish percentage, with as
// many decimals as needed (at most two) and a no-break space before the
// sign: 200 → "2 %", 250 → "2,5 %", 225 → "2,25 %", -75 → "-0,75 %".
// ParsePercent reads it back.
func FormatPercent(bp int64) string {
	var b strings.Builder
	mag := uint64(bp)
	if bp < 0 {
		b.WriteByte('-')
		mag = -mag
	}
	b.WriteString(group(strconv.FormatUint(mag/100, 10), nbsp))
	if frac := mag % 100; frac != 0 {
		b.WriteByte(',')
		d := strconv.FormatUint(frac, 10)
		if frac < 10 {
			d = "0" + d
		}
		b.WriteString(strings.TrimRight(d, "0"))
	}
	b.WriteString(nbsp + "%")
	return b.String()
}
