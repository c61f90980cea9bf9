package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iop/internal/activity"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// activityPageSize is how many activities one page of the list shows.
const activityPageSize = 50

func activitiesPath(agreementID int64) string { return agreementPath(agreementID) + "/activities" }

func activityPath(agreementID, id int64) string {
	return activitiesPath(agreementID) + "/" + strconv.FormatInt(id, 10)
}

// canLogActivities is the activity service's rule, which the
// activities:log route group in routes.go mirrors, so that pages offer the
// log form only to those whose post would be allowed.
func canLogActivities(role partnership.Role) bool { return activity.MayLog(role) }

// activityTypeOptions are the choices of the type field: the active types,
// and the selected one also when it is no longer active (an old entry).
func activityTypeOptions(types []partnership.ActivityType, selected string) []templates.Option {
	var opts []templates.Option
	for _, t := range types {
		v := strconv.FormatInt(t.ID, 10)
		if t.Active || v == selected {
			opts = append(opts, templates.Option{Value: v, Label: t.Name, Selected: v == selected})
		}
	}
	return opts
}

// hasActiveType reports whether anything can be logged for the agreement.
func hasActiveType(types []partnership.ActivityType) bool {
	for _, t := range types {
		if t.Active {
			return true
		}
	}
	return false
}

// lockedYears are the agreement's locked years, in which no entry changes.
func (s *Server) lockedYears(ctx context.Context, agreementID int64) (map[int]bool, error) {
	locks, err := postgres.NewYearAmounts(s.db.Pool).Locks(ctx, agreementID)
	if err != nil {
		return nil, err
	}
	years := make(map[int]bool, len(locks))
	for _, l := range locks {
		years[l.Year] = true
	}
	return years, nil
}

// lockedMessage says why an entry of year cannot change.
func lockedMessage(year int) string { return partnership.MsgActivityYearLocked(year) }

// activityRow shapes an activity for the lists. The links go back to
// returnTo ("" for the list) after the action, and are left out when the
// user may not use them: like when they may not log, edit and delete when
// the entry is not theirs to change or its year is locked.
func activityRow(a partnership.Activity, u partnership.User, canLog, locked bool, returnTo string) templates.ActivityRowVM {
	row := templates.ActivityRowVM{
		AgreementID: a.AgreementID, ID: a.ID, Date: a.Date.Format(time.DateOnly), Type: a.TypeName,
		Hours: partnership.FormatHours(int64(a.DurationMinutes)), Women: strconv.Itoa(a.Women),
		Men: strconv.Itoa(a.Men), NonBinary: strconv.Itoa(a.NonBinary), Children: strconv.Itoa(a.Children),
		Volunteer: partnership.FormatHours(int64(a.VolunteerMinutes)), Place: a.Place, Notes: a.Notes,
		LoggedBy: a.CreatedByName,
	}
	if !canLog {
		return row
	}
	q := url.Values{"like": {strconv.FormatInt(a.ID, 10)}}
	if returnTo != "" {
		q.Set("return_to", returnTo)
	}
	row.LikeURL = activitiesPath(a.AgreementID) + "/new?" + q.Encode()
	if a.EditableBy(u) {
		row.Locked = locked
		if !locked {
			row.EditURL = withReturnTo(activityPath(a.AgreementID, a.ID), returnTo)
			row.DeleteURL = withReturnTo(activityPath(a.AgreementID, a.ID)+"/delete", returnTo)
		}
	}
	return row
}

// activityTable shapes a list of activities of one agreement; canLog is
// whether the page has the log form that "log a similar one" fills in.
func activityTable(agreementID int64, list []partnership.Activity, u partnership.User, canLog bool,
	locked map[int]bool, returnTo, caption, empty string) templates.ActivityTableVM {
	vm := templates.ActivityTableVM{AgreementID: agreementID, Caption: caption, Actions: canLog, Empty: empty}
	for _, a := range list {
		vm.Rows = append(vm.Rows, activityRow(a, u, canLog, locked[a.Date.Year()], returnTo))
	}
	return vm
}

// activityFilter is the list's filter as read from the query string, with
// the values for the form.
type activityFilter struct {
	filter partnership.ActivityFilter
	values map[string]string // type_id, from, to as given (or defaulted)
	errs   partnership.ValidationError
}

// parseActivityFilter reads type_id, from and to. Without either date
// parameter the filter is the current year, which keeps the list and its
// totals fast on agreements with very many activities; an empty date
// parameter means no bound.
func parseActivityFilter(q url.Values, today time.Time, types []partnership.ActivityType) activityFilter {
	f := activityFilter{values: map[string]string{}, errs: partnership.ValidationError{}}
	if !q.Has("from") && !q.Has("to") {
		year := partnership.YearFilter(today.Year())
		q = url.Values{"type_id": q["type_id"], "from": {year.From.Format(time.DateOnly)}, "to": {year.To.Format(time.DateOnly)}}
	}
	if v := strings.TrimSpace(q.Get("type_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		known := false
		for _, t := range types {
			known = known || t.ID == id
		}
		if err != nil || !known {
			f.errs.Add("type_id", partnership.MsgActivityType)
		} else {
			f.filter.TypeID = id
			f.values["type_id"] = v
		}
	}
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{{"from", &f.filter.From}, {"to", &f.filter.To}} {
		v := strings.TrimSpace(q.Get(p.name))
		f.values[p.name] = v
		if v == "" {
			continue
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			f.errs.Add(p.name, "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-05.")
			continue
		}
		*p.dst = &d
	}
	validationOf(f.errs, f.filter.Validate())
	return f
}

// query is the filter as a query string, for the export and paging links.
func (f activityFilter) query() url.Values {
	q := url.Values{"from": {f.values["from"]}, "to": {f.values["to"]}}
	if v := f.values["type_id"]; v != "" {
		q.Set("type_id", v)
	}
	return q
}

// period says in words which dates the filter covers.
func (f activityFilter) period() string {
	from, to := f.values["from"], f.values["to"]
	switch {
	case from == "" && to == "":
		return "Alla datum"
	case from == "":
		return "Till och med " + to
	case to == "":
		return "Från och med " + from
	}
	return from + " – " + to
}

// activityTotals shows the totals of a filter.
func activityTotals(t partnership.ActivityTotals) []templates.ActivityTotalVM {
	n := formatCount
	return []templates.ActivityTotalVM{
		{Label: "Tillfällen", Value: n(t.Occasions), TestID: "total-occasions"},
		{Label: "Timmar", Value: partnership.FormatHours(t.Minutes), TestID: "total-hours"},
		{Label: "Deltagare sammanlagt", Value: n(t.Attendance()), TestID: "total-attendance"},
		{Label: "Kvinnor", Value: n(t.Women), TestID: "total-women"},
		{Label: "Män", Value: n(t.Men), TestID: "total-men"},
		{Label: "Icke-binära eller ej angivet", Value: n(t.NonBinary), TestID: "total-non-binary"},
		{Label: "Barn", Value: n(t.Children), TestID: "total-children"},
		{Label: "Ideella timmar", Value: partnership.FormatHours(t.VolunteerMinutes), TestID: "total-volunteer"},
	}
}

// formatCount writes a count with a space between thousands, as Swedish
// does: 12 345.
func formatCount(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func (s *Server) handleActivityList(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	u := currentUser(r)
	id := ag.ID
	types, err := s.activityTypes().Types(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := s.agreementToday()
	q := r.URL.Query()
	f := parseActivityFilter(q, today, types)
	var after *partnership.ActivityCursor
	if v := q.Get("after"); v != "" {
		c, err := partnership.ParseActivityCursor(v)
		if err != nil {
			s.renderError(w, r, http.StatusBadRequest)
			return
		}
		after = &c
	}
	canLog := canLogActivities(u.Role) && hasActiveType(types)
	vm := templates.ActivitiesVM{
		Base: s.base(r, "Aktiviteter – "+ag.Title), AgreementID: id, AgreementTitle: ag.Title,
		AgreementURL: agreementPath(id), FilterAction: activitiesPath(id), Period: f.period(),
		NoTypes: canLogActivities(u.Role) && !canLog,
		Filter:  templates.ActivityFilterVM{Form: templates.Form{Values: f.values, Errors: f.errs}, Types: activityTypeOptions(types, f.values["type_id"])},
	}
	if canLogActivities(u.Role) {
		vm.ImportURL = activityImportPath(id)
	}
	if canLog {
		c := activityContext{agreement: ag, types: types, today: today}
		values := activityDefaults(today, types)
		if err := s.withQuickAttendees(ctx, &c); err != nil {
			s.fail(w, r, err)
			return
		}
		form := c.logForm(values, nil, "", true)
		vm.Log = &form
	}
	vm.CSVURL = activitiesPath(id) + ".csv?" + f.query().Encode()
	vm.XLSXURL = activitiesPath(id) + ".xlsx?" + f.query().Encode()
	status := http.StatusOK
	var page partnership.ActivityPage
	if len(f.errs) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		store := postgres.NewActivities(s.db.Pool)
		if page, err = store.List(ctx, id, f.filter, after, activityPageSize); err != nil {
			s.fail(w, r, err)
			return
		}
		totals, err := store.Totals(ctx, id, f.filter)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		vm.Totals = activityTotals(totals)
		if page.Next != nil {
			next := f.query()
			next.Set("after", page.Next.String())
			vm.NextURL = activitiesPath(id) + "?" + next.Encode()
		}
		if after != nil {
			vm.FirstURL = activitiesPath(id) + "?" + f.query().Encode()
		}
	}
	locked, err := s.lockedYears(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	empty := "Inga aktiviteter har loggats för urvalet."
	vm.Table = activityTable(id, page.Activities, *u, canLog, locked, "", "Loggade aktiviteter", empty)
	if vm.Progress, err = s.activityProgress(ctx, ag, types, defaultProgressYear(ag, today)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, templates.ActivitiesPage(vm))
}
