package money

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseError says why a text is not an amount (or a percentage). Its
// message is Swedish and written to be shown next to the form field.
type ParseError struct {
	Input string // the text as given
	Msg   string // the reason, in Swedish
}

// Error returns the Swedish message.
func (e *ParseError) Error() string { return e.Msg }

// amountSuffixes are the units an amount may end with, matched without
// regard to case: "450 000 kr", "450 000 KR", "450 000 kronor",
// "450 000:-", "450 000,-", "450 000 SEK".
var amountSuffixes = []string{"kronor", "kr.", "kr", "sek", ":-", ",-"}

// Parse reads an amount written the way Swedes write it. It accepts:
//
//   - digits grouped in threes by a space, a no-break space (U+00A0), a
//     narrow no-break space (U+202F) or a thin space (U+2009) — "1 251 000"
//     — or not grouped at all ("1251000"); groups must be of three digits
//     so that a mistyped "1 25 000" is caught;
//   - a decimal comma with one or two decimals (öre): "1 251 000,50";
//   - a decimal point only where it cannot be a thousands separator, that
//     is when it is the only point and one or two digits follow it
//     ("1251000.50"); "1.251" is ambiguous and rejected;
//   - a leading minus as '-', U+2212 '−' or U+2013 '–' (word processors
//     turn minus signs into dashes): "-450 000", "−450 000";
//   - an optional unit: "kr", "kr.", "kronor", "SEK", ":-" or ",-", in
//     any case.
//
// Amounts beyond ±MaxAmount are rejected. Errors are *ParseError with a
// Swedish message.
func Parse(s string) (Amount, error) {
	fail := func(msg string) (Amount, error) { return 0, &ParseError{Input: s, Msg: msg} }
	body := trimSpace(s)
	if body == "" {
		return fail("Ange ett belopp.")
	}
	body = trimSpace(stripSuffix(body, amountSuffixes))
	neg, body := stripSign(body)
	if body == "" {
		return fail("Ange beloppet med siffror, t.ex. 1 251 000 kr.")
	}
	ore, msg := parseScaled(body, uint64(MaxAmount), "Beloppet", "öre")
	if msg != "" {
		return fail(msg)
	}
	if neg {
		return -Amount(ore), nil
	}
	return Amount(ore), nil
}

// trimSpace trims every Unicode space, including U+00A0 and U+202F.
func trimSpace(s string) string { return strings.TrimFunc(s, unicode.IsSpace) }

// stripSuffix removes the first of the suffixes that s ends with, ignoring
// case. The suffixes are ASCII, so comparing the last bytes is safe.
func stripSuffix(s string, suffixes []string) string {
	for _, suf := range suffixes {
		if len(s) >= len(suf) && strings.EqualFold(s[len(s)-len(suf):], suf) {
			return s[:len(s)-len(suf)]
		}
	}
	return s
}

// stripSign removes a leading minus sign ('-', '−' or '–') and the spaces
// after it.
func stripSign(s string) (neg bool, rest string) {
	r, size := utf8.DecodeRuneInString(s)
	switch r {
	case '-', '\u2212', '\u2013':
		return true, trimSpace(s[size:])
	}
	return false, s
}

// parseScaled reads an unsigned decimal with at most two decimals and
// returns it × 100, or a Swedish message naming the subject ("Beloppet")
// and what the decimals are ("öre"). Values above limit are rejected.
func parseScaled(s string, limit uint64, subject, decimals string) (uint64, string) {
	intPart, fracPart, msg := splitDecimal(s, subject)
	if msg != "" {
		return 0, msg
	}
	digits, msg := ungroup(intPart, subject)
	if msg != "" {
		return 0, msg
	}
	if fracPart != nil {
		switch {
		case *fracPart == "":
			return 0, "Skriv siffror efter decimalkommat, eller ta bort det."
		case !allDigits(*fracPart):
			return 0, subject + " får bara innehålla siffror, mellanslag och decimalkomma, t.ex. 1 251 000,50."
		case len(*fracPart) > 2:
			return 0, "Ange högst två decimaler (" + decimals + ")."
		}
	}
	var v uint64
	for _, c := range digits {
		v = v*10 + uint64(c-'0')
		if v > limit {
			return 0, subject + " är för stort."
		}
	}
	v *= 100
	if fracPart != nil {
		f := *fracPart
		cents := uint64(f[0]-'0') * 10
		if len(f) == 2 {
			cents += uint64(f[1] - '0')
		}
		v += cents
	}
	if v > limit {
		return 0, subject + " är för stort."
	}
	return v, ""
}

// splitDecimal splits at the decimal separator: a comma, or a point that
// cannot be a thousands separator. frac is nil when there is none.
func splitDecimal(s, subject string) (whole string, frac *string, msg string) {
	const mixed = "Använd komma som decimaltecken och mellanslag mellan tusental, t.ex. 1 251 000,50."
	commas, points := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas > 1:
		return "", nil, subject + " kan bara ha ett decimalkomma."
	case commas == 1 && points > 0:
		return "", nil, mixed
	case commas == 1:
		i := strings.IndexByte(s, ',')
		f := s[i+1:]
		return s[:i], &f, ""
	case points == 1:
		i := strings.IndexByte(s, '.')
		f := s[i+1:]
		if len(f) == 0 || len(f) > 2 || !allDigits(f) {
			return "", nil, mixed
		}
		return s[:i], &f, ""
	case points > 1:
		return "", nil, mixed
	}
	return s, nil, ""
}

// ungroup checks the digit grouping of the whole part and returns its
// digits without separators.
func ungroup(s, subject string) (string, string) {
	if s == "" {
		return "", "Skriv minst en siffra före decimalkommat."
	}
	var groups []string
	var cur strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			cur.WriteRune(r)
		case unicode.IsSpace(r):
			if cur.Len() == 0 {
				return "", "Dela upp siffrorna med ett mellanslag mellan grupper om tre, t.ex. 1 251 000."
			}
			groups = append(groups, cur.String())
			cur.Reset()
		default:
			return "", subject + " får bara innehålla siffror, mellanslag och decimalkomma, t.ex. 1 251 000,50."
		}
	}
	if cur.Len() == 0 {
		return "", "Dela upp siffrorna med ett mellanslag mellan grupper om tre, t.ex. 1 251 000."
	}
	groups = append(groups, cur.String())
	if len(groups) > 1 {
		for i, g := range groups {
			if (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
				return "", "Dela upp siffrorna i grupper om tre, t.ex. 1 251 000."
			}
		}
	}
	return strings.Join(groups, ""), ""
}

// allDigits reports whether s is non-empty ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
