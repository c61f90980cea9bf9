package money_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"iop/internal/money"
)

func TestString(t *testing.T) {
	tests := []struct {
		in   money.Amount
		want string
	}{
		{0, "0 kr"},
		{money.Kronor(1_251_000), "1 251 000 kr"},
		{money.Kronor(1_251_000) + 50, "1 251 000,50 kr"},
		{money.Kronor(1_251_000) + 5, "1 251 000,05 kr"},
		{money.Kronor(-450_000), "-450 000 kr"},
		{-5, "-0,05 kr"},
		{money.Kronor(999), "999 kr"},
		{money.Kronor(1000), "1 000 kr"},
		{money.Kronor(100_000), "100 000 kr"},
		{math.MinInt64, "-92 233 720 368 547 758,08 kr"},
		{math.MaxInt64, "92 233 720 368 547 758,07 kr"},
	}
	for _, tt := range tests {
		got := tt.in.String()
		if want := strings.ReplaceAll(tt.want, " ", "\u00a0"); got != want {
			t.Errorf("%d öre String = %q, want %q", tt.in, got, want)
		}
	}
}

func TestPlain(t *testing.T) {
	tests := []struct {
		in   money.Amount
		want string
	}{
		{0, "0"},
		{money.Kronor(1_251_000), "1251000"},
		{money.Kronor(1_251_000) + 50, "1251000,50"},
		{money.Kronor(-450_000), "-450000"},
		{-7, "-0,07"},
	}
	for _, tt := range tests {
		if got := tt.in.Plain(); got != tt.want {
			t.Errorf("%d öre Plain = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want money.Amount
	}{
		{"1 251 000 kr", money.Kronor(1_251_000)},
		{"1251000", money.Kronor(1_251_000)},
		{"1 251 000,50", money.Kronor(1_251_000) + 50},
		{"1 251 000,5", money.Kronor(1_251_000) + 50},
		{"1251000.50", money.Kronor(1_251_000) + 50},
		{"1251000.5", money.Kronor(1_251_000) + 50},
		{"-450 000 kr", money.Kronor(-450_000)},
		{"−450 000", money.Kronor(-450_000)},
		{"– 450 000 kr", money.Kronor(-450_000)},
		{"1\u00a0251\u00a0000\u00a0kr", money.Kronor(1_251_000)},
		{"1\u202f251\u202f000", money.Kronor(1_251_000)},
		{"1\u2009251\u2009000", money.Kronor(1_251_000)},
		{"  1 251 000 KR  ", money.Kronor(1_251_000)},
		{"450 000 kronor", money.Kronor(450_000)},
		{"450 000:-", money.Kronor(450_000)},
		{"450 000,-", money.Kronor(450_000)},
		{"450 000 SEK", money.Kronor(450_000)},
		{"450 000 kr.", money.Kronor(450_000)},
		{"0", 0},
		{"-0", 0},
		{"0,05", 5},
		{"007", money.Kronor(7)},
		{"1000000000000", money.MaxAmount},
		{"-1 000 000 000 000 kr", -money.MaxAmount},
	}
	for _, tt := range tests {
		got, err := money.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %d öre, want %d", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, msg string
	}{
		{"", "Ange ett belopp."},
		{"   ", "Ange ett belopp."},
		{"kr", "Ange beloppet med siffror, t.ex. 1 251 000 kr."},
		{"-", "Ange beloppet med siffror, t.ex. 1 251 000 kr."},
		{"abc", "Beloppet får bara innehålla siffror, mellanslag och decimalkomma, t.ex. 1 251 000,50."},
		{"12a", "Beloppet får bara innehålla siffror, mellanslag och decimalkomma, t.ex. 1 251 000,50."},
		{"--5", "Beloppet får bara innehålla siffror, mellanslag och decimalkomma, t.ex. 1 251 000,50."},
		{"1,505", "Ange högst två decimaler (öre)."},
		{"1,", "Skriv siffror efter decimalkommat, eller ta bort det."},
		{",50", "Skriv minst en siffra före decimalkommat."},
		{"1,2,3", "Beloppet kan bara ha ett decimalkomma."},
		{"1.251", "Använd komma som decimaltecken och mellanslag mellan tusental, t.ex. 1 251 000,50."},
		{"1.251.000", "Använd komma som decimaltecken och mellanslag mellan tusental, t.ex. 1 251 000,50."},
		{"1.251,50", "Använd komma som decimaltecken och mellanslag mellan tusental, t.ex. 1 251 000,50."},
		{"1 25 000", "Dela upp siffrorna i grupper om tre, t.ex. 1 251 000."},
		{"1251 000", "Dela upp siffrorna i grupper om tre, t.ex. 1 251 000."},
		{"1  251", "Dela upp siffrorna med ett mellanslag mellan grupper om tre, t.ex. 1 251 000."},
		{"1 251 ,50", "Dela upp siffrorna med ett mellanslag mellan grupper om tre, t.ex. 1 251 000."},
		{"1000000000000,01", "Beloppet är för stort."},
		{"99999999999999999999999", "Beloppet är för stort."},
		{"١٢٣", "Beloppet får bara innehålla siffror, mellanslag och decimalkomma, t.ex. 1 251 000,50."},
	}
	for _, tt := range tests {
		_, err := money.Parse(tt.in)
		var pe *money.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Msg != tt.msg || pe.Input != tt.in {
			t.Errorf("Parse(%q) = %q (input %q), want %q", tt.in, pe.Msg, pe.Input, tt.msg)
		}
	}
}

func TestPercent(t *testing.T) {
	parses := []struct {
		in   string
		want int64
	}{
		{"2 %", 200}, {"2", 200}, {"2,5", 250}, {"2,25 %", 225}, {"2.5%", 250},
		{"-0,75 %", -75}, {"−1 %", -100}, {"20 procent", 2000}, {"100 %", 10000}, {"0", 0},
	}
	for _, tt := range parses {
		got, err := money.ParsePercent(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePercent(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "%", "2,255", "abc", "10 001 %"} {
		if _, err := money.ParsePercent(bad); err == nil {
			t.Errorf("ParsePercent(%q) accepted", bad)
		}
	}
	formats := []struct {
		bp   int64
		want string
	}{
		{200, "2 %"}, {250, "2,5 %"}, {225, "2,25 %"}, {205, "2,05 %"}, {-75, "-0,75 %"}, {0, "0 %"}, {1_000_000, "10 000 %"},
	}
	for _, tt := range formats {
		if got, want := money.FormatPercent(tt.bp), strings.ReplaceAll(tt.want, " ", "\u00a0"); got != want {
			t.Errorf("FormatPercent(%d) = %q, want %q", tt.bp, got, want)
		}
	}
}

func TestPropertyFormatRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := money.Amount(rapid.Int64Range(-int64(money.MaxAmount), int64(money.MaxAmount)).Draw(t, "öre"))
		for _, s := range []string{a.String(), a.Plain()} {
			got, err := money.Parse(s)
			if err != nil || got != a {
				t.Fatalf("Parse(%q) = %d, %v; want %d", s, got, err, a)
			}
		}
		bp := rapid.Int64Range(-money.MaxPercentBP, money.MaxPercentBP).Draw(t, "bp")
		if got, err := money.ParsePercent(money.FormatPercent(bp)); err != nil || got != bp {
			t.Fatalf("ParsePercent(FormatPercent(%d)) = %d, %v", bp, got, err)
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"1 251 000 kr", "1251000", "1 251 000,50", "1251000.50", "-450 000 kr", "−450 000",
		"1\u00a0251\u00a0000\u00a0kr", "1\u202f251", "450 000:-", "1.251", "1,505", "", "kr", "-0,05",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := money.Parse(s)
		if err != nil {
			var pe *money.ParseError
			if !errors.As(err, &pe) || pe.Msg == "" {
				t.Fatalf("Parse(%q) error %v is not a *ParseError with a message", s, err)
			}
			return
		}
		if a > money.MaxAmount || a < -money.MaxAmount {
			t.Fatalf("Parse(%q) = %d is beyond MaxAmount", s, a)
		}
		for _, out := range []string{a.String(), a.Plain()} {
			back, err := money.Parse(out)
			if err != nil || back != a {
				t.Fatalf("Parse(%q) = %d, but Parse(%q) = %d, %v", s, a, out, back, err)
			}
		}
	})
}

func FuzzPercent(f *testing.F) {
	for _, seed := range []string{"2 %", "2,5", "-0,75 %", "20 procent", "1.5", "%", "2,255"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bp, err := money.ParsePercent(s)
		if err != nil {
			return
		}
		if bp > money.MaxPercentBP || bp < -money.MaxPercentBP {
			t.Fatalf("ParsePercent(%q) = %d is beyond MaxPercentBP", s, bp)
		}
		if back, err := money.ParsePercent(money.FormatPercent(bp)); err != nil || back != bp {
			t.Fatalf("ParsePercent(%q) = %d, but ParsePercent(FormatPercent) = %d, %v", s, bp, back, err)
		}
	})
}
