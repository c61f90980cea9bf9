package partnership

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFollowUpDue(t *testing.T) {
	for _, tc := range []struct {
		exit   string
		months int
		want   string
	}{
		{"2024-03-15", 6, "2024-09-15"},
		{"2024-03-15", 12, "2025-03-15"},
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-08-31", 6, "2025-02-28"},
		{"2027-08-31", 6, "2028-02-29"}, // into a leap year
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-03-31", 2, "2024-05-31"},
		{"2024-05-31", 4, "2024-09-30"},
		{"2024-07-31", 6, "2025-01-31"},
		{"2024-12-31", 12, "2025-12-31"},
		{"2024-10-31", 4, "2025-02-28"},
		{"2024-12-01", 1, "2025-01-01"},
		{"2019-06-30", 60, "2024-06-30"},
	} {
		if got := FollowUpDue(day(tc.exit), tc.months); !got.Equal(day(tc.want)) {
			t.Errorf("FollowUpDue(%s, %d) = %s, want %s", tc.exit, tc.months, got.Format(time.DateOnly), tc.want)
		}
	}
}

func TestParseFollowUpMonths(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
	}{
		{"6, 12", []int{6, 12}},
		{"12 6 2 4", []int{2, 4, 6, 12}},
		{"1;60", []int{1, 60}},
		{"", nil}, {"0", nil}, {"61", nil}, {"6, 6", nil}, {"sex", nil}, {"6.5", nil},
		{"1 2 3 4 5 6 7 8 9 10 11 12 13", nil},
	} {
		got, err := ParseFollowUpMonths(tc.in)
		if tc.want == nil {
			var v ValidationError
			if !errors.As(err, &v) || v["months"] == "" {
				t.Errorf("ParseFollowUpMonths(%q) = %v, %v; want a months error", tc.in, got, err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseFollowUpMonths(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestFollowUpOutcomeValidate(t *testing.T) {
	exit, today := day("2024-03-01"), day("2024-10-01")
	ok := FollowUpOutcome{DoneOn: day("2024-09-02"), Destination: ExitWork, SelfSupporting: SelfSupportingYes}
	if err := ok.Validate(exit, today); err != nil {
		t.Fatalf("valid outcome: %v", err)
	}
	bad := FollowUpOutcome{DoneOn: day("2024-10-02"), Destination: "job", SelfSupporting: "maybe", Note: string(make([]rune, 2001))}
	var v ValidationError
	if err := bad.Validate(exit, today); !errors.As(err, &v) || len(v) != 4 {
		t.Fatalf("invalid outcome: %v", err)
	}
	if err := (FollowUpOutcome{DoneOn: day("2024-02-28"), Destination: ExitWork, SelfSupporting: SelfSupportingNo}).Validate(exit, today); err == nil {
		t.Error("a follow-up before the exit was accepted")
	}
}

func TestSelfSupportingSharePercent(t *testing.T) {
	for _, tc := range []struct {
		s    SelfSupportingShare
		want string
	}{
		{SelfSupportingShare{Recorded: 8, SelfSupporting: 6}, "75 % (6 av 8)"},
		{SelfSupportingShare{Recorded: 3, SelfSupporting: 2}, "67 % (2 av 3)"},
		{SelfSupportingShare{Recorded: 8, SelfSupporting: 1}, "13 % (1 av 8)"},
		{SelfSupportingShare{}, "–"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v = %q, want %q", tc.s, got, tc.want)
		}
	}
}
