package partnership

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode"
)

// luhnCheck computes the check digit of nine digits independently of the
// code under test, so the table below does not rest on remembered numbers.
func luhnCheck(nine string) byte {
	sum := 0
	for i, c := range nine {
		d := int(c - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// withCheck completes a number whose last digit is a placeholder with the
// right check digit, keeping any century and separator.
func withCheck(s string) string {
	digits := make([]byte, 0, 12)
	for _, c := range []byte(s) {
		if c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	ten := string(digits[len(digits)-10:])
	return s[:len(s)-1] + string(luhnCheck(ten[:9]))
}

// badCheck is withCheck with the wrong check digit.
func badCheck(s string) string {
	good := withCheck(s)
	last := good[len(good)-1]
	return good[:len(good)-1] + string('0'+(last-'0'+1)%10)
}

var pnrToday = time.Date(2026, time.March, 15, 10, 0, 0, 0, time.UTC)

func TestLuhnCheckHelper(t *testing.T) {
	// The helper against numbers whose check digit is worked by hand:
	// 121212121 -> 2+2+2+2+2+2+2+2+2 = 18 -> check 2 (19121212-1212, Skatteverket's example).
	if got := luhnCheck("121212121"); got != '2' {
		t.Fatalf("luhnCheck(121212121) = %c, want 2", got)
	}
	// 811218987 -> 16→7,1,2,2,2,8,18→9,8,14→5 = 44 -> check 6 (811218-9876, a common example).
	if got := luhnCheck("811218987"); got != '6' {
		t.Fatalf("luhnCheck(811218987) = %c, want 6", got)
	}
}

func TestParsePersonnummer(t *testing.T) {
	tests := []struct {
		in         string
		want       string // Normalized
		year       int
		coordinate bool
	}{
		{"19121212-1212", "191212121212", 1912, false}, // Skatteverket's example number
		{"191212121212", "191212121212", 1912, false},
		{"121212+1212", "191212121212", 1912, false},                // 113 years old: needs the plus
		{" 19121212-1212 ", "191212121212", 1912, false},            // surrounding space
		{"\t19121212\u20131212\u00a0", "191212121212", 1912, false}, // en dash, NBSP
		{"19121212\u20111212", "191212121212", 1912, false},         // non-breaking hyphen
		{"19811218-9876", "198112189876", 1981, false},
		{"811218-9876", "198112189876", 1981, false},
		{"8112189876", "198112189876", 1981, false},
		{"811218+9876", "188112189876", 1881, false},
		{withCheck("19900101-0010"), withCheck("199001010010"), 1990, false},
		{withCheck("199001012380"), withCheck("199001012380"), 1990, false},  // check digit from luhnCheck, not from memory
		{withCheck("20000229-1230"), withCheck("200002291230"), 2000, false}, // leap day, 2000 is a leap year
		{withCheck("000229-1230"), withCheck("200002291230"), 2000, false},
		{withCheck("19121272-1230"), withCheck("191212721230"), 1912, true}, // samordningsnummer: day 12 + 60
		{withCheck("121272+1230"), withCheck("191212721230"), 1912, true},
		{withCheck("19900161-2390"), withCheck("199001612390"), 1990, true}, // day 61 = 1st
		{withCheck("19900191-2390"), withCheck("199001912390"), 1990, true}, // day 91 = 31st
		{withCheck("20240229-0000"), withCheck("202402290000"), 2024, false},
		{withCheck("20260315-1230"), withCheck("202603151230"), 2026, false}, // born today
		{withCheck("260315-1230"), withCheck("202603151230"), 2026, false},   // born today, 10 digits
		{withCheck("260316-1230"), withCheck("192603161230"), 1926, false},   // tomorrow's date: 99 years old
		{withCheck("260315+1230"), withCheck("192603151230"), 1926, false},   // 100 years old today
		{withCheck("270101-1230"), withCheck("192701011230"), 1927, false},
		{withCheck("250101-1230"), withCheck("202501011230"), 2025, false},
		{withCheck("18991231-1230"), withCheck("189912311230"), 1899, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePersonnummer(tt.in, pnrToday)
			if err != nil {
				t.Fatalf("ParsePersonnummer(%q): %v", tt.in, err)
			}
			if p.Normalized() != tt.want {
				t.Errorf("Normalized = %q, want %q", p.Normalized(), tt.want)
			}
			if want := tt.want[:8] + "-" + tt.want[8:]; p.String() != want {
				t.Errorf("String = %q, want %q", p.String(), want)
			}
			if p.BirthYear() != tt.year {
				t.Errorf("BirthYear = %d, want %d", p.BirthYear(), tt.year)
			}
			if p.Coordination() != tt.coordinate {
				t.Errorf("Coordination = %v, want %v", p.Coordination(), tt.coordinate)
			}
			if p.IsZero() {
				t.Error("IsZero on a parsed number")
			}
		})
	}
}

func TestParsePersonnummerSamePersonManyForms(t *testing.T) {
	base := withCheck("19850704-2380")
	want := strings.ReplaceAll(base, "-", "")
	forms := []string{base, want, want[2:], want[2:8] + "-" + want[8:], "  " + base + "  "}
	for _, f := range forms {
		p, err := ParsePersonnummer(f, pnrToday)
		if err != nil {
			t.Fatalf("%q: %v", f, err)
		}
		if p.Normalized() != want {
			t.Errorf("%q: Normalized = %q, want %q", f, p.Normalized(), want)
		}
	}
}

func TestParsePersonnummerRejects(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{badCheck("19121212-1210"), ErrPersonnummerChecksum},
		{"19121212-1213", ErrPersonnummerChecksum},
		{"121212-1213", ErrPersonnummerChecksum},
		{badCheck("811218-9870"), ErrPersonnummerChecksum},
		{withCheck("19900230-1230"), ErrPersonnummerDate}, // 30 February
		{withCheck("19000229-1230"), ErrPersonnummerDate}, // 1900 is not a leap year
		{withCheck("000229+1230"), ErrPersonnummerDate},   // the plus makes it 1900
		{withCheck("20230229-1230"), ErrPersonnummerDate},
		{withCheck("19901301-1230"), ErrPersonnummerDate}, // month 13
		{withCheck("19900001-1230"), ErrPersonnummerDate}, // month 0
		{withCheck("19900100-1230"), ErrPersonnummerDate}, // day 0
		{withCheck("19900132-1230"), ErrPersonnummerDate}, // day 32
		{withCheck("19900160-1230"), ErrPersonnummerDate}, // day 60: neither kind
		{withCheck("19900192-1230"), ErrPersonnummerDate}, // coordination day 92 = 32nd
		{withCheck("19900431-1230"), ErrPersonnummerDate}, // 31 April
		{withCheck("19900491-1230"), ErrPersonnummerDate}, // coordination 31 April
		{withCheck("00000101-1230"), ErrPersonnummerDate}, // year 0
		{withCheck("20260316-1230"), ErrPersonnummerFuture},
		{withCheck("20990101-1230"), ErrPersonnummerFuture},
		{withCheck("19121212+1210"), ErrPersonnummerSeparator}, // plus only with 10 digits
		{"1912121-21212", ErrPersonnummerSeparator},
		{"191212-121212", ErrPersonnummerSeparator},
		{"19121212--1212", ErrPersonnummerSeparator},
		{"1912-1212-1212", ErrPersonnummerSeparator},
		{"-191212121212", ErrPersonnummerSeparator},
		{"191212121212-", ErrPersonnummerSeparator},
		{"19121212 1212", ErrPersonnummerChars},
		{"19121212/1212", ErrPersonnummerChars},
		{"1912121Z-1212", ErrPersonnummerChars},
		{"１９１２１２１２-１２１２", ErrPersonnummerChars}, // full-width digits
		{"19121212-121", ErrPersonnummerLength},
		{"19121212-12120", ErrPersonnummerLength},
		{"12121-1212", ErrPersonnummerLength},
		{"1912121212121", ErrPersonnummerLength},
		{"-", ErrPersonnummerLength},
		{"+", ErrPersonnummerLength},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePersonnummer(tt.in, pnrToday)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParsePersonnummer(%q) = %q, %v; want %v", tt.in, p.Normalized(), err, tt.want)
			}
			if !p.IsZero() {
				t.Errorf("a value came back with the error: %q", p.Normalized())
			}
		})
	}
}

func TestParsePersonnummerEmpty(t *testing.T) {
	for _, in := range []string{"", "   ", "\t\n", "\u00a0"} {
		p, err := ParsePersonnummer(in, pnrToday)
		if err != nil || !p.IsZero() {
			t.Errorf("ParsePersonnummer(%q) = %q, %v; want zero, nil", in, p.Normalized(), err)
		}
	}
	var z Personnummer
	if z.String() != "" || z.Normalized() != "" || z.BirthYear() != 0 || z.Coordination() {
		t.Error("zero Personnummer is not empty")
	}
}

func TestPersonnummerErrorMessages(t *testing.T) {
	msgs := map[error]string{
		ErrPersonnummerChars:     "Otillåtna tecken",
		ErrPersonnummerLength:    "ÅÅÅÅMMDD-NNNN",
		ErrPersonnummerSeparator: "ÅÅÅÅMMDD-NNNN",
		ErrPersonnummerDate:      "Datumet i personnumret finns inte.",
		ErrPersonnummerFuture:    "efter dagens datum",
		ErrPersonnummerChecksum:  "Kontrollsiffran stämmer inte",
	}
	for err, want := range msgs {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not contain %q", err, want)
		}
		if !strings.HasSuffix(err.Error(), ".") {
			t.Errorf("%q is not a sentence", err)
		}
	}
	// Usable in a ValidationError as it is, and it never echoes the input.
	in := badCheck("19121212-1210")
	_, err := ParsePersonnummer(in, pnrToday)
	v := ValidationError{}
	v.Add("personnummer", err.Error())
	if strings.Contains(v.Error(), in) || strings.Contains(v.Error(), "1212") {
		t.Errorf("message echoes the number: %q", v.Error())
	}
}

func TestPersonnummerStaysOutOfLogs(t *testing.T) {
	p, err := ParsePersonnummer("19121212-1212", pnrToday)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("saved", "pnr", p)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("saved", "pnr", p)
	if strings.Contains(b.String(), "1212") {
		t.Errorf("log line carries the number: %s", b.String())
	}
}

func FuzzParsePersonnummer(f *testing.F) {
	for _, s := range []string{
		"19121212-1212", "121212+1212", "8112189876", "19900230-1230", "000229-1234",
		"19121272-1230", "", " ", "+", "--", "20260316-1230", "191212121212", "121212-1213",
		"１９１２", "\u2013", "99999999-9999",
	} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, s string, dayOffset int64) {
		today := pnrToday.AddDate(0, 0, int(dayOffset%(365*300)))
		p, err := ParsePersonnummer(s, today)
		if err != nil {
			if !p.IsZero() {
				t.Fatalf("value %q returned with error %v", p.Normalized(), err)
			}
			return
		}
		if p.IsZero() {
			if strings.TrimFunc(s, unicode.IsSpace) != "" {
				t.Fatalf("non-blank %q parsed to the zero value", s)
			}
			return
		}
		n := p.Normalized()
		if len(n) != 12 {
			t.Fatalf("Normalized %q is not 12 digits", n)
		}
		for _, c := range n {
			if c < '0' || c > '9' {
				t.Fatalf("Normalized %q is not 12 digits", n)
			}
		}
		q, err := ParsePersonnummer(p.String(), today)
		if err != nil {
			t.Fatalf("String() %q of accepted %q does not re-parse: %v", p.String(), s, err)
		}
		if q.Normalized() != n {
			t.Fatalf("re-parse of %q gives %q, want %q", p.String(), q.Normalized(), n)
		}
		if p.BirthYear() > today.Year() || fmt.Sprint(p.BirthYear()) != strings.TrimLeft(n[:4], "0") {
			t.Fatalf("BirthYear %d of %q", p.BirthYear(), n)
		}
	})
}
