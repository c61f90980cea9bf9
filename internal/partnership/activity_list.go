package partnership

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"iop/internal/money"
)

// ActivityFilter narrows an agreement's activity list and its totals. The
// zero value selects every activity.
type ActivityFilter struct {
	TypeID int64      // 0: every type
	From   *time.Time // first day, inclusive; nil: no lower bound
	To     *time.Time // last day, inclusive; nil: no upper bound
}

// YearFilter selects the activities of one calendar year.
func YearFilter(year int) ActivityFilter {
	from, to := yearBounds(year)
	return ActivityFilter{From: &from, To: &to}
}

// Validate checks the filter, keyed by query parameter name: from, to.
func (f ActivityFilter) Validate() error {
	v := ValidationError{}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		v.Add("to", "Slutdatumet får inte vara före startdatumet.")
	}
	return v.Err()
}

// ActivityCursor is the position after the last activity of a list page:
// the list is ordered by date, newest first, and by id within a date, so
// (date, id) identifies where the next page starts (keyset pagination).
type ActivityCursor struct {
	Date time.Time
	ID   int64
}

// String encodes the cursor for a URL: "2024-03-05_1234".
func (c ActivityCursor) String() string {
	return c.Date.Format(time.DateOnly) + "_" + strconv.FormatInt(c.ID, 10)
}

// ErrBadCursor means a page cursor in a URL could not be read.
var ErrBadCursor = errors.New("bad activity cursor")

// ParseActivityCursor decodes a cursor made by ActivityCursor.String.
func ParseActivityCursor(s string) (ActivityCursor, error) {
	date, id, ok := strings.Cut(s, "_")
	if !ok {
		return ActivityCursor{}, ErrBadCursor
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ActivityCursor{}, ErrBadCursor
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return ActivityCursor{}, ErrBadCursor
	}
	return ActivityCursor{Date: d, ID: n}, nil
}

// ActivityPage is one page of an agreement's activity list; Next is nil on
// the last page.
type ActivityPage struct {
	Activities []Activity
	Next       *ActivityCursor
}

// ActivityTotals sums the activities that match a filter.
type ActivityTotals struct {
	Occasions        int64 // number of activities
	Minutes          int64 // summed duration
	Women            int64
	Men              int64
	NonBinary        int64
	Children         int64
	VolunteerMinutes int64
}

// Attendance is the summed number of people who took part.
func (t ActivityTotals) Attendance() int64 { return t.Women + t.Men + t.NonBinary + t.Children }

// ActivityDone is what was done of one activity type in one year, in the
// type's base unit (see Progress): the number of activities for
// occasion-typed types, the summed minutes for hour-typed ones.
type ActivityDone struct {
	TypeID int64
	Year   int
	Done   int64
}

// VolunteerYear is the volunteer time logged for an agreement in one year.
type VolunteerYear struct {
	Year    int
	Minutes int64
}

// VolunteerValue values volunteer time at a rate per hour: minutes × rate
// / 60, rounded to whole kronor, half away from zero (money's one rounding
// rule, through Amount.MulRatio; volunteer time is set beside budget
// lines, which are whole kronor).
func VolunteerValue(minutes int64, ratePerHour money.Amount) money.Amount {
	return ratePerHour.MulRatio(minutes, 60)
}

// ParseHours reads hours as people type them, with a decimal comma or
// point and at most two decimals ("1,5", "2", "0.25"), and returns whole
// minutes, rounded half up (0,01 h is 0,6 min): FormatHours(m) reads back
// as m for every whole number of minutes m. Spaces are ignored ("1 200").
func ParseHours(s string) (minutes int, ok bool) {
	s = withoutSpaces(strings.TrimSpace(s))
	whole, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if whole == "" && (!hasFrac || frac == "") {
		return 0, false
	}
	if hasFrac && (frac == "" || len(frac) > 2) {
		return 0, false
	}
	h := 0
	if whole != "" {
		n, ok := parseCount(whole)
		if !ok || n > 1000000 {
			return 0, false
		}
		h = n
	}
	hundredths := 0
	if hasFrac {
		n, ok := parseCount(frac)
		if !ok {
			return 0, false
		}
		if len(frac) == 1 {
			n *= 10
		}
		hundredths = n
	}
	total := h*100 + hundredths        // in hundredths of an hour
	return (total*60 + 50) / 100, true // 1/100 h = 0,6 min; round half up
}

// FormatHours writes minutes as hours with a decimal comma and at most two
// decimals, without trailing zeros: 90 → "1,5", 120 → "2", 80 → "1,33".
func FormatHours(minutes int64) string {
	neg := minutes < 0
	if neg {
		minutes = -minutes
	}
	hundredths := (minutes*100 + 30) / 60 // round half up
	s := strconv.FormatInt(hundredths/100, 10)
	if frac := hundredths % 100; frac != 0 {
		f := strconv.FormatInt(frac+100, 10)[1:]
		s += "," + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}
