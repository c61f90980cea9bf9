package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iop/internal/partnership"
	"iop/internal/report"
	"iop/templates"
)

// participantsPath is the address of an agreement's participant list.
func participantsPath(agreementID int64) string {
	return "/agreements/" + strconv.FormatInt(agreementID, 10) + "/participants"
}

// participantPath is the address of a participant's page.
func participantPath(agreementID, participantID int64) string {
	return participantsPath(agreementID) + "/" + strconv.FormatInt(participantID, 10)
}

// enumOptions are the choices of a coded field with their Swedish labels;
// placeholder, when not "", is a first empty choice.
func enumOptions[T ~string](values []T, label func(T) string, selected, placeholder string) []templates.Option {
	var out []templates.Option
	if placeholder != "" {
		out = append(out, templates.Option{Value: "", Label: placeholder, Selected: selected == ""})
	}
	for _, v := range values {
		out = append(out, templates.Option{Value: string(v), Label: label(v), Selected: string(v) == selected})
	}
	return out
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// participantRow is a participant as the list shows it: pseudonymous only.
func participantRow(p partnership.Participant) templates.ParticipantRow {
	return templates.ParticipantRow{
		Code: p.Code, URL: participantPath(p.AgreementID, p.ID), Status: p.Status().Label(),
		Gender: p.Gender.Label(), BirthYear: strconv.Itoa(p.BirthYear), Cohort: p.Cohort,
		ReferredOn: p.ReferredOn.Format(time.DateOnly), EnrolledOn: day(p.EnrolledOn), ExitedOn: day(p.ExitedOn),
	}
}

// participantFilter reads the list's filters from the query; what does not
// parse is ignored, as a filter that selects everything.
func participantFilter(q url.Values) (partnership.ParticipantFilter, int) {
	var f partnership.ParticipantFilter
	if st, ok := partnership.ParseParticipantStatus(q.Get("status")); ok {
		f.Status = st
	}
	f.Cohort = strings.TrimSpace(q.Get("cohort"))
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= partnership.MinParticipantYear && y <= 2100 {
		f.Year = y
	}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 || page > 100000 {
		page = 1
	}
	f.Limit = partnership.DefaultParticipantPage
	f.Offset = (page - 1) * f.Limit
	return f, page
}

// countYears is the span the yearly counts cover: the agreement's years,
// up to the current one, or the current year alone when it has no dates.
func countYears(ag partnership.Agreement, today time.Time) (int, int) {
	from, to := today.Year(), today.Year()
	if ag.StartDate != nil && ag.StartDate.Year() >= partnership.MinParticipantYear && ag.StartDate.Year() <= to {
		from = ag.StartDate.Year()
	}
	if end := ag.CurrentEnd(); end != nil && end.Year() >= from && end.Year() < to {
		to = end.Year()
	}
	return from, to
}

// expectedRange says what the agreement expects per year, "" when nothing.
func expectedRange(ag partnership.Agreement) string {
	switch {
	case ag.ParticipantsMin != nil && ag.ParticipantsMax != nil:
		return strconv.Itoa(*ag.ParticipantsMin) + "–" + strconv.Itoa(*ag.ParticipantsMax)
	case ag.ParticipantsMin != nil:
		return "minst " + strconv.Itoa(*ag.ParticipantsMin)
	case ag.ParticipantsMax != nil:
		return "högst " + strconv.Itoa(*ag.ParticipantsMax)
	}
	return ""
}

// withinExpected judges a year's active participants against the range.
func withinExpected(ag partnership.Agreement, active int) string {
	switch {
	case ag.ParticipantsMin != nil && active < *ag.ParticipantsMin:
		return "Under förväntat"
	case ag.ParticipantsMax != nil && active > *ag.ParticipantsMax:
		return "Över förväntat"
	case ag.ParticipantsMin != nil || ag.ParticipantsMax != nil:
		return "Inom förväntat"
	}
	return ""
}

func (s *Server) handleParticipantList(w http.ResponseWriter, r *http.Request) {
	ag, err := s.loadAgreement(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, actor, today := r.Context(), actorOf(r), s.agreementToday()
	q := r.URL.Query()
	f, pageNo := participantFilter(q)
	page, err := s.participants.List(ctx, actor, ag.ID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cohorts, err := s.participants.Cohorts(ctx, actor, ag.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	funnelYear := f.Year
	if funnelYear == 0 {
		funnelYear = today.Year()
	}
	funnel, err := s.participants.Funnel(ctx, actor, ag.ID, funnelYear)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.participantCounts(ctx, actor, ag, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vm := templates.ParticipantListVM{
		Base: s.base(r, "Deltagare – "+ag.Title), AgreementID: ag.ID, AgreementTitle: ag.Title,
		Total: page.Total, Funnel: funnel, Counts: counts,
		Statuses: enumOptions(partnership.ParticipantStatuses, partnership.ParticipantStatus.Label, string(f.Status), "Alla"),
		Cohorts:  []templates.Option{{Value: "", Label: "Alla", Selected: f.Cohort == ""}},
		Year:     q.Get("year"),
		MayRegister: actor.Role == partnership.RoleCoordinator ||
			partnership.MayManageParticipants(actor, ag.PartyOrganisations()),
		MayImport: partnership.MayManageParticipants(actor, ag.PartyOrganisations()),
	}
	if f.Year == 0 {
		vm.Year = ""
	}
	if vm.Steps, err = s.stepSharesVM(r, ag); err != nil {
		s.fail(w, r, err)
		return
	}
	if vm.FollowUps, err = s.followUpSharesVM(ctx, actor, ag); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range cohorts {
		vm.Cohorts = append(vm.Cohorts, templates.Option{Value: c, Label: c, Selected: strings.EqualFold(c, f.Cohort)})
	}
	for _, p := range page.Participants {
		vm.Rows = append(vm.Rows, participantRow(p))
	}
	pageURL := func(n int) string {
		v := url.Values{}
		for _, k := range []string{"status", "cohort", "year"} {
			if q.Get(k) != "" {
				v.Set(k, q.Get(k))
			}
		}
		v.Set("page", strconv.Itoa(n))
		return participantsPath(ag.ID) + "?" + v.Encode()
	}
	if pageNo > 1 {
		vm.PrevURL = pageURL(pageNo - 1)
	}
	if f.Offset+len(page.Participants) < page.Total {
		vm.NextURL = pageURL(pageNo + 1)
	}
	s.render(w, r, http.StatusOK, templates.ParticipantListPage(vm))
}

// participantCounts are the agreement's participants per year, from its
// start up to this year, against its expected range.
func (s *Server) participantCounts(ctx context.Context, actor partnership.Actor, ag partnership.Agreement, today time.Time) (templates.ParticipantCountsVM, error) {
	from, to := countYears(ag, today)
	counts, err := s.participants.Counts(ctx, actor, ag.ID, from, to)
	if err != nil {
		return templates.ParticipantCountsVM{}, err
	}
	// A viewer's pages are figures that leave the system: a group of
	// fewer than five people is shown as "<5", as in the reports.
	count := func(n int) string { return report.PeopleCount(int64(n), actor.Role == partnership.RoleViewer) }
	vm := templates.ParticipantCountsVM{AgreementID: ag.ID, Expected: expectedRange(ag)}
	for _, c := range counts {
		vm.Rows = append(vm.Rows, templates.ParticipantCountRow{
			Year: strconv.Itoa(c.Year), New: count(c.New), Active: count(c.Active), Exited: count(c.Exited),
			Judgement: withinExpected(ag, c.Active),
		})
	}
	return vm, nil
}
