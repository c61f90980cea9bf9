package server

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// activityProgress computes how types, the agreement's activity types as
// the caller has read them, are doing against their targets in year, as of
// today in Sweden, and shapes it for templates.ActivityProgress. The caller decides the page around it: the
// year selector (YearAction, Years), the link to the types (TypesHref),
// the heading and, for an htmx response, OOB.
func (s *Server) activityProgress(ctx context.Context, a partnership.Agreement, types []partnership.ActivityType,
	year int) (templates.ActivityProgressVM, error) {
	targets, err := s.activityTypes().Targets(ctx, a.ID, year)
	if err != nil {
		return templates.ActivityProgressVM{}, err
	}
	done, err := postgres.NewActivities(s.db.Pool).Done(ctx, a.ID, year, year)
	if err != nil {
		return templates.ActivityProgressVM{}, err
	}
	today := s.agreementToday()
	progress := partnership.ComputeProgress(partnership.ProgressInput{
		Year: year, Today: today, Start: a.StartDate, End: progressEnd(a),
		Types: types, Targets: targets, Done: done, Participants: expectedParticipants(a),
	})
	vm := templates.ActivityProgressVM{AgreementID: a.ID, Year: year, AsOf: today.Format(time.DateOnly)}
	for _, p := range progress {
		vm.Final = vm.Final || p.Final
		vm.Rows = append(vm.Rows, progressRow(p))
	}
	return vm, nil
}

// progressEnd is the agreement's last day for the expectation: its current
// end, or the termination date when it was terminated earlier.
func progressEnd(a partnership.Agreement) *time.Time {
	end := a.CurrentEnd()
	if t := a.Termination; t != nil && !t.On.IsZero() && (end == nil || t.On.Before(*end)) {
		end = &t.On
	}
	return end
}

// expectedParticipants is the number of participants a target per
// participant is multiplied by: the middle of the agreement's stated
// range (rounded down), or the one end it states; 0 when it states none,
// which derives no target.
func expectedParticipants(a partnership.Agreement) int {
	lo, hi := a.ParticipantsMin, a.ParticipantsMax
	switch {
	case lo != nil && hi != nil:
		return (*lo + *hi) / 2
	case lo != nil:
		return *lo
	case hi != nil:
		return *hi
	}
	return 0
}

// progressRow formats one type's progress and lays out its bar.
func progressRow(p partnership.Progress) templates.ActivityProgressRow {
	unit := "tillfällen"
	amount := func(n int64) string { return strconv.FormatInt(n, 10) }
	wholeHours := amount
	if p.Type.Unit == partnership.UnitHours {
		unit = "timmar"
		amount = partnership.FormatHours
		wholeHours = func(minutes int64) string { return strconv.FormatInt((minutes+30)/60, 10) }
	}
	row := templates.ActivityProgressRow{
		TypeName: p.Type.Name, Unit: unit, Done: amount(p.Done),
		Status: p.Status.Label(), StatusKey: string(p.Status), HasTarget: p.HasTarget,
		Summary: amount(p.Done) + " " + unit,
	}
	if !p.HasTarget {
		return row
	}
	row.Target = p.Target.String()
	row.TargetDerived = p.TargetDerived
	row.Summary = amount(p.Done) + " av " + p.Target.String() + " " + unit
	row.Expected = wholeHours(p.ExpectedMin)
	if p.ExpectedMax != p.ExpectedMin {
		row.Expected += "–" + wholeHours(p.ExpectedMax)
	}
	row.Percent = strconv.Itoa(p.Percent()) + " %"

	scale := max(p.TargetMax, p.Done, p.ExpectedMax, 1)
	x := func(v int64) int { return int(v * templates.ProgressChartWidth / scale) }
	row.DoneW = x(p.Done)
	row.TargetX, row.TargetEndX = x(p.TargetMin), x(p.TargetMax)
	row.ExpectedX = x(p.ExpectedMin)
	return row
}

// defaultProgressYear is the year progress is shown for when none is
// asked for: this year when the agreement covers it (or states no
// period); the last year of an agreement that has ended; the first year of
// one that has not begun.
func defaultProgressYear(a partnership.Agreement, today time.Time) int {
	first, last, ok := progressYears(a, today)
	switch {
	case !ok:
		return today.Year()
	case today.Year() > last:
		return last
	case today.Year() < first:
		return first
	}
	return today.Year()
}

// progressYears is the span of calendar years the agreement runs: from
// its start to its end (or termination), or to this year when its end is
// open. ok is false when it has no start date.
func progressYears(a partnership.Agreement, today time.Time) (first, last int, ok bool) {
	if a.StartDate == nil {
		return 0, 0, false
	}
	first = a.StartDate.Year()
	last = max(first, today.Year())
	if end := progressEnd(a); end != nil {
		last = max(first, end.Year())
	}
	return first, last, true
}

// progressYearParam reads ?year= as a year progress can be shown for, or
// reports false when it is missing or out of range (the default applies).
func progressYearParam(q url.Values) (int, bool) {
	y, err := strconv.Atoi(q.Get("year"))
	if err != nil || y < partnership.MinActivityYear || y > partnership.MaxActivityYear {
		return 0, false
	}
	return y, true
}

// progressYearOptions are the choices of the year selector: the years the
// agreement runs, and the selected year when it lies outside them.
func progressYearOptions(a partnership.Agreement, today time.Time, selected int) []templates.Option {
	years := []int{selected}
	if first, last, ok := progressYears(a, today); ok {
		for y := first; y <= last; y++ {
			if y != selected {
				years = append(years, y)
			}
		}
	}
	slices.Sort(years)
	opts := make([]templates.Option, len(years))
	for i, y := range years {
		v := strconv.Itoa(y)
		opts[i] = templates.Option{Value: v, Label: v, Selected: y == selected}
	}
	return opts
}

// agreementProgress is the progress section of the agreement page: the
// year asked for in ?year= or the default year, with the year selector
// and, for those who configure them, the link to the types and targets.
func (s *Server) agreementProgress(ctx context.Context, a partnership.Agreement, q url.Values, role partnership.Role) (templates.ActivityProgressVM, error) {
	today := s.agreementToday()
	year, ok := progressYearParam(q)
	if !ok {
		year = defaultProgressYear(a, today)
	}
	types, err := s.activityTypes().Types(ctx, a.ID)
	if err != nil {
		return templates.ActivityProgressVM{}, err
	}
	vm, err := s.activityProgress(ctx, a, types, year)
	if err != nil {
		return vm, err
	}
	if mayListParticipantCodes(role) {
		if vm.PerParticipant, err = s.perParticipantProgress(ctx, a.ID, types, year); err != nil {
			return vm, err
		}
	}
	vm.YearAction = agreementPath(a.ID) + "#" + vm.ElementID()
	vm.Years = progressYearOptions(a, today, year)
	if role.CanEditAgreements() {
		vm.TypesHref = activityTypesPath(a.ID)
	}
	return vm, nil
}

// mayListParticipantCodes reports whether the role sees the agreement's
// participants by code on its page: those who may see every participant
// of an agreement they reach (partnership.MaySeeParticipant), not a
// coordinator, who sees only their own referrals.
func mayListParticipantCodes(role partnership.Role) bool {
	switch role {
	case partnership.RoleAdmin, partnership.RoleOfficer, partnership.RoleViewer, partnership.RoleAssociationStaff:
		return true
	}
	return false
}

// perParticipantProgress is, for each of types with a target per
// participant, what each participant enrolled during year took part in
// against that target, counted in SQL from named attendance.
func (s *Server) perParticipantProgress(ctx context.Context, agreementID int64, types []partnership.ActivityType,
	year int) ([]templates.PerParticipantTable, error) {
	sessions, err := postgres.NewActivities(s.db.Pool).SessionsPerParticipant(ctx, agreementID, year)
	if err != nil {
		return nil, err
	}
	byType := map[int64][]partnership.ParticipantSessions{}
	for _, ps := range sessions {
		byType[ps.TypeID] = append(byType[ps.TypeID], ps)
	}
	var tables []templates.PerParticipantTable
	for _, typ := range types {
		list := byType[typ.ID]
		if typ.PerParticipantMin == nil || len(list) == 0 {
			continue
		}
		unit, amount := "tillfällen", func(n int64) string { return strconv.FormatInt(n, 10) }
		if typ.Unit == partnership.UnitHours {
			unit, amount = "timmar", partnership.FormatHours
		}
		t := templates.PerParticipantTable{TypeName: typ.Name, Unit: unit, Target: partnership.PerParticipantTarget(typ)}
		within := 0
		for _, ps := range list {
			status, _ := partnership.PerParticipantStatus(typ, ps.Done)
			if status == partnership.ParticipantWithin {
				within++
			}
			t.Rows = append(t.Rows, templates.PerParticipantRow{
				Code: ps.Code, Cohort: ps.Cohort, Done: amount(ps.Done), Status: status.Label(), StatusKey: string(status),
			})
		}
		t.Summary = strconv.Itoa(within) + " av " + strconv.Itoa(len(list)) + " deltagare inom målet " + t.Target + " " + unit
		tables = append(tables, t)
	}
	return tables, nil
}
