package partnership

import (
	"strconv"
	"strings"
	"time"
)

// ActivityUnit is what an activity type is counted in: occasions (each
// logged activity counts once) or hours (the logged durations are summed).
type ActivityUnit string

// The units of an activity type.
const (
	UnitOccasions ActivityUnit = "occasions"
	UnitHours     ActivityUnit = "hours"
)

// ActivityUnits lists the units in the order the UI presents them.
var ActivityUnits = []ActivityUnit{UnitOccasions, UnitHours}

// Valid reports whether u is a known unit.
func (u ActivityUnit) Valid() bool { return u == UnitOccasions || u == UnitHours }

// Label is the Swedish name of the unit.
func (u ActivityUnit) Label() string {
	switch u {
	case UnitOccasions:
		return "Tillfällen"
	case UnitHours:
		return "Timmar"
	}
	return string(u)
}

// Limits of the activity fields, shared by the forms, the import and the
// database's CHECK constraints.
const (
	MaxActivityTypeName = 100     // characters
	MaxPerParticipant   = 1000    // target per participant, in the type's unit
	MaxTarget           = 1000000 // yearly target, in the type's unit
	MaxActivityMinutes  = 24 * 60 // one activity lasts at most a day
	MaxAttendance       = 10000   // per gender group and activity
	MaxVolunteerMinutes = 1000 * 60
	MaxStaffPresent     = 1000
	MaxActivityPlace    = 200  // characters
	MaxActivityNotes    = 2000 // characters
	MinActivityYear     = 2000
	MaxActivityYear     = 2100
)

// ActivityType is a kind of activity an agreement follows up, such as
// "Skapandeträff" or "Må bra-grupp".
type ActivityType struct {
	ID          int64
	AgreementID int64
	Name        string
	Unit        ActivityUnit
	// PerParticipantMin and PerParticipantMax are an optional target per
	// participant and year in the type's unit, e.g. 2–3 coaching sessions;
	// both nil when the type has none, equal for a single number.
	PerParticipantMin *int
	PerParticipantMax *int
	Position          int  // order in lists and forms
	Active            bool // inactive types keep their history but take no new entries
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Validate checks the fields an officer enters, keyed by form field name:
// name, unit, per_participant_min, per_participant_max.
func (t ActivityType) Validate() error {
	v := ValidationError{}
	name := strings.TrimSpace(t.Name)
	switch {
	case name == "":
		v.Add("name", "Ange ett namn på aktivitetstypen.")
	case len([]rune(name)) > MaxActivityTypeName:
		v.Add("name", "Namnet får vara högst 100 tecken.")
	}
	if !t.Unit.Valid() {
		v.Add("unit", "Välj om typen räknas i tillfällen eller timmar.")
	}
	lo, hi := t.PerParticipantMin, t.PerParticipantMax
	switch {
	case lo == nil && hi != nil:
		v.Add("per_participant_min", "Ange ett lägsta värde per deltagare, eller lämna båda fälten tomma.")
	case lo != nil && (*lo < 0 || *lo > MaxPerParticipant):
		v.Add("per_participant_min", "Ange ett värde mellan 0 och 1 000.")
	case hi != nil && (*hi < 0 || *hi > MaxPerParticipant):
		v.Add("per_participant_max", "Ange ett värde mellan 0 och 1 000.")
	case lo != nil && hi != nil && *hi < *lo:
		v.Add("per_participant_max", "Det högsta värdet får inte vara lägre än det lägsta.")
	}
	return v.Err()
}

// TargetFor derives a yearly target from the target per participant and
// the number of participants, or reports false when the type has none.
func (t ActivityType) TargetFor(participants int) (lo, hi int, ok bool) {
	if t.PerParticipantMin == nil || participants <= 0 {
		return 0, 0, false
	}
	lo, hi = *t.PerParticipantMin, *t.PerParticipantMin
	if t.PerParticipantMax != nil {
		hi = *t.PerParticipantMax
	}
	return lo * participants, hi * participants, true
}

// Target is what an agreement aims at for one activity type in one year,
// in the type's unit (occasions, or whole hours). A single number is a
// range with Min == Max; "40–60" is Min 40, Max 60.
type Target struct {
	AgreementID int64
	TypeID      int64
	Year        int
	Min         int
	Max         int
}

// Validate checks the target, keyed by form field name: year, target.
func (t Target) Validate() error {
	v := ValidationError{}
	if t.Year < MinActivityYear || t.Year > MaxActivityYear {
		v.Add("year", "Ange ett år mellan 2000 och 2100.")
	}
	switch {
	case t.Min < 0 || t.Max < 0:
		v.Add("target", "Målet kan inte vara negativt.")
	case t.Min > MaxTarget || t.Max > MaxTarget:
		v.Add("target", "Målet får vara högst 1 000 000.")
	case t.Max < t.Min:
		v.Add("target", "I ett intervall kommer det lägsta värdet först, till exempel 40–60.")
	}
	return v.Err()
}

// String formats the target as a number or a range with an en dash: "250",
// "40–60".
func (t Target) String() string {
	if t.Min == t.Max {
		return strconv.Itoa(t.Min)
	}
	return strconv.Itoa(t.Min) + "–" + strconv.Itoa(t.Max)
}

// ParseTarget reads a target as an officer types it: a whole number
// ("250") or a range ("40–60", "40-60", "40 - 60"). Spaces inside a number
// ("1 200") are ignored. The message is Swedish, for the form field.
func ParseTarget(s string) (lo, hi int, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, ValidationError{"target": "Ange ett mål, till exempel 250 eller 40–60."}
	}
	msg := ValidationError{"target": "Ange ett heltal eller ett intervall, till exempel 250 eller 40–60."}
	s = strings.NewReplacer("–", "-", "—", "-", " ", "", "\u00a0", "").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) > 2 {
		return 0, 0, msg
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, ok := parseCount(p)
		if !ok {
			return 0, 0, msg
		}
		nums[i] = n
	}
	lo, hi = nums[0], nums[len(nums)-1]
	return lo, hi, Target{Year: MinActivityYear, Min: lo, Max: hi}.Validate()
}

// Activity is one logged activity of an agreement: what, when, for how
// long, who came and who helped.
type Activity struct {
	ID          int64
	AgreementID int64
	TypeID      int64
	TypeName    string       // read-only, from the type
	TypeUnit    ActivityUnit // read-only, from the type
	Date        time.Time    // calendar date, UTC midnight
	// DurationMinutes is how long the activity lasted; hour-typed
	// activities count it towards their target.
	DurationMinutes int
	Women           int
	Men             int
	NonBinary       int // non-binary or gender not stated
	Children        int
	// VolunteerMinutes is the volunteer (unpaid) time given to the
	// activity, in whole minutes so that sums are exact.
	VolunteerMinutes int
	StaffPresent     int
	Place            string
	Notes            string
	// ParticipantIDs are the enrolled participants who took part, when
	// attendance is named (see NameAttendees); nil when it is only
	// counted. Stores read it separately: a listed activity leaves it nil.
	ParticipantIDs []int64
	CreatedBy      *int64 // the user who logged it
	CreatedByName  string // read-only, from the user
	// OrganisationID is the organisation of the party that logged the
	// activity; nil when municipal staff logged it.
	OrganisationID *int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int // optimistic concurrency: bumped by every change
}

// Attendance is the number of people who took part: women, men,
// non-binary or not stated, and children.
func (a Activity) Attendance() int { return a.Women + a.Men + a.NonBinary + a.Children }

// Normalize trims the free-text fields and reduces the date to a calendar
// date.
func (a Activity) Normalize() Activity {
	a.Place = strings.TrimSpace(a.Place)
	a.Notes = strings.TrimSpace(strings.ReplaceAll(a.Notes, "\r\n", "\n"))
	if !a.Date.IsZero() {
		a.Date = dayOf(a.Date)
	}
	a.ParticipantIDs = normalizeAttendees(a.ParticipantIDs)
	return a
}

// Validate checks the fields association staff enter, keyed by form field
// name: type_id, date, hours, women, men, non_binary, children,
// volunteer_hours, staff_present, place, notes, participants. An activity cannot be
// logged for a day after today (a calendar date in Europe/Stockholm).
func (a Activity) Validate(today time.Time) error {
	v := ValidationError{}
	if a.TypeID <= 0 {
		v.Add("type_id", "Välj en aktivitetstyp.")
	}
	switch {
	case a.Date.IsZero():
		v.Add("date", "Ange ett datum, till exempel 2026-03-05.")
	case a.Date.Year() < MinActivityYear:
		v.Add("date", "Datumet får inte vara före 2000-01-01.")
	case dayOf(a.Date).After(dayOf(today)):
		v.Add("date", "Datumet får inte vara senare än i dag ("+dayOf(today).Format(time.DateOnly)+").")
	}
	switch {
	case a.DurationMinutes <= 0:
		v.Add("hours", "Ange hur många timmar aktiviteten pågick, till exempel 1,5.")
	case a.DurationMinutes > MaxActivityMinutes:
		v.Add("hours", "En aktivitet kan pågå högst 24 timmar; dela upp längre aktiviteter per dag.")
	}
	for _, c := range []struct {
		field string
		n     int
	}{{"women", a.Women}, {"men", a.Men}, {"non_binary", a.NonBinary}, {"children", a.Children}} {
		if c.n < 0 || c.n > MaxAttendance {
			v.Add(c.field, "Ange ett antal mellan 0 och 10 000.")
		}
	}
	if a.VolunteerMinutes < 0 || a.VolunteerMinutes > MaxVolunteerMinutes {
		v.Add("volunteer_hours", "Ange ideella timmar mellan 0 och 1 000.")
	}
	if a.StaffPresent < 0 || a.StaffPresent > MaxStaffPresent {
		v.Add("staff_present", "Ange ett antal mellan 0 och 1 000.")
	}
	if len([]rune(a.Place)) > MaxActivityPlace {
		v.Add("place", "Platsen får vara högst 200 tecken.")
	}
	if len([]rune(a.Notes)) > MaxActivityNotes {
		v.Add("notes", "Anteckningarna får vara högst 2 000 tecken.")
	}
	if len(a.ParticipantIDs) > MaxNamedAttendees {
		v.Add("participants", MsgAttendeesTooMany)
	}
	return v.Err()
}

// EditableBy reports whether u may change or delete the activity:
// administrators and officers any, association staff only those their own
// organisation logged, everyone else none. Callers answer "not found" when
// it is false for association staff, so that another organisation's
// entries cannot be told apart from missing ones.
func (a Activity) EditableBy(u User) bool {
	switch u.Role {
	case RoleAdmin, RoleOfficer:
		return true
	case RoleAssociationStaff:
		return u.OrganisationID != nil && a.OrganisationID != nil && *u.OrganisationID == *a.OrganisationID
	}
	return false
}

// parseCount reads a non-negative whole number of at most seven digits.
func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 7 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
