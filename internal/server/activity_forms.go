package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// activityFormFields are the fields of the log form, as Activity.Validate
// names them.
var activityFormFields = []string{
	"type_id", "date", "hours", "women", "men", "non_binary", "children", "volunteer_hours",
	"staff_present", "place", "notes",
}

// activityDefaults are the values of an empty log form: today, no people
// counted yet, and the type chosen when there is only one to choose.
func activityDefaults(today time.Time, types []partnership.ActivityType) map[string]string {
	v := map[string]string{
		"type_id": "", "date": today.Format(time.DateOnly), "hours": "", "women": "0", "men": "0",
		"non_binary": "0", "children": "0", "volunteer_hours": "0", "staff_present": "0", "place": "", "notes": "",
	}
	if opts := activityTypeOptions(types, ""); len(opts) == 1 {
		v["type_id"] = opts[0].Value
	}
	return v
}

// activityValues are the form values of a stored activity.
func activityValues(a partnership.Activity) map[string]string {
	return map[string]string{
		"type_id": strconv.FormatInt(a.TypeID, 10), "date": a.Date.Format(time.DateOnly),
		"hours": partnership.FormatHours(int64(a.DurationMinutes)), "women": strconv.Itoa(a.Women),
		"men": strconv.Itoa(a.Men), "non_binary": strconv.Itoa(a.NonBinary), "children": strconv.Itoa(a.Children),
		"volunteer_hours": partnership.FormatHours(int64(a.VolunteerMinutes)),
		"staff_present":   strconv.Itoa(a.StaffPresent), "place": a.Place, "notes": a.Notes,
		"version": strconv.Itoa(a.Version), "participants": joinIDs(a.ParticipantIDs),
	}
}

// parseActivityForm reads the log form. Empty counts are 0; the values
// are kept as typed for showing the form again. It checks partnership's
// rules as well, which the service checks again, so that the form shows
// every problem at once rather than the unreadable fields first.
func parseActivityForm(form url.Values, today time.Time) (partnership.Activity, map[string]string, partnership.ValidationError) {
	values := map[string]string{}
	for _, f := range activityFormFields {
		values[f] = form.Get(f)
	}
	verr := partnership.ValidationError{}
	var a partnership.Activity
	if v := strings.TrimSpace(values["type_id"]); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			verr.Add("type_id", "Välj en aktivitetstyp i listan.")
		}
		a.TypeID = id
	}
	if v := strings.TrimSpace(values["date"]); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			verr.Add("date", "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-05.")
		}
		a.Date = d
	}
	hours := func(field string, dst *int) {
		if v := strings.TrimSpace(values[field]); v != "" {
			m, ok := partnership.ParseHours(v)
			if !ok {
				verr.Add(field, "Ange timmar som ett tal med högst två decimaler, till exempel 1,5.")
			}
			*dst = m
		}
	}
	hours("hours", &a.DurationMinutes)
	hours("volunteer_hours", &a.VolunteerMinutes)
	for _, c := range []struct {
		field string
		dst   *int
	}{{"women", &a.Women}, {"men", &a.Men}, {"non_binary", &a.NonBinary}, {"children", &a.Children}, {"staff_present", &a.StaffPresent}} {
		v := strings.NewReplacer(" ", "", "\u00a0", "").Replace(strings.TrimSpace(values[c.field]))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			verr.Add(c.field, "Ange ett heltal, 0 eller mer.")
			continue
		}
		*c.dst = n
	}
	a.Place, a.Notes = values["place"], values["notes"]
	ids, ok := parseAttendees(form["participants"])
	if !ok {
		verr.Add("participants", "Välj deltagare i listan.")
	}
	a.ParticipantIDs = ids
	values["participants"] = joinIDs(ids)
	a = a.Normalize()
	validationOf(verr, a.Validate(today))
	if len(a.ParticipantIDs) > 0 {
		// The named participants replace these counts, so what was typed
		// in them cannot be wrong.
		delete(verr, "women")
		delete(verr, "men")
		delete(verr, "non_binary")
	}
	return a, values, verr
}

// parseAttendees reads the ticked participants' ids; ok is false when one
// is not an id, which no checkbox of the form sends.
func parseAttendees(vs []string) (ids []int64, ok bool) {
	ok = true
	for _, v := range vs {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			ok = false
			continue
		}
		ids = append(ids, id)
	}
	return ids, ok
}

// joinIDs keeps ids as one form value, "12,15", for showing the form again.
func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// splitIDs reads a value of joinIDs.
func splitIDs(v string) []int64 {
	if v == "" {
		return nil
	}
	ids, _ := parseAttendees(strings.Split(v, ","))
	return ids
}

// activityContext is what the log and edit handlers need about the
// agreement of the route.
type activityContext struct {
	agreement partnership.Agreement
	types     []partnership.ActivityType
	today     time.Time
	// attendees are the choices of named attendance (withAttendees);
	// none leaves the fieldset out of the form.
	attendees []partnership.Attendee
	// attendeesURL is the full form, when a quick form leaves out the
	// attendees because more are enrolled than it lists.
	attendeesURL string
}

// quickAttendees is how many enrolled participants the quick log form (on
// the activity list) lists at most; with more, it links to the full form.
// Listing every enrolled participant of a large agreement on every view of
// the list made the page's cost grow with the agreement.
const quickAttendees = 40

// withQuickAttendees is withAttendees for the quick log form of a list:
// today's enrolled participants when they are at most quickAttendees,
// else none and a link to the full form, which lists them all.
func (s *Server) withQuickAttendees(ctx context.Context, c *activityContext) error {
	list, more, err := postgres.NewActivities(s.db.Pool).EnrolledAttendeesUpTo(ctx, c.agreement.ID, c.today, quickAttendees)
	if err != nil {
		return err
	}
	c.attendees, c.attendeesURL = list, ""
	if more {
		c.attendees, c.attendeesURL = nil, activitiesPath(c.agreement.ID)+"/new"
	}
	return nil
}

// withAttendees loads the choices of named attendance for a form with
// values: the participants enrolled on its date (today when the date is
// missing or unreadable) and those it has ticked. Only the roles that log
// activities reach the forms, and they may see every participant's code.
func (s *Server) withAttendees(ctx context.Context, c *activityContext, values map[string]string) error {
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(values["date"]))
	if err != nil {
		day = c.today
	}
	c.attendees, err = postgres.NewActivities(s.db.Pool).EnrolledAttendees(ctx, c.agreement.ID, day, splitIDs(values["participants"]))
	return err
}

// attendeeOptions are c's attendees with those of values ticked.
func (c activityContext) attendeeOptions(values map[string]string) []templates.AttendeeOption {
	checked := map[int64]bool{}
	for _, id := range splitIDs(values["participants"]) {
		checked[id] = true
	}
	opts := make([]templates.AttendeeOption, len(c.attendees))
	for i, p := range c.attendees {
		opts[i] = templates.AttendeeOption{Value: strconv.FormatInt(p.ID, 10), Code: p.Code, Cohort: p.Cohort, Checked: checked[p.ID]}
	}
	return opts
}

func (s *Server) loadActivityContext(r *http.Request) (activityContext, error) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		return activityContext{}, err
	}
	types, err := s.activityTypes().Types(r.Context(), ag.ID)
	if err != nil {
		return activityContext{}, err
	}
	return activityContext{agreement: ag, types: types, today: s.agreementToday()}, nil
}

// logForm is the log form of the context's agreement.
func (c activityContext) logForm(values, errs map[string]string, returnTo string, hx bool) templates.ActivityFormVM {
	return templates.ActivityFormVM{
		AgreementID: c.agreement.ID, Action: activitiesPath(c.agreement.ID), HX: hx,
		Form: templates.Form{Values: values, Errors: errs}, Types: activityTypeOptions(c.types, values["type_id"]),
		Attendees: c.attendeeOptions(values), AttendeesURL: c.attendeesURL, ReturnTo: returnTo,
	}
}

// backTo is where a form goes back to: returnTo, or the activity list.
func backTo(agreementID int64, returnTo string) string {
	if returnTo != "" {
		return returnTo
	}
	return activitiesPath(agreementID)
}

// renderActivityFormPage shows a form on a page of its own.
func (s *Server) renderActivityFormPage(w http.ResponseWriter, r *http.Request, status int, c activityContext,
	heading string, form templates.ActivityFormVM, adjust func(*templates.ActivityFormPageVM)) {
	vm := templates.ActivityFormPageVM{
		Base: s.base(r, heading+" – "+c.agreement.Title), Heading: heading, AgreementTitle: c.agreement.Title,
		BackURL: activitiesPath(c.agreement.ID), NoTypes: form.ActivityID == 0 && !hasActiveType(c.types), Form: form,
	}
	vm.Form.Cancel = backTo(c.agreement.ID, form.ReturnTo)
	if adjust != nil {
		adjust(&vm)
	}
	s.render(w, r, status, templates.ActivityFormPage(vm))
}

// handleActivityNew shows the log form; ?like= fills it in with another
// entry's values (dated today). htmx gets the form alone, to put in place
// of the form on the page.
func (s *Server) handleActivityNew(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadActivityContext(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	values := activityDefaults(c.today, c.types)
	if like := q.Get("like"); like != "" {
		likeID, err := strconv.ParseInt(like, 10, 64)
		if err != nil {
			s.fail(w, r, partnership.ErrNotFound)
			return
		}
		a, err := postgres.NewActivities(s.db.Pool).ByID(r.Context(), c.agreement.ID, likeID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if a.ParticipantIDs, err = postgres.NewActivities(s.db.Pool).ParticipantIDs(r.Context(), a.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		values = activityValues(a)
		values["date"] = c.today.Format(time.DateOnly)
		delete(values, "version")
	}
	if err := s.withAttendees(r.Context(), &c, values); err != nil {
		s.fail(w, r, err)
		return
	}
	if q.Get("like") != "" {
		values["participants"] = joinIDs(stillEnrolled(c.attendees, splitIDs(values["participants"]), c.today))
	}
	returnTo := localPath(q.Get("return_to"))
	if isHX(r) && hasActiveType(c.types) {
		s.render(w, r, http.StatusOK, templates.ActivityForm(c.logForm(values, nil, returnTo, true)))
		return
	}
	s.renderActivityFormPage(w, r, http.StatusOK, c, "Logga aktivitet", c.logForm(values, nil, returnTo, false), nil)
}

// loggedMessage says what was logged, for the status line and the flash.
func loggedMessage(a partnership.Activity) string {
	return fmt.Sprintf("Loggade %s %s: %s timmar, %d deltagare.", a.TypeName, a.Date.Format(time.DateOnly),
		partnership.FormatHours(int64(a.DurationMinutes)), a.Attendance())
}

// stillEnrolled keeps those of ids that are among attendees and enrolled
// on day: copying another entry's names to today drops who has left.
func stillEnrolled(attendees []partnership.Attendee, ids []int64, day time.Time) []int64 {
	var kept []int64
	for _, p := range attendees {
		if slices.Contains(ids, p.ID) && p.EnrolledAt(day) {
			kept = append(kept, p.ID)
		}
	}
	return kept
}

func (s *Server) handleActivityCreate(w http.ResponseWriter, r *http.Request) {
	c, err := s.loadActivityContext(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, values, verr := parseActivityForm(r.PostForm, c.today)
	returnTo := localPath(r.PostForm.Get("return_to"))
	var created partnership.Activity
	if len(verr) == 0 {
		created, err = s.activities.Log(r.Context(), actorOf(r), c.agreement.ID, a)
		if !validationOf(verr, err) {
			s.fail(w, r, err)
			return
		}
	}
	if len(verr) > 0 {
		if err := s.withAttendees(r.Context(), &c, values); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	switch {
	case len(verr) > 0 && isHX(r):
		s.render(w, r, http.StatusUnprocessableEntity, templates.ActivityForm(c.logForm(values, verr, returnTo, true)))
	case len(verr) > 0:
		s.renderActivityFormPage(w, r, http.StatusUnprocessableEntity, c, "Logga aktivitet", c.logForm(values, verr, returnTo, false), nil)
	case isHX(r):
		s.renderActivityLogged(w, r, c, created, returnTo)
	default:
		s.flash(r, loggedMessage(created))
		http.Redirect(w, r, backTo(c.agreement.ID, returnTo), http.StatusSeeOther)
	}
}

// renderActivityLogged answers an htmx log: a fresh form, the status
// line, the new entry for the top of the list and the progress of the
// entry's year.
func (s *Server) renderActivityLogged(w http.ResponseWriter, r *http.Request, c activityContext, a partnership.Activity, returnTo string) {
	progress, err := s.activityProgress(r.Context(), c.agreement, c.types, a.Date.Year())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	progress.OOB = true
	fresh := activityDefaults(c.today, c.types)
	if err := s.withQuickAttendees(r.Context(), &c); err != nil {
		s.fail(w, r, err)
		return
	}
	if returnTo == "/" {
		progress.HeadingLevel = 3 // under the agreement's heading on the start page
	}
	s.render(w, r, http.StatusOK, templates.ActivityLogged(templates.ActivityLoggedVM{
		Form:     c.logForm(fresh, nil, returnTo, true),
		Message:  loggedMessage(a),
		Row:      activityRow(a, *currentUser(r), true, false, returnTo),
		Progress: progress,
	}))
}
