package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/templates"
)

// The request of access (registerutdrag, GDPR art. 15): the personnummer
// is only ever posted, so it never reaches a URL, a log line or the
// browser's history; both the page and the JSON file are produced from a
// POST and each production is audited by participant.AccessRequest.

func (s *Server) renderAccessRequestForm(w http.ResponseWriter, r *http.Request, values, errs map[string]string) {
	vm := templates.AccessRequestFormVM{Base: s.base(r, "Registerutdrag"), Form: templates.Form{Values: values, Errors: errs}}
	s.render(w, r, formStatus(vm.Form), templates.AccessRequestFormPage(vm))
}

func (s *Server) handleAccessRequestForm(w http.ResponseWriter, r *http.Request) {
	s.renderAccessRequestForm(w, r, map[string]string{}, nil)
}

// accessReport parses the posted personnummer and produces the report; on
// a problem it has answered the request and reports false.
func (s *Server) accessReport(w http.ResponseWriter, r *http.Request) (participant.AccessReport, string, bool) {
	values := postedValues(r, "personnummer")
	pnr, err := partnership.ParsePersonnummer(strings.TrimSpace(values["personnummer"]), s.now())
	if err != nil || pnr.IsZero() {
		s.renderAccessRequestForm(w, r, values, map[string]string{"personnummer": partnership.MsgAccessPersonnummer})
		return participant.AccessReport{}, "", false
	}
	rep, err := s.participants.AccessRequest(r.Context(), actorOf(r), pnr)
	if err != nil {
		s.fail(w, r, err)
		return participant.AccessReport{}, "", false
	}
	return rep, pnr.Normalized(), true
}

// handleAccessRequest shows the printable document.
func (s *Server) handleAccessRequest(w http.ResponseWriter, r *http.Request) {
	rep, pnr, ok := s.accessReport(w, r)
	if !ok {
		return
	}
	vm := templates.AccessReportVM{Base: s.base(r, "Registerutdrag"), Personnummer: pnr,
		ProducedAt: formatDateTime(&rep.ProducedAt, "")}
	for _, rec := range rep.Records {
		vm.Records = append(vm.Records, accessRecordVM(rec))
	}
	s.render(w, r, http.StatusOK, templates.AccessReportPage(vm))
}

// handleAccessRequestJSON sends the same document as a JSON file.
func (s *Server) handleAccessRequestJSON(w http.ResponseWriter, r *http.Request) {
	rep, _, ok := s.accessReport(w, r)
	if !ok {
		return
	}
	body, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="registerutdrag-`+rep.ProducedAt.In(stockholm).Format(time.DateOnly)+`.json"`)
	h.Set("Cache-Control", "no-store")
	w.Write(body) //nolint:errcheck // the client went away
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func intOrDash(n *int) string {
	if n == nil {
		return "–"
	}
	return strconv.Itoa(*n)
}

// accessRecordVM lays a record out as the page shows it.
func accessRecordVM(r participant.AccessRecord) templates.AccessRecordVM {
	vm := templates.AccessRecordVM{Heading: r.Code + " – " + r.Agreement}
	for _, f := range [][2]string{
		{"Namn", r.Name}, {"Personnummer", r.Personnummer}, {"Telefon", r.Phone}, {"E-post", r.Email},
		{"Status", r.Status}, {"Kön", r.Gender}, {"Födelseår", strconv.Itoa(r.BirthYear)}, {"Födelseregion", r.BirthRegion},
		{"År i Sverige", intOrDash(r.YearsInSweden)}, {"Utbildning", r.Education}, {"Sysselsättning vid start", r.LabourStatus},
		{"Försörjning vid start", r.IncomeSource}, {"Bostadsområde", r.LivingArea},
		{"Arbetsförmåga (timmar/vecka)", intOrDash(r.WorkCapacityHours)}, {"Grupp", r.Cohort},
		{"Anvisad", r.ReferredOn}, {"Anvisad av", r.ReferralSource}, {"Inskriven", r.EnrolledOn},
		{"Avböjd", r.DeclinedOn}, {"Orsak", r.DeclineReason}, {"Kommentar vid avböjande", r.DeclineNote},
		{"Avslutad", r.ExitedOn}, {"Vart deltagaren gick", r.ExitDestination},
	} {
		vm.Facts = append(vm.Facts, templates.AccessFact{Label: f[0], Value: orDash(f[1])})
	}
	consents := templates.AccessSection{Title: "Samtycken", Headers: []string{"Gäller", "Givet", "Återkallat"}, Empty: "Inga samtycken."}
	for _, c := range r.Consents {
		consents.Rows = append(consents.Rows, []string{c.Scope, c.GivenOn, orDash(c.WithdrawnOn)})
	}
	acts := templates.AccessSection{Title: "Aktiviteter", Headers: []string{"Datum", "Typ"}, Empty: "Inga aktiviteter."}
	for _, a := range r.Activities {
		acts.Rows = append(acts.Rows, []string{a.Date, a.Type})
	}
	goals := templates.AccessSection{Title: "IUP-mål", Headers: []string{"Sikt", "Mål", "Uppföljning", "Status", "Utfall", "Kommentar"},
		Empty: "Inga mål."}
	for _, g := range r.Goals {
		goals.Rows = append(goals.Rows, []string{g.Term, g.Text, g.FollowUpOn, g.Status, orDash(g.OutcomeOn), orDash(g.OutcomeNote)})
	}
	assess := templates.AccessSection{Title: "Skattningar", Headers: []string{"Datum", "Område", "Steg"}, Empty: "Inga skattningar."}
	for _, a := range r.Assessments {
		for _, rt := range a.Ratings {
			assess.Rows = append(assess.Rows, []string{a.AssessedOn, rt.Dimension, strconv.Itoa(rt.Rating)})
		}
	}
	fus := templates.AccessSection{Title: "Uppföljningar efter avslut",
		Headers: []string{"Månader", "Datum", "Gjord", "Sysselsättning", "Självförsörjande", "Anteckning"}, Empty: "Inga uppföljningar."}
	for _, f := range r.FollowUps {
		fus.Rows = append(fus.Rows, []string{strconv.Itoa(f.Months), f.DueOn, orDash(f.DoneOn), orDash(f.Destination),
			orDash(f.SelfSupporting), orDash(f.Note)})
	}
	vm.Sections = []templates.AccessSection{consents, acts, goals, assess, fus}
	return vm
}
