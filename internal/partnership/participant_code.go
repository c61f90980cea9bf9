package partnership

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The participant code is the pseudonym every participant is known by,
// e.g. "IKF-2024-017": PREFIX-YEAR-NUMBER. The prefix is the agreement's,
// derived once from its lead association's name (ParticipantCodePrefix) and
// kept even if the association is renamed; the year is the referral's; the
// number counts the agreement's referrals of that year from 001, and grows
// to four digits after 999. Two agreements never share a prefix: the
// second agreement whose lead association gives "IKF" gets "IKF2", the
// third "IKF3" (ParticipantPrefixCandidate), so codes are unique across the
// register and a code alone tells which agreement it belongs to.

// DefaultParticipantPrefix is the prefix of an agreement without an
// association party.
const DefaultParticipantPrefix = "IOP"

// maxPrefixLetters bounds a derived prefix, leaving room for the digit a
// taken prefix gets.
const maxPrefixLetters = 6

// ParticipantCodePrefix derives the code prefix from an association's name,
// deterministically: an abbreviation in parentheses at the end of the name
// ("Internationella Kvinnoföreningen Linköping (IKF)" → "IKF"); otherwise
// the initials of the capitalised words ("Röda Korset Linköping" → "RKL");
// and when that gives fewer than two letters, the first three letters of
// the name ("Stadsmissionen" → "STA"). Letters are upper-cased and folded
// to A–Z (Å, Ä → A; Ö → O), digits kept, at most six characters.
func ParticipantCodePrefix(name string) string {
	name = strings.TrimSpace(name)
	if i, j := strings.LastIndex(name, "("), strings.LastIndex(name, ")"); i >= 0 && j == len(name)-1 && j > i {
		if abbr := foldPrefix(name[i+1 : j]); len(abbr) >= 2 && len(abbr) <= maxPrefixLetters &&
			len(abbr) == len([]rune(strings.TrimSpace(name[i+1:j]))) {
			return abbr
		}
		name = strings.TrimSpace(name[:i])
	}
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var initials strings.Builder
	for _, w := range words {
		if r := []rune(w)[0]; unicode.IsUpper(r) {
			initials.WriteRune(r)
		}
	}
	prefix := foldPrefix(initials.String())
	if len(prefix) < 2 && len(words) > 0 {
		prefix = foldPrefix(words[0])
		if len(prefix) > 3 {
			prefix = prefix[:3]
		}
	}
	if len(prefix) > maxPrefixLetters {
		prefix = prefix[:maxPrefixLetters]
	}
	if prefix == "" {
		return DefaultParticipantPrefix
	}
	return prefix
}

// foldPrefix upper-cases s and keeps A–Z and 0–9, folding the Swedish and
// common accented letters to their base letter and dropping the rest.
func foldPrefix(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune("ÅÄÀÁÂ", r):
			b.WriteByte('A')
		case strings.ContainsRune("ÖÒÓÔØ", r):
			b.WriteByte('O')
		case strings.ContainsRune("ÉÈÊË", r):
			b.WriteByte('E')
		case strings.ContainsRune("ÜÚÙ", r):
			b.WriteByte('U')
		}
	}
	return b.String()
}

// ParticipantPrefixCandidate is the n-th prefix (from 0) to try for an
// agreement whose derived prefix is base: base, base2, base3, …
func ParticipantPrefixCandidate(base string, n int) string {
	if n == 0 {
		return base
	}
	return base + strconv.Itoa(n+1)
}

// CodePrefixSource is the association whose name gives an agreement's code
// prefix: the lead association, else the first association party; ok is
// false when there is none and DefaultParticipantPrefix applies.
func (a Agreement) CodePrefixSource() (name string, ok bool) {
	for _, p := range a.Parties {
		if p.Role == PartyLeadAssociation {
			return p.OrganisationName, true
		}
	}
	for _, p := range a.Parties {
		if p.Role == PartyPartnerAssociation || p.OrganisationKind == OrgAssociation {
			return p.OrganisationName, true
		}
	}
	return "", false
}

// ParticipantCode formats a code: "IKF-2024-017".
func ParticipantCode(prefix string, year, number int) string {
	return fmt.Sprintf("%s-%04d-%03d", prefix, year, number)
}

// PartyOrganisations lists the organisations that are parties to the
// agreement, for the access rules on its participants.
func (a Agreement) PartyOrganisations() []int64 {
	out := make([]int64, len(a.Parties))
	for i, p := range a.Parties {
		out[i] = p.OrganisationID
	}
	return out
}
