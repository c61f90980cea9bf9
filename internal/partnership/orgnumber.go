package partnership

import (
	"errors"
	"strings"
)

// OrgNumber is a Swedish organisation number stored as ten digits without a
// separator. The zero value means "no number".
type OrgNumber string

// Errors returned by ParseOrgNumber; each names the rule that failed.
var (
	ErrOrgNumberChars    = errors.New("organisationsnumret får bara innehålla siffror och ett bindestreck")
	ErrOrgNumberLength   = errors.New("organisationsnumret ska ha 10 siffror")
	ErrOrgNumberChecksum = errors.New("organisationsnumrets kontrollsiffra stämmer inte")
)

// ParseOrgNumber accepts "NNNNNNNNNN", "NNNNNN-NNNN" and the same with spaces
// around the parts, and validates the Luhn check digit (the tenth digit). An
// empty input gives the empty OrgNumber and no error. The en dash, the
// non-breaking hyphen and the non-breaking space count as a hyphen and a
// space, because numbers copied from word-processor documents carry them.
func ParseOrgNumber(s string) (OrgNumber, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	digits := make([]byte, 0, 10)
	hyphens := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, byte(c))
		case c == '-' || c == '+' || c == '\u2013' || c == '\u2011':
			hyphens++
		case c == ' ' || c == '\u00a0':
		default:
			return "", ErrOrgNumberChars
		}
	}
	if hyphens > 1 {
		return "", ErrOrgNumberChars
	}
	if len(digits) != 10 {
		return "", ErrOrgNumberLength
	}
	if !luhnValid(digits) {
		return "", ErrOrgNumberChecksum
	}
	return OrgNumber(digits), nil
}

// luhnValid applies the Luhn algorithm to the digits, the last being the check digit.
func luhnValid(digits []byte) bool {
	sum := 0
	for i, c := range digits {
		d := int(c - '0')
		if (len(digits)-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// String formats the number as NNNNNN-NNNN, or "" for no number.
func (n OrgNumber) String() string {
	if len(n) != 10 {
		return string(n)
	}
	return string(n[:6]) + "-" + string(n[6:])
}
