package partnership

import (
	"testing"
	"time"
)

func actDay(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func actDayp(s string) *time.Time {
	t := actDay(s)
	return &t
}

func actInt(n int) *int { return &n }

func TestComputeProgress(t *testing.T) {
	t.Parallel()
	occasions := ActivityType{ID: 1, AgreementID: 7, Name: "Skapandeträff", Unit: UnitOccasions, Active: true}
	hours := ActivityType{ID: 2, AgreementID: 7, Name: "Motiverande samtal", Unit: UnitHours, Active: true}
	perParticipant := ActivityType{ID: 3, AgreementID: 7, Name: "Enskilt samtal", Unit: UnitOccasions, Active: true,
		PerParticipantMin: actInt(2), PerParticipantMax: actInt(3)}

	tests := []struct {
		name         string
		typ          ActivityType
		year         int
		today        string
		start, end   *time.Time
		target       *Target // nil: none
		participants int
		done         int64
		wantStatus   ProgressStatus
		wantExpMin   int64
		wantExpMax   int64
		wantElapsed  int
		wantCovered  int
		wantFinal    bool
	}{
		// 2026-07-02 is day 183 of 365: 250 × 183 / 365 = 125.3.
		{name: "number mid-year on track", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 250, Max: 250}, done: 120, wantStatus: ProgressOnTrack,
			wantExpMin: 125, wantExpMax: 125, wantElapsed: 183, wantCovered: 365},
		{name: "number mid-year just within tolerance", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 250, Max: 250}, done: 113, wantStatus: ProgressOnTrack,
			wantExpMin: 125, wantExpMax: 125, wantElapsed: 183, wantCovered: 365},
		{name: "number mid-year behind", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 250, Max: 250}, done: 112, wantStatus: ProgressBehind,
			wantExpMin: 125, wantExpMax: 125, wantElapsed: 183, wantCovered: 365},
		{name: "less than one occasion over is on track", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 250, Max: 250}, done: 126, wantStatus: ProgressOnTrack,
			wantExpMin: 125, wantExpMax: 125, wantElapsed: 183, wantCovered: 365},
		{name: "number mid-year ahead", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 250, Max: 250}, done: 127, wantStatus: ProgressAhead,
			wantExpMin: 125, wantExpMax: 125, wantElapsed: 183, wantCovered: 365},
		// A range 40–60 pro-rated: 20.05–30.08 at day 183.
		{name: "range: below the minimum but within tolerance", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 40, Max: 60}, done: 19, wantStatus: ProgressOnTrack,
			wantExpMin: 20, wantExpMax: 30, wantElapsed: 183, wantCovered: 365},
		{name: "range: behind the minimum", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 40, Max: 60}, done: 17, wantStatus: ProgressBehind,
			wantExpMin: 20, wantExpMax: 30, wantElapsed: 183, wantCovered: 365},
		{name: "range: between the ends", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 40, Max: 60}, done: 31, wantStatus: ProgressOnTrack,
			wantExpMin: 20, wantExpMax: 30, wantElapsed: 183, wantCovered: 365},
		{name: "range: above the maximum", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 40, Max: 60}, done: 32, wantStatus: ProgressAhead,
			wantExpMin: 20, wantExpMax: 30, wantElapsed: 183, wantCovered: 365},
		// Early in the year the one-unit slack keeps an empty log on track.
		{name: "first day of the year", typ: occasions, year: 2026, today: "2026-01-01",
			target: &Target{Min: 250, Max: 250}, done: 0, wantStatus: ProgressOnTrack,
			wantExpMin: 1, wantExpMax: 1, wantElapsed: 1, wantCovered: 365},
		{name: "one occasion on the first day", typ: occasions, year: 2026, today: "2026-01-01",
			target: &Target{Min: 250, Max: 250}, done: 1, wantStatus: ProgressOnTrack,
			wantExpMin: 1, wantExpMax: 1, wantElapsed: 1, wantCovered: 365},
		{name: "ten a year, nothing by March", typ: occasions, year: 2026, today: "2026-03-01",
			target: &Target{Min: 10, Max: 10}, done: 0, wantStatus: ProgressBehind,
			wantExpMin: 2, wantExpMax: 2, wantElapsed: 60, wantCovered: 365},
		// Hours: targets in hours, done in minutes; 2024 is a leap year and over.
		{name: "hours, past year, behind", typ: hours, year: 2024, today: "2026-11-22",
			start: actDayp("2023-01-01"), end: actDayp("2024-12-31"),
			target: &Target{Min: 1200, Max: 1200}, done: 1000 * 60, wantStatus: ProgressBehind,
			wantExpMin: 1200 * 60, wantExpMax: 1200 * 60, wantElapsed: 366, wantCovered: 366, wantFinal: true},
		{name: "hours, past year, within tolerance", typ: hours, year: 2024, today: "2026-11-22",
			start: actDayp("2023-01-01"), end: actDayp("2024-12-31"),
			target: &Target{Min: 1200, Max: 1200}, done: 1080 * 60, wantStatus: ProgressOnTrack,
			wantExpMin: 1200 * 60, wantExpMax: 1200 * 60, wantElapsed: 366, wantCovered: 366, wantFinal: true},
		{name: "hours, less than an hour over", typ: hours, year: 2024, today: "2025-01-10",
			start: actDayp("2023-01-01"), end: actDayp("2024-12-31"),
			target: &Target{Min: 1200, Max: 1200}, done: 1200*60 + 59, wantStatus: ProgressOnTrack,
			wantExpMin: 1200 * 60, wantExpMax: 1200 * 60, wantElapsed: 366, wantCovered: 366, wantFinal: true},
		// An agreement starting 2026-07-01 covers 184 days of 2026; by
		// 2026-09-30 92 have passed, half: a target of 100 expects 50.
		{name: "pro-rated over the covered part: exactly 90 %", typ: occasions, year: 2026, today: "2026-09-30",
			start: actDayp("2026-07-01"), end: actDayp("2027-06-30"),
			target: &Target{Min: 100, Max: 100}, done: 45, wantStatus: ProgressOnTrack,
			wantExpMin: 50, wantExpMax: 50, wantElapsed: 92, wantCovered: 184},
		{name: "pro-rated over the covered part: behind", typ: occasions, year: 2026, today: "2026-09-30",
			start: actDayp("2026-07-01"), end: actDayp("2027-06-30"),
			target: &Target{Min: 100, Max: 100}, done: 44, wantStatus: ProgressBehind,
			wantExpMin: 50, wantExpMax: 50, wantElapsed: 92, wantCovered: 184},
		{name: "covered part not begun yet", typ: occasions, year: 2026, today: "2026-05-15",
			start: actDayp("2026-07-01"), end: actDayp("2027-06-30"),
			target: &Target{Min: 100, Max: 100}, done: 0, wantStatus: ProgressUpcoming,
			wantExpMin: 0, wantExpMax: 0, wantElapsed: 0, wantCovered: 184},
		// The agreement ends 2027-03-31: 90 days of 2027, all passed.
		{name: "agreement ends during the year", typ: occasions, year: 2027, today: "2027-06-01",
			start: actDayp("2026-07-01"), end: actDayp("2027-03-31"),
			target: &Target{Min: 30, Max: 30}, done: 30, wantStatus: ProgressOnTrack,
			wantExpMin: 30, wantExpMax: 30, wantElapsed: 90, wantCovered: 90, wantFinal: true},
		{name: "year in the future", typ: occasions, year: 2027, today: "2026-11-22",
			target: &Target{Min: 250, Max: 250}, done: 0, wantStatus: ProgressUpcoming,
			wantExpMin: 0, wantExpMax: 0, wantElapsed: 0, wantCovered: 365},
		{name: "year outside the agreement counts as the whole year", typ: occasions, year: 2026, today: "2026-07-02",
			start: actDayp("2023-01-01"), end: actDayp("2024-12-31"),
			target: &Target{Min: 250, Max: 250}, done: 125, wantStatus: ProgressOnTrack,
			wantExpMin: 125, wantExpMax: 125, wantElapsed: 183, wantCovered: 365},
		{name: "zero target, nothing done", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 0, Max: 0}, done: 0, wantStatus: ProgressOnTrack, wantElapsed: 183, wantCovered: 365},
		{name: "zero target, something done", typ: occasions, year: 2026, today: "2026-07-02",
			target: &Target{Min: 0, Max: 0}, done: 3, wantStatus: ProgressAhead, wantElapsed: 183, wantCovered: 365},
		{name: "no target", typ: occasions, year: 2026, today: "2026-07-02",
			done: 3, wantStatus: ProgressNoTarget, wantElapsed: 183, wantCovered: 365},
		// 2–3 per participant × 50 participants = 100–150 a year; by the
		// end of 2026 the whole range is expected.
		{name: "derived from the target per participant", typ: perParticipant, year: 2026, today: "2026-12-31",
			participants: 50, done: 95, wantStatus: ProgressOnTrack,
			wantExpMin: 100, wantExpMax: 150, wantElapsed: 365, wantCovered: 365},
		{name: "per participant without participants", typ: perParticipant, year: 2026, today: "2026-12-31",
			done: 95, wantStatus: ProgressNoTarget, wantElapsed: 365, wantCovered: 365},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ProgressInput{
				Year: tt.year, Today: actDay(tt.today), Start: tt.start, End: tt.end,
				Types: []ActivityType{tt.typ}, Participants: tt.participants,
				Done: []ActivityDone{{TypeID: tt.typ.ID, Year: tt.year, Done: tt.done}, {TypeID: tt.typ.ID, Year: tt.year - 1, Done: 999}},
			}
			if tt.target != nil {
				tg := *tt.target
				tg.TypeID, tg.Year = tt.typ.ID, tt.year
				in.Targets = []Target{tg, {TypeID: tt.typ.ID, Year: tt.year + 1, Min: 1, Max: 1}}
			}
			got := ComputeProgress(in)
			if len(got) != 1 {
				t.Fatalf("got %d progress rows", len(got))
			}
			p := got[0]
			if p.Status != tt.wantStatus || p.ExpectedMin != tt.wantExpMin || p.ExpectedMax != tt.wantExpMax ||
				p.ElapsedDays != tt.wantElapsed || p.CoveredDays != tt.wantCovered || p.Final != tt.wantFinal || p.Done != tt.done {
				t.Errorf("got status %s, expected %d–%d, elapsed %d/%d, final %v, done %d; want %s, %d–%d, %d/%d, %v",
					p.Status, p.ExpectedMin, p.ExpectedMax, p.ElapsedDays, p.CoveredDays, p.Final, p.Done,
					tt.wantStatus, tt.wantExpMin, tt.wantExpMax, tt.wantElapsed, tt.wantCovered, tt.wantFinal)
			}
		})
	}
}

func TestComputeProgressTypesAndPercent(t *testing.T) {
	t.Parallel()
	types := []ActivityType{
		{ID: 3, Name: "C", Unit: UnitOccasions, Position: 3, Active: true},
		{ID: 1, Name: "A", Unit: UnitHours, Position: 1, Active: true},
		{ID: 2, Name: "Inactive, unused", Unit: UnitOccasions, Position: 2},
		{ID: 4, Name: "Inactive, used", Unit: UnitOccasions, Position: 4},
	}
	got := ComputeProgress(ProgressInput{
		Year: 2026, Today: actDay("2026-12-31"), Types: types,
		Targets: []Target{{TypeID: 1, Year: 2026, Min: 10, Max: 20}, {TypeID: 3, Year: 2026, Min: 40, Max: 40}},
		Done:    []ActivityDone{{TypeID: 1, Year: 2026, Done: 9 * 60}, {TypeID: 3, Year: 2026, Done: 50}, {TypeID: 4, Year: 2026, Done: 2}},
	})
	var names []string
	for _, p := range got {
		names = append(names, p.Type.Name)
	}
	if len(got) != 3 || names[0] != "A" || names[1] != "C" || names[2] != "Inactive, used" {
		t.Fatalf("types %q", names)
	}
	if got[0].TargetMin != 600 || got[0].TargetMax != 1200 || got[0].Percent() != 90 || got[0].ExpectedPercent() != 100 {
		t.Errorf("hours: %+v, %d %%", got[0], got[0].Percent())
	}
	if got[1].Percent() != 125 || got[1].Status != ProgressAhead {
		t.Errorf("C: %d %% %s", got[1].Percent(), got[1].Status)
	}
	if got[2].Percent() != 0 || got[2].Status != ProgressNoTarget || got[2].Status.Label() != "Inget mål" {
		t.Errorf("inactive: %+v", got[2])
	}
}
