package partnership

import (
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode"
)

// Personnummer is a Swedish personal identity number or coordination number
// (samordningsnummer, whose day of birth is given plus 60), stored as twelve
// digits with the century and without a separator. The zero value means "no
// number".
//
// It is identifying data: keep it out of URLs, log lines and audit details.
// Its LogValue redacts it, so a Personnummer handed to slog prints no digits.
type Personnummer struct {
	n string // 12 digits: YYYYMMDDNNNC
}

// Errors returned by ParsePersonnummer. Each names the rule that failed, in
// Swedish for the user, and none contains the number entered, so they can go
// into a ValidationError as they are: v.Add("personnummer", err.Error()).
var (
	ErrPersonnummerChars     = errors.New("Otillåtna tecken: skriv personnumret med siffror och ett bindestreck, som ÅÅÅÅMMDD-NNNN.")
	ErrPersonnummerLength    = errors.New("Fel längd: personnumret ska ha 12 siffror (eller 10 utan århundrade). Ange personnumret som ÅÅÅÅMMDD-NNNN.")
	ErrPersonnummerSeparator = errors.New("Bindestrecket står på fel plats. Ange personnumret som ÅÅÅÅMMDD-NNNN.")
	ErrPersonnummerDate      = errors.New("Datumet i personnumret finns inte. Kontrollera år, månad och dag (i ett samordningsnummer är dagen ökad med 60).")
	ErrPersonnummerFuture    = errors.New("Datumet i personnumret ligger efter dagens datum.")
	ErrPersonnummerChecksum  = errors.New("Kontrollsiffran stämmer inte: den sista siffran stämmer inte med de nio före. Kontrollera att personnumret är rätt skrivet.")
)

// coordinationOffset is what a samordningsnummer adds to the day of birth.
const coordinationOffset = 60

// ParsePersonnummer accepts a personnummer or samordningsnummer as
// "YYYYMMDD-NNNC", "YYYYMMDDNNNC", "YYMMDD-NNNC", "YYMMDDNNNC" or
// "YYMMDD+NNNC", with surrounding space ignored. An en dash or a non-breaking
// hyphen counts as a hyphen, as numbers copied from documents carry them.
//
// In the ten-digit form the century is the one that makes the person at most
// 99 years old at today, or, with "+", at least 100 (the plus sign is only
// used with ten digits). It checks that the date of birth exists (day 61–91
// for a samordningsnummer) and is not after today, and the Luhn check digit
// over the ten digits without the century. An empty input gives the zero
// Personnummer and no error.
func ParsePersonnummer(s string, today time.Time) (Personnummer, error) {
	s = strings.TrimFunc(s, unicode.IsSpace)
	if s == "" {
		return Personnummer{}, nil
	}
	digits := make([]byte, 0, 12)
	sep, sepAt := rune(0), -1
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, byte(c))
		case c == '-' || c == '\u2013' || c == '\u2011' || c == '+':
			if sep != 0 {
				return Personnummer{}, ErrPersonnummerSeparator
			}
			if c != '+' {
				c = '-'
			}
			sep, sepAt = c, len(digits)
		default:
			return Personnummer{}, ErrPersonnummerChars
		}
	}
	if len(digits) != 10 && len(digits) != 12 {
		return Personnummer{}, ErrPersonnummerLength
	}
	if sep != 0 && (sepAt != len(digits)-4 || (sep == '+' && len(digits) == 12)) {
		return Personnummer{}, ErrPersonnummerSeparator
	}

	ty, tm, td := today.Date()
	month, day := num(digits[len(digits)-8:len(digits)-6]), num(digits[len(digits)-6:len(digits)-4])
	birthDay := day
	if birthDay > coordinationOffset {
		birthDay -= coordinationOffset
	}
	var year int
	if len(digits) == 12 {
		year = num(digits[:4])
	} else {
		yy := num(digits[:2])
		// The latest year ending in yy that is not after this year, moved back
		// a century when that would put the birthday after today.
		year = ty - ((ty-yy)%100+100)%100
		if month > int(tm) || (month == int(tm) && birthDay > td) {
			if year == ty {
				year -= 100
			}
		}
		if sep == '+' {
			year -= 100
		}
	}
	if !validDate(year, month, birthDay) {
		return Personnummer{}, ErrPersonnummerDate
	}
	if time.Date(year, time.Month(month), birthDay, 0, 0, 0, 0, time.UTC).After(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)) {
		return Personnummer{}, ErrPersonnummerFuture
	}
	ten := digits[len(digits)-10:]
	if !luhnValid(ten) {
		return Personnummer{}, ErrPersonnummerChecksum
	}
	n := make([]byte, 0, 12)
	n = append(n, byte('0'+year/1000%10), byte('0'+year/100%10))
	n = append(n, ten...)
	return Personnummer{n: string(n)}, nil
}

// num reads a run of ASCII digits as a decimal number.
func num(ds []byte) int {
	v := 0
	for _, c := range ds {
		v = v*10 + int(c-'0')
	}
	return v
}

// validDate reports whether year-month-day is a date of the proleptic
// Gregorian calendar.
func validDate(year, month, day int) bool {
	if year < 1 || month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// IsZero reports whether p is the zero Personnummer (no number).
func (p Personnummer) IsZero() bool { return p.n == "" }

// Normalized is the number as twelve digits without a separator,
// YYYYMMDDNNNC: the same however it was entered, and what the blind index
// hashes. It is "" for the zero Personnummer.
func (p Personnummer) Normalized() string { return p.n }

// String formats the number as YYYYMMDD-NNNN, or "" for the zero Personnummer.
func (p Personnummer) String() string {
	if p.n == "" {
		return ""
	}
	return p.n[:8] + "-" + p.n[8:]
}

// BirthYear is the year of birth, or 0 for the zero Personnummer.
func (p Personnummer) BirthYear() int {
	if p.n == "" {
		return 0
	}
	return num([]byte(p.n[:4]))
}

// Coordination reports whether the number is a samordningsnummer (day of
// birth plus 60).
func (p Personnummer) Coordination() bool {
	return p.n != "" && num([]byte(p.n[6:8])) > coordinationOffset
}

// LogValue keeps the number out of structured logs.
func (p Personnummer) LogValue() slog.Value {
	if p.n == "" {
		return slog.StringValue("")
	}
	return slog.StringValue("[personnummer]")
}
