package partnership

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseTarget: a target either fails with the field's Swedish message
// or is a valid range whose String reads back as the same range.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"250", "40–60", "40-60", "40 - 60", "1 200", "", " ", "-", "60-40", "1-2-3", "9999999", "12345678", "４０", "40—60", "\u00a040"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lo, hi, err := ParseTarget(s)
		if err != nil {
			var verr ValidationError
			if !errors.As(err, &verr) || verr["target"] == "" {
				t.Fatalf("ParseTarget(%q) error %v is not a target field error", s, err)
			}
			return
		}
		if lo < 0 || hi < lo {
			t.Fatalf("ParseTarget(%q) = %d, %d", s, lo, hi)
		}
		again := Target{Min: lo, Max: hi}.String()
		lo2, hi2, err := ParseTarget(again)
		if err != nil || lo2 != lo || hi2 != hi {
			t.Fatalf("ParseTarget(%q) = %d–%d, whose String %q reads back as %d–%d, %v", s, lo, hi, again, lo2, hi2, err)
		}
	})
}

// FuzzParseHours: accepted hours are non-negative minutes that
// FormatHours writes so that they read back unchanged.
func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"1,5", "2", "0.25", ",5", "1 200", "0,01", "", ",", "1,", "1,234", "-1", "1.5.5", "1000000", "1000001", "\u00a02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := ParseHours(s)
		if !ok {
			return
		}
		if m < 0 {
			t.Fatalf("ParseHours(%q) = %d minutes", s, m)
		}
		text := FormatHours(int64(m))
		if again, ok := ParseHours(text); !ok || again != m {
			t.Fatalf("ParseHours(%q) = %d, formatted %q reads back as %d, %v", s, m, text, again, ok)
		}
	})
}

// FuzzParseActivityCursor: a cursor either is ErrBadCursor or has a
// positive id and round-trips through String.
func FuzzParseActivityCursor(f *testing.F) {
	for _, s := range []string{"2024-03-05_1234", "2024-02-30_1", "2024-03-05_0", "2024-03-05_-1", "_", "", "2024-03-05", "2024-03-05_1_2", "2024-03-05_+7", "2024-03-05_9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseActivityCursor(s)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("ParseActivityCursor(%q) error %v is not ErrBadCursor", s, err)
			}
			return
		}
		if c.ID <= 0 {
			t.Fatalf("ParseActivityCursor(%q) id %d", s, c.ID)
		}
		again, err := ParseActivityCursor(c.String())
		if err != nil || again != c {
			t.Fatalf("cursor %q → %+v → %q → %+v, %v", s, c, c.String(), again, err)
		}
	})
}

// FuzzParseFollowUpMonths: a schedule is 1–12 distinct ascending months
// in range that formats and reads back to itself, or the months field
// error.
func FuzzParseFollowUpMonths(f *testing.F) {
	for _, s := range []string{"6, 12", "2 4 6 12", "12;6", "", "0", "61", "6,6", "1,2,3,4,5,6,7,8,9,10,11,12,13", "+6", "6\t12", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms, err := ParseFollowUpMonths(s)
		if err != nil {
			var verr ValidationError
			if !errors.As(err, &verr) || verr["months"] != MsgFollowUpMonths {
				t.Fatalf("ParseFollowUpMonths(%q) error %v", s, err)
			}
			return
		}
		if err := ValidateFollowUpMonths(ms); err != nil {
			t.Fatalf("ParseFollowUpMonths(%q) = %v, invalid: %v", s, ms, err)
		}
		for i := 1; i < len(ms); i++ {
			if ms[i-1] >= ms[i] {
				t.Fatalf("ParseFollowUpMonths(%q) = %v, not ascending", s, ms)
			}
		}
		text := FormatFollowUpMonths(ms)
		again, err := ParseFollowUpMonths(text)
		if err != nil || FormatFollowUpMonths(again) != text {
			t.Fatalf("%v formatted %q reads back as %v, %v", ms, text, again, err)
		}
	})
}

// FuzzParseIdentity: errors name only the identity's fields and never
// repeat the personnummer typed; an accepted identity is normalised and
// its personnummer re-parses to itself.
func FuzzParseIdentity(f *testing.F) {
	today := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	f.Add("Anna Andersson", "19121212-1212", "070-123 45 67", "anna@exempel.se")
	f.Add("  Anna   B ", "", "+46 70 123 45 67", "")
	f.Add("", "121212-1213", "x", "a@")
	f.Add(strings.Repeat("å", 201), "19900230-1230", strings.Repeat("1", 31), "@b.se")
	f.Fuzz(func(t *testing.T, name, pnr, phone, email string) {
		id, err := ParseIdentity(name, pnr, phone, email, today)
		if err != nil {
			var verr ValidationError
			if !errors.As(err, &verr) || len(verr) == 0 {
				t.Fatalf("error %v is not a ValidationError", err)
			}
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, pnr)
			for field, msg := range verr {
				switch field {
				case "name", "personnummer", "phone", "email":
				default:
					t.Fatalf("error on unknown field %q", field)
				}
				if len(digits) >= 6 && strings.Contains(msg, digits) {
					t.Fatalf("message %q repeats the personnummer", msg)
				}
				if len(strings.TrimSpace(pnr)) >= 6 && strings.Contains(msg, strings.TrimSpace(pnr)) {
					t.Fatalf("message %q repeats the personnummer", msg)
				}
			}
			if !id.IsZero() {
				t.Fatal("identity returned with an error")
			}
			return
		}
		if id.Name != strings.Join(strings.Fields(id.Name), " ") || len([]rune(id.Name)) > MaxIdentityName {
			t.Fatalf("name %q not normalised", id.Name)
		}
		if len(id.Phone) > MaxIdentityPhone || len(id.Email) > MaxIdentityEmail {
			t.Fatal("phone or e-mail too long")
		}
		if !id.Personnummer.IsZero() {
			again, err := ParsePersonnummer(id.Personnummer.Normalized(), today)
			if err != nil || again != id.Personnummer || len(id.Personnummer.Normalized()) != 12 {
				t.Fatalf("personnummer does not re-parse to itself: %v", err)
			}
		}
	})
}

// FuzzParseEnums: every participant enum parser returns, on success, a
// valid code whose code and label both read back to it.
func FuzzParseEnums(f *testing.F) {
	for _, s := range []string{"woman", "Kvinna", " KVINNA ", "sweden", "", "x", "employed", "in_progress", "achieved", "short"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name string, code, label string, ok, valid bool, reparse func(string) (string, bool)) {
			if !ok {
				return
			}
			if !valid {
				t.Fatalf("%s(%q) = %q, not a valid code", name, s, code)
			}
			for _, text := range []string{code, label} {
				if again, ok := reparse(text); !ok || again != code {
					t.Fatalf("%s(%q) = %q; %q reads back as %q, %v", name, s, code, text, again, ok)
				}
			}
		}
		g, ok := ParseGender(s)
		check("ParseGender", string(g), genders.label(g), ok, genders.valid(g), func(x string) (string, bool) { v, ok := ParseGender(x); return string(v), ok })
		b, ok := ParseBirthRegion(s)
		check("ParseBirthRegion", string(b), birthRegions.label(b), ok, birthRegions.valid(b), func(x string) (string, bool) { v, ok := ParseBirthRegion(x); return string(v), ok })
		e, ok := ParseEducation(s)
		check("ParseEducation", string(e), educations.label(e), ok, educations.valid(e), func(x string) (string, bool) { v, ok := ParseEducation(x); return string(v), ok })
		l, ok := ParseLabourStatus(s)
		check("ParseLabourStatus", string(l), labourStatuses.label(l), ok, labourStatuses.valid(l), func(x string) (string, bool) { v, ok := ParseLabourStatus(x); return string(v), ok })
		i, ok := ParseIncomeSource(s)
		check("ParseIncomeSource", string(i), incomeSources.label(i), ok, incomeSources.valid(i), func(x string) (string, bool) { v, ok := ParseIncomeSource(x); return string(v), ok })
		r, ok := ParseReferralSource(s)
		check("ParseReferralSource", string(r), referralSources.label(r), ok, referralSources.valid(r), func(x string) (string, bool) { v, ok := ParseReferralSource(x); return string(v), ok })
		d, ok := ParseDeclineReason(s)
		check("ParseDeclineReason", string(d), declineReasons.label(d), ok, declineReasons.valid(d), func(x string) (string, bool) { v, ok := ParseDeclineReason(x); return string(v), ok })
		x, ok := ParseExitDestination(s)
		check("ParseExitDestination", string(x), exitDestinations.label(x), ok, exitDestinations.valid(x), func(y string) (string, bool) { v, ok := ParseExitDestination(y); return string(v), ok })
		c, ok := ParseConsentScope(s)
		check("ParseConsentScope", string(c), consentScopes.label(c), ok, consentScopes.valid(c), func(y string) (string, bool) { v, ok := ParseConsentScope(y); return string(v), ok })
		p, ok := ParseParticipantStatus(s)
		check("ParseParticipantStatus", string(p), participantStatuses.label(p), ok, participantStatuses.valid(p), func(y string) (string, bool) { v, ok := ParseParticipantStatus(y); return string(v), ok })
		if gt, ok := ParseGoalTerm(s); ok && string(gt) != s {
			t.Fatalf("ParseGoalTerm(%q) = %q", s, gt)
		}
		if gs, ok := ParseGoalStatus(s); ok && string(gs) != s {
			t.Fatalf("ParseGoalStatus(%q) = %q", s, gs)
		}
	})
}
