package partnership

import (
	"sort"
	"time"
)

// ProgressStatus says how an activity type is doing against its target.
type ProgressStatus string

// The statuses of Progress. See ComputeProgress for the rules.
const (
	ProgressNoTarget ProgressStatus = "no_target" // no target for the year
	ProgressUpcoming ProgressStatus = "upcoming"  // the covered part of the year has not begun
	ProgressBehind   ProgressStatus = "behind"
	ProgressOnTrack  ProgressStatus = "on_track"
	ProgressAhead    ProgressStatus = "ahead"
)

// Label is the Swedish name of the status.
func (s ProgressStatus) Label() string {
	switch s {
	case ProgressNoTarget:
		return "Inget mål"
	case ProgressUpcoming:
		return "Ej påbörjat"
	case ProgressBehind:
		return "Efter plan"
	case ProgressOnTrack:
		return "I fas"
	case ProgressAhead:
		return "Före plan"
	}
	return string(s)
}

// BehindPercent is the tolerance below the expectation: a type is behind
// only when it has done less than this share of the expected minimum.
const BehindPercent = 90

// ProgressInput is what ComputeProgress needs about one agreement.
type ProgressInput struct {
	Year  int
	Today time.Time // the calendar date of today (Europe/Stockholm)
	// Start and End are the agreement's validity, End after extensions
	// (Agreement.CurrentEnd); nil for an open end.
	Start, End *time.Time
	Types      []ActivityType
	Targets    []Target       // of any year; those of Year are used
	Done       []ActivityDone // of any year; those of Year are used
	// Participants is the expected number of participants, used to derive
	// a target from a type's target per participant when the year has no
	// target of its own; 0 derives none.
	Participants int
}

// Progress is how one activity type is doing in one year. Done, the
// target and the expectation are in the type's base unit: occasions for
// occasion-typed types, minutes for hour-typed ones (targets are set in
// whole hours and converted).
type Progress struct {
	Type          ActivityType
	Year          int
	Done          int64
	HasTarget     bool
	TargetDerived bool   // derived from the target per participant
	Target        Target // as set (or derived), in the type's unit
	TargetMin     int64  // base unit
	TargetMax     int64  // base unit
	// ExpectedMin and ExpectedMax are the target pro-rated to today,
	// rounded half up to whole base units.
	ExpectedMin int64
	ExpectedMax int64
	ElapsedDays int  // covered days up to and including today
	CoveredDays int  // covered days in the year
	Final       bool // the covered part of the year is over
	Status      ProgressStatus
}

// Percent is done as a share of the target's minimum, in whole percent
// (rounded down, not capped): 100 means the target is reached. A zero
// target counts as reached.
func (p Progress) Percent() int {
	if p.TargetMin == 0 {
		if p.HasTarget {
			return 100
		}
		return 0
	}
	return int(p.Done * 100 / p.TargetMin)
}

// ExpectedPercent is the expected minimum to date as a share of the
// target's minimum, in whole percent, for marking "where we should be".
func (p Progress) ExpectedPercent() int {
	if p.TargetMin == 0 {
		return 0
	}
	return int(p.ExpectedMin * 100 / p.TargetMin)
}

// ComputeProgress returns, for each activity type of the agreement, what
// was done in the year against the target and against the target
// pro-rated to today. Types come in position order; inactive types only
// when they have a target or activities in the year.
//
// The expectation: expected = target × elapsed / covered, where covered is
// the number of days of the year the agreement covers (its validity
// clipped to the year; the whole year when it has no dates or does not
// cover the year at all) and elapsed the covered days up to and including
// today. For a range both ends are pro-rated.
//
// The status, with a tolerance so that ordinary unevenness (holidays, a
// summer break, the first days of a year) does not raise alarms:
//   - behind when done is below 90 % (BehindPercent) of the expected
//     minimum and at least one unit (one occasion, one hour) short of it;
//   - ahead when done exceeds the expected maximum by at least one unit;
//   - otherwise on track.
//
// A zero target can therefore never be behind. Before the covered part of
// the year begins the status is upcoming, and once it is over the
// expectation is the whole target (Final).
func ComputeProgress(in ProgressInput) []Progress {
	first, last := coveredPart(in.Year, in.Start, in.End)
	covered := daysBetween(first, last) + 1
	today := dayOf(in.Today)
	elapsed := 0
	switch {
	case today.After(last):
		elapsed = covered
	case !today.Before(first):
		elapsed = daysBetween(first, today) + 1
	}

	targets := map[int64]Target{}
	for _, t := range in.Targets {
		if t.Year == in.Year {
			targets[t.TypeID] = t
		}
	}
	done := map[int64]int64{}
	for _, d := range in.Done {
		if d.Year == in.Year {
			done[d.TypeID] += d.Done
		}
	}
	types := append([]ActivityType(nil), in.Types...)
	sort.SliceStable(types, func(i, j int) bool { return types[i].Position < types[j].Position })

	var out []Progress
	for _, typ := range types {
		target, hasTarget := targets[typ.ID]
		if !typ.Active && !hasTarget && done[typ.ID] == 0 {
			continue
		}
		p := Progress{
			Type: typ, Year: in.Year, Done: done[typ.ID], HasTarget: hasTarget, Target: target,
			ElapsedDays: elapsed, CoveredDays: covered, Final: today.After(last),
		}
		if !hasTarget {
			if lo, hi, ok := typ.TargetFor(in.Participants); ok {
				p.HasTarget, p.TargetDerived = true, true
				p.Target = Target{AgreementID: typ.AgreementID, TypeID: typ.ID, Year: in.Year, Min: lo, Max: hi}
			}
		}
		p.Status = ProgressNoTarget
		if p.HasTarget {
			unit := baseUnit(typ.Unit)
			p.TargetMin, p.TargetMax = int64(p.Target.Min)*unit, int64(p.Target.Max)*unit
			p.ExpectedMin = roundDiv(p.TargetMin*int64(elapsed), int64(covered))
			p.ExpectedMax = roundDiv(p.TargetMax*int64(elapsed), int64(covered))
			p.Status = progressStatus(p.Done, p.TargetMin, p.TargetMax, int64(elapsed), int64(covered), unit)
		}
		out = append(out, p)
	}
	return out
}

// progressStatus applies the rules of ComputeProgress in exact integer
// arithmetic: with E = target × elapsed / covered, "done < 0.9 E" is
// "10 × done × covered < 9 × target × elapsed", and so on.
func progressStatus(done, min, max, elapsed, covered, unit int64) ProgressStatus {
	if elapsed == 0 {
		return ProgressUpcoming
	}
	d := done * covered // done, scaled like target × elapsed
	lo, hi := min*elapsed, max*elapsed
	switch {
	case 100*d < BehindPercent*lo && lo-d >= unit*covered:
		return ProgressBehind
	case d-hi >= unit*covered:
		return ProgressAhead
	}
	return ProgressOnTrack
}

// baseUnit is how many base units one unit of a target is: an hour is 60
// minutes, an occasion is one occasion.
func baseUnit(u ActivityUnit) int64 {
	if u == UnitHours {
		return 60
	}
	return 1
}

// coveredPart is the part of year the agreement's validity covers: the
// whole year when it has no dates or does not overlap the year.
func coveredPart(year int, start, end *time.Time) (first, last time.Time) {
	jan1, dec31 := yearBounds(year)
	from, to := jan1, dec31
	if start != nil {
		from = *start
	}
	if end != nil {
		to = *end
	}
	if f, l, ok := clipToYear(year, from, to); ok {
		return f, l
	}
	return jan1, dec31
}

// roundDiv is n / d rounded half up, for non-negative n and positive d.
func roundDiv(n, d int64) int64 { return (2*n + d) / (2 * d) }
