package partnership

import (
	"errors"
	"strings"
	"testing"
	"time"

	"iop/internal/money"
)

func TestActivityValidate(t *testing.T) {
	t.Parallel()
	today := actDay("2026-03-05")
	valid := Activity{TypeID: 1, Date: today, DurationMinutes: 90, Women: 5, VolunteerMinutes: 60}
	tests := []struct {
		name   string
		change func(*Activity)
		field  string
	}{
		{"valid", func(*Activity) {}, ""},
		{"no type", func(a *Activity) { a.TypeID = 0 }, "type_id"},
		{"no date", func(a *Activity) { a.Date = time.Time{} }, "date"},
		{"before 2000", func(a *Activity) { a.Date = actDay("1999-12-31") }, "date"},
		{"tomorrow", func(a *Activity) { a.Date = actDay("2026-03-06") }, "date"},
		{"no duration", func(a *Activity) { a.DurationMinutes = 0 }, "hours"},
		{"a whole day", func(a *Activity) { a.DurationMinutes = 24 * 60 }, ""},
		{"over a day", func(a *Activity) { a.DurationMinutes = 24*60 + 1 }, "hours"},
		{"negative women", func(a *Activity) { a.Women = -1 }, "women"},
		{"too many men", func(a *Activity) { a.Men = MaxAttendance + 1 }, "men"},
		{"negative non-binary", func(a *Activity) { a.NonBinary = -1 }, "non_binary"},
		{"negative children", func(a *Activity) { a.Children = -2 }, "children"},
		{"too much volunteer time", func(a *Activity) { a.VolunteerMinutes = MaxVolunteerMinutes + 1 }, "volunteer_hours"},
		{"negative staff", func(a *Activity) { a.StaffPresent = -1 }, "staff_present"},
		{"long place", func(a *Activity) { a.Place = strings.Repeat("å", MaxActivityPlace+1) }, "place"},
		{"long notes", func(a *Activity) { a.Notes = strings.Repeat("ö", MaxActivityNotes+1) }, "notes"},
		{"notes at the limit", func(a *Activity) { a.Notes = strings.Repeat("ö", MaxActivityNotes) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid
			tt.change(&a)
			err := a.Validate(today)
			var v ValidationError
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.field != "" && (!errors.As(err, &v) || len(v) != 1 || v[tt.field] == ""):
				t.Errorf("got %v, want one message for %s", err, tt.field)
			}
		})
	}
}

func TestActivityTypeAndTargetValidate(t *testing.T) {
	t.Parallel()
	typeTests := []struct {
		typ   ActivityType
		field string
	}{
		{ActivityType{Name: "Skapandeträff", Unit: UnitOccasions}, ""},
		{ActivityType{Name: "Enskilt samtal", Unit: UnitOccasions, PerParticipantMin: actInt(2), PerParticipantMax: actInt(3)}, ""},
		{ActivityType{Name: "Enskilt samtal", Unit: UnitOccasions, PerParticipantMin: actInt(2)}, ""},
		{ActivityType{Name: "  ", Unit: UnitOccasions}, "name"},
		{ActivityType{Name: strings.Repeat("x", MaxActivityTypeName+1), Unit: UnitHours}, "name"},
		{ActivityType{Name: "X", Unit: "days"}, "unit"},
		{ActivityType{Name: "X", Unit: UnitHours, PerParticipantMax: actInt(3)}, "per_participant_min"},
		{ActivityType{Name: "X", Unit: UnitHours, PerParticipantMin: actInt(-1)}, "per_participant_min"},
		{ActivityType{Name: "X", Unit: UnitHours, PerParticipantMin: actInt(3), PerParticipantMax: actInt(2)}, "per_participant_max"},
	}
	for _, tt := range typeTests {
		err := tt.typ.Validate()
		var v ValidationError
		if tt.field == "" && err != nil || tt.field != "" && (!errors.As(err, &v) || v[tt.field] == "") {
			t.Errorf("%+v: %v, want error on %q", tt.typ, err, tt.field)
		}
	}
	if lo, hi, ok := typeTests[1].typ.TargetFor(50); !ok || lo != 100 || hi != 150 {
		t.Errorf("TargetFor(50) = %d, %d, %v", lo, hi, ok)
	}
	if lo, hi, ok := typeTests[2].typ.TargetFor(10); !ok || lo != 20 || hi != 20 {
		t.Errorf("TargetFor single = %d, %d, %v", lo, hi, ok)
	}

	targetTests := []struct {
		target Target
		field  string
	}{
		{Target{Year: 2026, Min: 250, Max: 250}, ""},
		{Target{Year: 2026, Min: 40, Max: 60}, ""},
		{Target{Year: 2026}, ""},
		{Target{Year: 1999, Min: 1, Max: 1}, "year"},
		{Target{Year: 2026, Min: 60, Max: 40}, "target"},
		{Target{Year: 2026, Min: -1, Max: 4}, "target"},
		{Target{Year: 2026, Min: 1, Max: MaxTarget + 1}, "target"},
	}
	for _, tt := range targetTests {
		err := tt.target.Validate()
		var v ValidationError
		if tt.field == "" && err != nil || tt.field != "" && (!errors.As(err, &v) || v[tt.field] == "") {
			t.Errorf("%+v: %v, want error on %q", tt.target, err, tt.field)
		}
	}
	if s := (Target{Min: 40, Max: 60}).String(); s != "40–60" {
		t.Errorf("range String %q", s)
	}
	if s := (Target{Min: 250, Max: 250}).String(); s != "250" {
		t.Errorf("number String %q", s)
	}
}

func TestParseTarget(t *testing.T) {
	t.Parallel()
	good := map[string][2]int{
		"250": {250, 250}, " 40–60 ": {40, 60}, "40-60": {40, 60}, "40 - 60": {40, 60}, "1 200": {1200, 1200},
		"0": {0, 0}, "1—2": {1, 2},
	}
	for in, want := range good {
		lo, hi, err := ParseTarget(in)
		if err != nil || lo != want[0] || hi != want[1] {
			t.Errorf("ParseTarget(%q) = %d, %d, %v; want %v", in, lo, hi, err, want)
		}
	}
	for _, in := range []string{"", "-5", "60–40", "1-2-3", "ca 40", "2,5", "40–", "99999999"} {
		var v ValidationError
		if _, _, err := ParseTarget(in); !errors.As(err, &v) || v["target"] == "" {
			t.Errorf("ParseTarget(%q): %v, want a message for target", in, err)
		}
	}
}

func TestParseAndFormatHours(t *testing.T) {
	t.Parallel()
	good := map[string]int{
		"1,5": 90, "1.5": 90, "2": 120, "0,25": 15, ",5": 30, "1,33": 80, "0,01": 1, " 12 ": 720, "1 200": 72000, "0": 0,
	}
	for in, want := range good {
		if got, ok := ParseHours(in); !ok || got != want {
			t.Errorf("ParseHours(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", ",", "1,", "1,234", "-1", "1h", "1:30", "1,5,5", "abc", "1.200,5"} {
		if got, ok := ParseHours(in); ok {
			t.Errorf("ParseHours(%q) = %d, want refused", in, got)
		}
	}
	formats := map[int64]string{0: "0", 90: "1,5", 120: "2", 80: "1,33", 1: "0,02", 15: "0,25", 6: "0,1", -90: "-1,5"}
	for in, want := range formats {
		if got := FormatHours(in); got != want {
			t.Errorf("FormatHours(%d) = %q, want %q", in, got, want)
		}
	}
	for m := 0; m <= 3*24*60; m++ {
		if got, ok := ParseHours(FormatHours(int64(m))); !ok || got != m {
			t.Fatalf("round trip of %d minutes: %q → %d, %v", m, FormatHours(int64(m)), got, ok)
		}
	}
}

func TestActivityCursor(t *testing.T) {
	t.Parallel()
	c := ActivityCursor{Date: actDay("2024-03-05"), ID: 1234}
	if c.String() != "2024-03-05_1234" {
		t.Errorf("String %q", c.String())
	}
	back, err := ParseActivityCursor(c.String())
	if err != nil || !back.Date.Equal(c.Date) || back.ID != c.ID {
		t.Errorf("round trip %+v %v", back, err)
	}
	for _, bad := range []string{"", "2024-03-05", "2024-13-05_1", "2024-03-05_x", "2024-03-05_-1", "2024-03-05_0"} {
		if _, err := ParseActivityCursor(bad); !errors.Is(err, ErrBadCursor) {
			t.Errorf("ParseActivityCursor(%q): %v", bad, err)
		}
	}
}

func TestVolunteerValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minutes int64
		rate    money.Amount
		want    money.Amount
	}{
		{60, money.Kronor(144), money.Kronor(144)},
		{90, money.Kronor(144), money.Kronor(216)},
		{1, money.Kronor(150), money.Kronor(3)}, // 2,50 kr rounds up
		{1, money.Kronor(149), money.Kronor(2)}, // 2,48 kr rounds down
		{750 * 60, money.Kronor(144), money.Kronor(108000)},
		{0, money.Kronor(144), 0},
	}
	for _, tt := range tests {
		if got := VolunteerValue(tt.minutes, tt.rate); got != tt.want {
			t.Errorf("VolunteerValue(%d, %d) = %d, want %d", tt.minutes, tt.rate, got, tt.want)
		}
	}
}

func TestActivityEditableBy(t *testing.T) {
	t.Parallel()
	ikf, other := int64(3), int64(4)
	a := Activity{OrganisationID: &ikf}
	byOfficer := Activity{}
	cases := []struct {
		a    Activity
		u    User
		want bool
	}{
		{a, User{Role: RoleAdmin}, true},
		{a, User{Role: RoleOfficer}, true},
		{a, User{Role: RoleAssociationStaff, OrganisationID: &ikf}, true},
		{a, User{Role: RoleAssociationStaff, OrganisationID: &other}, false},
		{a, User{Role: RoleAssociationStaff}, false},
		{byOfficer, User{Role: RoleAssociationStaff, OrganisationID: &ikf}, false},
		{a, User{Role: RoleViewer}, false},
		{a, User{Role: RoleCoordinator}, false},
	}
	for i, c := range cases {
		if got := c.a.EditableBy(c.u); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
}
