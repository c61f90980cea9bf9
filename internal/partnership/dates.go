package partnership

import "time"

// The calendar helpers of the rules. Calendar dates are UTC midnights;
// dayOf makes one of any time.

// dayOf is t's calendar date as a UTC midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysIn is the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// yearBounds are the first and the last day of year.
func yearBounds(year int) (jan1, dec31 time.Time) {
	return time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC),
		time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC)
}

// daysInYear is 365, or 366 in a leap year.
func daysInYear(year int) int {
	_, dec31 := yearBounds(year)
	return dec31.YearDay()
}

// daysBetween counts the days from a to b (both UTC midnights).
func daysBetween(a, b time.Time) int {
	return int(b.Sub(a).Hours()+12) / 24
}

// clipToYear is the part of the days from..to (both included) that falls
// in year; ok is false when none does.
func clipToYear(year int, from, to time.Time) (first, last time.Time, ok bool) {
	jan1, dec31 := yearBounds(year)
	first, last = dayOf(from), dayOf(to)
	if first.Before(jan1) {
		first = jan1
	}
	if last.After(dec31) {
		last = dec31
	}
	return first, last, !last.Before(first)
}

// Stockholm is the time zone the product lives in: "today" is the calendar
// date there, and times are shown in it. The zone is embedded (time/tzdata
// in doc.go), so hosts without a zoneinfo database know it too.
var Stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		panic(err) // embedded, so it cannot be missing
	}
	return loc
}()

// Today is the calendar date in Sweden at now, as a UTC midnight like
// every stored date.
func Today(now time.Time) time.Time {
	y, m, d := now.In(Stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
