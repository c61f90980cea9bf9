package partnership

// ParticipantSessions is what one participant, enrolled at some time
// during a year, took part in of one activity type with a target per
// participant: Done in the type's base unit (occasions, or minutes for an
// hour-typed type), counted from named attendance.
type ParticipantSessions struct {
	TypeID        int64
	ParticipantID int64
	Code          string
	Cohort        string
	Done          int64
}

// ParticipantTargetStatus says where a participant stands against a
// target per participant.
type ParticipantTargetStatus string

// The statuses of PerParticipantStatus.
const (
	ParticipantBelow  ParticipantTargetStatus = "below"
	ParticipantWithin ParticipantTargetStatus = "within"
	ParticipantAbove  ParticipantTargetStatus = "above"
)

// Label is the Swedish name of the status.
func (s ParticipantTargetStatus) Label() string {
	switch s {
	case ParticipantBelow:
		return "Under målet"
	case ParticipantWithin:
		return "Inom målet"
	case ParticipantAbove:
		return "Över målet"
	}
	return string(s)
}

// PerParticipantStatus compares done, in the type's base unit, with the
// type's target per participant for a whole year, or reports false when
// the type has none. It is not pro-rated: a participant enrolled for part
// of the year is held to the same range, as the agreements phrase it
// ("2–3 samtal per deltagare"), and during the year "below" only says that
// more is to come.
func PerParticipantStatus(t ActivityType, done int64) (ParticipantTargetStatus, bool) {
	if t.PerParticipantMin == nil {
		return "", false
	}
	unit := baseUnit(t.Unit)
	lo, hi := int64(*t.PerParticipantMin)*unit, int64(*t.PerParticipantMin)*unit
	if t.PerParticipantMax != nil {
		hi = int64(*t.PerParticipantMax) * unit
	}
	switch {
	case done < lo:
		return ParticipantBelow, true
	case done > hi:
		return ParticipantAbove, true
	}
	return ParticipantWithin, true
}

// PerParticipantTarget formats a type's target per participant, "2–3" or
// "2", or "" when it has none.
func PerParticipantTarget(t ActivityType) string {
	if t.PerParticipantMin == nil {
		return ""
	}
	hi := *t.PerParticipantMin
	if t.PerParticipantMax != nil {
		hi = *t.PerParticipantMax
	}
	return Target{Min: *t.PerParticipantMin, Max: hi}.String()
}
